"""From a config to a compiled model: one module per method family.

``build(config, info)`` functions return ``(model, optimizers)``; they are
called inside the strategy scope by ``tfgen.trainer``. :data:`METHODS` is
the table of ``config.method`` names (``tfgen.registry.lookup`` reports a
wrong name with the valid ones).
"""

from tfgen.builders import adversarial, cooperative, ctrl

METHODS = {
    "adversarial": adversarial.build,
    "coopnets": cooperative.build_coopnets,
    "descriptor": cooperative.build_descriptor,
    "alternating_backprop": cooperative.build_alternating,
    "coopinit": cooperative.build_coopinit,
    "ctrl": ctrl.build,
    "coa_ctrl": ctrl.build,
}
