"""DANN's three networks (Ganin et al. 2016, JMLR, Sec. 5.2.2, Fig. 4 MNIST).

* ``dann_features``: images → features, two conv(5×5) + ReLU + max-pool
  blocks (32 and 48 filters); on 28×28 the flattened map is 4·4·48 = 768,
  the paper's feature width. A different width (``latent_dim``) or input
  size gets a dense ReLU layer to ``latent_dim`` after the flatten.
* ``dann_classifier``: features → K class logits, hidden (100, 100) ReLU.
* ``dann_domain_classifier``: features → one domain logit, hidden (100,).

No batch normalisation: its statistics would mix or split the domains
(and differ per replica, NOTES-keras3 #8); the paper's MNIST model has none.
"""

from __future__ import annotations

import keras


def dann_features(image_shape, latent_dim: int = 768, filters: tuple = (32, 48),
                  kernel: int = 5, name: str = "features") -> keras.Model:
    x = inp = keras.Input(tuple(image_shape))
    for f in filters:
        x = keras.layers.Conv2D(int(f), int(kernel), activation="relu")(x)
        x = keras.layers.MaxPooling2D(2)(x)
    x = keras.layers.Flatten()(x)
    if int(x.shape[-1]) != int(latent_dim):
        x = keras.layers.Dense(int(latent_dim), activation="relu")(x)
    return keras.Model(inp, x, name=name)


def _mlp(width: int, hidden: tuple, out: int, name: str) -> keras.Model:
    x = inp = keras.Input((int(width),))
    for h in hidden:
        x = keras.layers.Dense(int(h), activation="relu")(x)
    return keras.Model(inp, keras.layers.Dense(int(out))(x), name=name)


def dann_classifier(latent_dim: int, num_classes: int, hidden: tuple = (100, 100),
                    name: str = "classifier") -> keras.Model:
    return _mlp(latent_dim, hidden, num_classes, name)


def dann_domain_classifier(latent_dim: int, hidden: tuple = (100,),
                           name: str = "domain_classifier") -> keras.Model:
    return _mlp(latent_dim, hidden, 1, name)
