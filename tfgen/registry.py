"""Name → object tables; a wrong name fails with the list of valid names."""

from __future__ import annotations


def lookup(table: dict, name: str, kind: str):
    """``table[name]``, or a ValueError that lists the valid names."""
    if name not in table:
        raise ValueError(f"unknown {kind} {name!r}; valid {kind}s: "
                         f"{', '.join(sorted(table))}")
    return table[name]
