"""What a model needs to know about its data: named streams.

A stream is one source of examples in a batch (see ``kinds.py``): the
images of ``images`` and ``labelled`` data, the two halves ``a`` and ``b``
of paired or unpaired data, the ``labelled`` source and ``unlabelled``
target of semi-supervised data, the ``tokens`` of sequences. Each has its
example shape (after resizing), its number of classes (0: no labels), its
vocabulary size (0: not tokens) and its number of examples.
"""

from __future__ import annotations

import dataclasses


@dataclasses.dataclass(frozen=True)
class StreamInfo:
    """One stream: example shape, classes, vocabulary and size."""
    shape: tuple
    num_classes: int = 0
    vocab_size: int = 0
    num_examples: int = 0

    def __post_init__(self):
        object.__setattr__(self, "shape", tuple(int(d) for d in self.shape))

    def resized(self, size: int | None) -> "StreamInfo":
        """Square images resized to ``size``; other streams as they are."""
        if not size or len(self.shape) != 3:
            return self
        return dataclasses.replace(self, shape=(int(size), int(size), self.shape[2]))


@dataclasses.dataclass(frozen=True)
class DatasetInfo:
    """A data set read as one kind: its named streams.

    ``shape``, ``num_classes`` and ``num_examples`` are those of the
    primary (first) stream, so that single-stream code reads
    ``info.shape`` as before. ``DatasetInfo(name, shape, num_classes,
    num_examples)`` still builds the info of an ``images`` data set with
    one stream ``x``. When both ``streams`` and a differing top-level value
    are given (``dataclasses.replace(info, shape=...)`` does this), the
    top-level value sets the primary stream; that is allowed for one
    stream only; use :meth:`resized` instead.

    Attributes:
      name: the data set (for two sources, the first one's name).
      shape, num_classes, num_examples: the primary stream's.
      kind: the data kind (``kinds.KINDS``).
      streams: stream name → :class:`StreamInfo`, primary first.
      target: the second source's name, where the kind reads two.
    """
    name: str
    shape: tuple | None = None
    num_classes: int | None = None
    num_examples: int | None = None
    kind: str = "images"
    streams: dict | None = dataclasses.field(default=None, hash=False)
    target: str | None = None

    def __post_init__(self):
        streams = dict(self.streams or {})
        top = {"shape": None if self.shape is None else tuple(self.shape),
               "num_classes": self.num_classes, "num_examples": self.num_examples}
        if not streams:
            if top["shape"] is None:
                raise ValueError("DatasetInfo needs streams or a shape")
            streams = {"x": StreamInfo(top["shape"], top["num_classes"] or 0, 0,
                                       top["num_examples"] or 0)}
        primary = next(iter(streams))
        first = streams[primary]
        changes = {k: v for k, v in top.items()
                   if v is not None and v != getattr(first, k)}
        if changes and len(streams) > 1:
            raise ValueError(
                f"DatasetInfo {self.name}: {', '.join(changes)} differ from the "
                f"primary stream {primary!r} of {len(streams)} streams; set the "
                "streams themselves (or use info.resized(size))")
        if changes:
            streams[primary] = first = dataclasses.replace(first, **changes)
        object.__setattr__(self, "streams", streams)
        for k in top:
            object.__setattr__(self, k, getattr(first, k))

    @property
    def primary(self) -> str:
        """The name of the first stream."""
        return next(iter(self.streams))

    @property
    def vocab_size(self) -> int:
        """The primary stream's vocabulary size (0 unless tokens)."""
        return self.streams[self.primary].vocab_size

    def resized(self, size: int | None) -> "DatasetInfo":
        """Every image stream's shape after resizing to ``size`` (0: as is)."""
        streams = {k: s.resized(size) for k, s in self.streams.items()}
        return dataclasses.replace(self, shape=None, num_classes=None,
                                   num_examples=None, streams=streams)
