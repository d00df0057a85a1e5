"""The project's own MNIST / Fashion-MNIST classifiers (saved_models/classifiers/).

Trained by ``tfgen-train-classifier`` (tools/train_classifier.py) with fixed
seeds; each is saved as ``<dataset>.keras`` beside ``<dataset>.json`` (its
recorded test accuracy and the command that trained it). They are *not*
Inception: metrics computed with them are named "Fréchet classifier distance"
and "classifier score".
"""

from __future__ import annotations

import json
import os

import keras
import numpy as np

_PACKAGE = os.path.dirname(os.path.abspath(__file__))
# An installed wheel carries the classifiers inside the package: setup.py's
# build step copies saved_models/classifiers/ to tfgen/_saved_models/classifiers/.
# A source checkout (and an editable install) reads the repository's folder.
PACKAGED_ROOT = os.path.join(_PACKAGE, "_saved_models", "classifiers")
SOURCE_ROOT = os.path.join(os.path.dirname(_PACKAGE), "saved_models", "classifiers")
ROOT = PACKAGED_ROOT if os.path.isdir(PACKAGED_ROOT) else SOURCE_ROOT
DATASETS = {"mnist": "mnist", "mnist5k": "mnist", "stacked_mnist": "mnist",
            "stacked_mnist5k": "mnist", "fashion_mnist": "fashion_mnist"}


class Classifier:
    """A trained classifier: logits, probabilities and penultimate features."""

    def __init__(self, model: keras.Model, meta: dict):
        self.model = model
        self.meta = meta
        self.features_model = keras.Model(model.input,
                                          [model.get_layer("features").output,
                                           model.output])

    def features_and_probs(self, images, batch_size: int = 500):
        """Features [N, 128] and class probabilities [N, 10] for images in [-1, 1]."""
        feats, probs = [], []
        for i in range(0, len(images), batch_size):
            f, logits = self.features_model(np.asarray(images[i:i + batch_size]),
                                            training=False)
            feats.append(np.asarray(f, np.float64))
            probs.append(np.asarray(keras.ops.softmax(logits), np.float64))
        return np.concatenate(feats), np.concatenate(probs)


def path_for(dataset: str, root: str | None = None) -> str:
    if dataset not in DATASETS:
        raise ValueError(f"no project classifier for {dataset!r}; valid: "
                         f"{', '.join(sorted(DATASETS))}")
    return os.path.join(root or ROOT, DATASETS[dataset] + ".keras")


def load(dataset: str, root: str | None = None) -> Classifier:
    """Loads the classifier for ``dataset``; a clear error if it is missing."""
    path = path_for(dataset, root)
    if not os.path.isfile(path):
        raise FileNotFoundError(
            f"{path} not found; train it with tfgen-train-classifier "
            f"--dataset={DATASETS[dataset]} (or python tools/train_classifier.py)")
    meta_path = path[:-len(".keras")] + ".json"
    meta = json.load(open(meta_path)) if os.path.isfile(meta_path) else {}
    return Classifier(keras.models.load_model(path), meta)
