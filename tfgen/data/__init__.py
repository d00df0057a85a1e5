"""Data for tfgen's methods: named data sets read as one of a few kinds.

``kinds.KINDS`` documents each kind's element structure in one place:
``images``, ``labelled`` (images, labels), ``paired`` (a, b),
``unpaired`` (two domains), ``semi_supervised`` (labelled source +
unlabelled target) and ``tokens``. :func:`make` builds a kind's
``tf.data`` pipeline, :func:`info_for` its named streams
(:class:`DatasetInfo`, :class:`StreamInfo`). :func:`make_dataset` and
:func:`dataset_info` are the images / labelled special cases.

Data set names (see ``named.py``): ``mnist``, ``fashion_mnist``,
``mnist5k``, ``digits``, ``cifar10``, ``stacked_mnist(5k)``, ``ring8``,
``grid25``, the synthetic ``<base>_inverted`` / ``<base>_colour``
(``derived.py``), ``folder:PATH``, ``npz:PATH``, ``tfds:NAME``; paired:
``<base>_edges``, ``npz:PATH`` (arrays a, b); tokens: ``markov_oracle``
(``tokens.py``), ``npz:PATH`` (array tokens).
"""

from tfgen.data.errors import DataError
from tfgen.data.info import DatasetInfo, StreamInfo
from tfgen.data.kinds import KINDS, STREAMS, info_for, labelled_subset, make
from tfgen.data.named import (NAMED, NUM_CLASSES, PAIRED, PREFIXES, TOKENS,
                              check_shape, dataset_info, load_arrays, load_pairs,
                              load_tokens, make_dataset, stream_info)
from tfgen.data.pipeline import split_global_batches
from tfgen.data.tokens import MarkovOracle, markov_oracle
from tfgen.data.toy import MixtureSpec, mixture_spec, reference_points

__all__ = ["DataError", "DatasetInfo", "KINDS", "MarkovOracle", "MixtureSpec",
           "NAMED", "NUM_CLASSES", "PAIRED", "PREFIXES", "STREAMS", "TOKENS",
           "StreamInfo", "check_shape", "dataset_info", "info_for",
           "labelled_subset", "load_arrays", "load_pairs", "load_tokens", "make",
           "make_dataset", "markov_oracle", "mixture_spec", "reference_points",
           "split_global_batches", "stream_info"]
