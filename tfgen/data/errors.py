"""The one error type of the data package, and the split check every source uses."""

from __future__ import annotations


class DataError(ValueError):
    """Missing, corrupt or mismatched data; the one-line message says what to do."""


def check_split(name: str, split: str, splits: tuple = ("train", "test")) -> None:
    """Raises a DataError unless ``split`` is one of ``splits``.

    Args:
      name: the dataset name, for the message.
      split: the requested split.
      splits: the splits the dataset has.
    """
    if split not in splits:
        none = " (it has no test split)" if splits == ("train",) else ""
        raise DataError(f"{name} has no split {split!r}{none}; valid: {', '.join(splits)}")
