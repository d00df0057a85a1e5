"""From a config to a model: each method's declarations, in one table.

Each module holds one family's :class:`tfgen.builders.spec.Method`
declarations; :data:`METHODS` maps ``config.method`` to them, and
:func:`build` makes ``(model, optimizers)`` (inside the strategy scope, in
``tfgen.trainer``). Adding a method is adding an entry here (see
docs/DESIGN.md); :func:`register` does it at run time (tests, plug-ins).
"""

from tfgen.builders import adversarial, cooperative, ctrl, spec
from tfgen.builders import conditional
from tfgen.builders import bigan, consensus
from tfgen.builders import info_ssgan
from tfgen.builders import seqgan
from tfgen.builders import domain
from tfgen.builders import two_domain
from tfgen.builders import translation
from tfgen.registry import lookup

METHODS = {m.name: m for m in (
    info_ssgan.INFOGAN, info_ssgan.SSGAN,
    adversarial.GAN, cooperative.COOPNETS, cooperative.DESCRIPTOR,
    cooperative.ALTERNATING, cooperative.COOPINIT, ctrl.CTRL, ctrl.COA_CTRL,
    conditional.CGAN, conditional.ACGAN,
    bigan.BIGAN, bigan.ALI, consensus.SIMULTANEOUS, consensus.CONSENSUS,
    seqgan.SEQGAN,
    two_domain.CYCLEGAN, two_domain.DISCOGAN,
    domain.DANN, domain.SOURCE_ONLY, domain.DUPGAN,
    translation.PIX2PIX)}


def method(name: str) -> spec.Method:
    """The declarations of method ``name`` (a one-line error lists the valid ones)."""
    return lookup(METHODS, name, "method")


def register(m: spec.Method) -> None:
    """Adds a method to the table (a name can be registered once)."""
    if m.name in METHODS and METHODS[m.name] is not m:
        raise ValueError(f"method {m.name!r} is already registered")
    METHODS[m.name] = m


def build(config, info):
    """(model, {player: optimizer}) for ``config`` on data ``info``."""
    return spec.build(method(config.method), config, info)
