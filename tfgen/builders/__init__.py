"""From a config to a compiled model: one module per method family.

``build(config, info)`` functions return ``(model, optimizers)``; they are
called inside the strategy scope by ``tfgen.trainer``.
"""
