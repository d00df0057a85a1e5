"""Name → object tables; a wrong name fails with the list of valid names."""

from __future__ import annotations


def lookup(table: dict, name: str, kind: str):
    """``table[name]``, or a ValueError that lists the valid names."""
    if name not in table:
        raise ValueError(f"unknown {kind} {name!r}; valid {kind}s: "
                         f"{', '.join(sorted(table))}")
    return table[name]


def methods() -> dict:
    """Method name → ``build(config, info)``. Imported here, not by string."""
    from tfgen.builders import adversarial, cooperative, ctrl

    return {
        "adversarial": adversarial.build,
        "coopnets": cooperative.build_coopnets,
        "descriptor": cooperative.build_descriptor,
        "alternating_backprop": cooperative.build_alternating,
        "coopinit": cooperative.build_coopinit,
        "ctrl": ctrl.build,
        "coa_ctrl": ctrl.build,
    }
