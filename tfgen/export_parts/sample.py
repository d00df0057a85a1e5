"""Parts that draw samples: ``sample`` and ``conditional_sample`` kinds."""

from __future__ import annotations

import numpy as np
import tensorflow as tf

from tfgen import priors
from tfgen.distribute import RNG_ALG
from tfgen.export_parts.base import NUM, SEED, Part, dims, input_shape, seed_pair
from tfgen.samplers import langevin as lv
from tfgen.sampling import seed_words

CLASS_SPHERE = "class_sphere"  # the ``prior`` of per-class sphere Gaussians


def _prior_variables(part, generator, name: str, prior) -> None:
    """The image shape and prior a sample part records, as variables of ``part``
    (the attributes a v1 export had: ``image_shape``, ``prior``, ``prior_mean``,
    ``prior_scale_tril``)."""
    part.image_shape = tf.Variable(dims(generator.output_shape[1:]), trainable=False,
                                   dtype=tf.int32)
    part.prior = tf.Variable(name, trainable=False, dtype=tf.string)
    part.prior_mean = tf.Variable(np.asarray(prior.mean, np.float32), trainable=False)
    part.prior_scale_tril = tf.Variable(np.asarray(prior.scale_tril, np.float32),
                                        trainable=False)


class SamplePart(Part):
    """A generator and its prior: latents → images (today's v1 export).

    Args:
      generator: Keras model mapping latents [B, d] to images in [-1, 1].
      prior: a :class:`tfgen.priors.Prior` of width d.
    """

    kind = "sample"

    def __init__(self, generator, prior: priors.Prior):
        super().__init__()
        d = prior.latent_dim
        width = input_shape(generator)[-1]
        if width is not None and width != d:
            raise ValueError(f"the generator takes latents of width {width} but the "
                             f"prior draws {d}")
        self.generator = generator
        self._prior_name, self._width = prior.name, d
        self.latent_dim = tf.Variable(d, trainable=False, dtype=tf.int32)
        _prior_variables(self, generator, prior.name, prior)
        latents = tf.TensorSpec([None, d], tf.float32, name="latents")
        self.__call__ = tf.function(self._generate, input_signature=[latents])
        self.sample = tf.function(self._sample, input_signature=[NUM, SEED])
        self.serve = tf.function(self._serve, input_signature=[latents])
        self.serve_seeded = tf.function(self._serve_seeded, input_signature=[NUM, SEED])

    def __call__(self, latents):
        """latents → images in process, as the loaded export's part is called
        (the instance's ``__call__`` function, which the export saves)."""
        return vars(self)["__call__"](latents)

    def _generate(self, latents):
        # A signature called with keyword tensors skips shape matching; this
        # makes a wrong width fail here, naming both shapes.
        latents = tf.ensure_shape(latents, [None, self._width])
        return tf.cast(self.generator(latents, training=False), tf.float32)

    def _latents(self, num, pair):
        return priors.sample(self._prior_name, tf.stack([num, self.latent_dim]), pair,
                             mean=self.prior_mean, scale_tril=self.prior_scale_tril)

    def _sample(self, num, seed):
        return self.__call__(self._latents(num, seed_pair(seed)))

    def _serve(self, latents):
        return {"images": self.__call__(latents)}

    def _serve_seeded(self, num, seed):
        return {"images": self.sample(num, seed)}

    def preview(self, num: int, seed: int = 0) -> np.ndarray:
        """``sample(num, seed)`` run eagerly (nothing traced; any seed < 2**64)."""
        z = priors.sample(self._prior_name, [int(num), self._width],
                          tf.constant(seed_words(seed)), mean=self.prior_mean,
                          scale_tril=self.prior_scale_tril)
        return np.asarray(self.generator(z, training=False), np.float32)

    def describe(self) -> dict:
        return {"kind": self.kind, "latent_dim": self._width, "prior": self._prior_name,
                "image_shape": [int(s) for s in self.image_shape.numpy()]}

    def signatures(self) -> dict:
        return {"": self.serve, "seeded": self.serve_seeded}


class ConditionalSamplePart(Part):
    """Samples of chosen classes: (latents, labels) → images.

    Args:
      generator: with ``label_input``, a Keras model taking ``[latents,
        labels]`` (labels int32 [B]; cGAN style); otherwise one taking the
        latents only, the labels choosing their distribution through
        ``class_priors`` (class-conditional CTRL).
      num_classes: K; labels run from 0 to K - 1.
      prior: the shared latent prior (default: N(0, I) of the generator's
        latent width); unused when ``class_priors`` is given.
      class_priors: a :class:`tfgen.priors.ClassPriors`; latents of label k
        come from class k's Gaussian on the sphere. Needed without
        ``label_input``.
      label_input: whether the generator takes the labels.
    """

    kind = "conditional_sample"

    def __init__(self, generator, num_classes: int, prior=None, class_priors=None,
                 label_input: bool = True):
        super().__init__()
        if not label_input and class_priors is None:
            raise ValueError("a generator without a label input needs class_priors "
                             "(the labels choose the latents' distribution)")
        k = int(num_classes)
        if class_priors is not None:
            if class_priors.num_classes != k:
                raise ValueError(f"class_priors has {class_priors.num_classes} classes, "
                                 f"not num_classes={k}")
            d = class_priors.latent_dim
        else:
            d = prior.latent_dim if prior is not None else input_shape(generator)[-1]
        prior = prior or priors.Prior("normal", d)
        self.generator, self._label_input = generator, bool(label_input)
        self._width, self._classes = int(d), k
        self._prior_name = CLASS_SPHERE if class_priors is not None else prior.name
        self.latent_dim = tf.Variable(self._width, trainable=False, dtype=tf.int32)
        self.num_classes = tf.Variable(k, trainable=False, dtype=tf.int32)
        self.label_input = tf.Variable(self._label_input, trainable=False)
        _prior_variables(self, generator, self._prior_name, prior)
        if class_priors is not None:
            self.class_means = tf.Variable(class_priors.means, trainable=False)
            self.class_scale_trils = tf.Variable(class_priors.scale_trils,
                                                 trainable=False)
        latents = tf.TensorSpec([None, self._width], tf.float32, name="latents")
        labels = tf.TensorSpec([None], tf.int32, name="labels")
        self.__call__ = tf.function(self._generate, input_signature=[latents, labels])
        self.sample = tf.function(self._sample, input_signature=[labels, SEED])
        self.serve = tf.function(self._serve, input_signature=[latents, labels])
        self.serve_seeded = tf.function(self._serve_seeded, input_signature=[labels, SEED])

    def _checked(self, labels):
        labels = tf.cast(labels, tf.int32)
        checks = [tf.debugging.assert_non_negative(labels, message="labels must be >= 0"),
                  tf.debugging.assert_less(labels, self._classes,
                                           message=f"labels must be below {self._classes}")]
        with tf.control_dependencies(checks):  # before any gather by label
            return tf.identity(labels)

    def _apply(self, latents, labels):
        inputs = [latents, labels] if self._label_input else latents
        return tf.cast(self.generator(inputs, training=False), tf.float32)

    def _generate(self, latents, labels):
        latents = tf.ensure_shape(latents, [None, self._width])
        return self._apply(latents, self._checked(labels))

    def _latents(self, labels, pair):
        if self._prior_name != CLASS_SPHERE:
            return priors.sample(self._prior_name, tf.stack([tf.size(labels), self._width]),
                                 pair, mean=self.prior_mean,
                                 scale_tril=self.prior_scale_tril)
        # As priors.ClassPriors.sample, on the saved variables.
        eps = tf.random.stateless_normal(tf.stack([tf.size(labels), self._width]), pair,
                                         alg=RNG_ALG)
        z = tf.gather(self.class_means, labels) + tf.linalg.matvec(
            tf.gather(self.class_scale_trils, labels), eps)
        return tf.math.l2_normalize(z, axis=-1)

    def _sample(self, labels, seed):
        labels = self._checked(labels)
        return self._apply(self._latents(labels, seed_pair(seed)), labels)

    def _serve(self, latents, labels):
        return {"images": self.__call__(latents, labels)}

    def _serve_seeded(self, labels, seed):
        return {"images": self.sample(labels, seed)}

    def preview(self, labels, seed: int = 0) -> np.ndarray:
        """``sample(labels, seed)`` run eagerly (any seed < 2**64)."""
        labels = np.asarray(labels, np.int32).reshape([-1])
        if labels.size and not 0 <= labels.min() <= labels.max() < self._classes:
            raise ValueError(f"labels must run from 0 to {self._classes - 1}")
        labels = tf.constant(labels)
        z = self._latents(labels, tf.constant(seed_words(seed)))
        return np.asarray(self._apply(z, labels))

    def describe(self) -> dict:
        return {"kind": self.kind, "latent_dim": self._width,
                "num_classes": self._classes, "prior": self._prior_name,
                "label_input": self._label_input,
                "image_shape": [int(s) for s in self.image_shape.numpy()]}

    def signatures(self) -> dict:
        return {"": self.serve, "seeded": self.serve_seeded}


class LangevinSamplePart(Part):
    """Samples of a descriptor alone (Algorithm D): Langevin from noise.

    ``sample(num, seed)``: Y0 = s·N(0, I) from the seed, then ``num_steps``
    of CoopNets eq. (4) with step size δ and reference s (the noise from
    ``fold_in(seed, 1)``), as the model draws them in training. No latents:
    ``latent_dim`` is 0 and there is no ``__call__``.
    """

    kind = "sample"

    def __init__(self, descriptor, image_shape, num_steps: int, step_size: float,
                 ref_std: float):
        super().__init__()
        self.descriptor = descriptor
        self._shape = [int(s) for s in image_shape]
        self._steps, self._delta = int(num_steps), float(step_size)
        self._ref_std = float(ref_std)
        self.latent_dim = tf.Variable(0, trainable=False, dtype=tf.int32)
        self.image_shape = tf.Variable(self._shape, trainable=False, dtype=tf.int32)
        self.sample = tf.function(self._sample, input_signature=[NUM, SEED])
        self.serve_seeded = tf.function(self._serve_seeded, input_signature=[NUM, SEED])

    def _score(self, y):
        return tf.reshape(self.descriptor(y, training=False), [-1])

    def _draw(self, num, pair):
        y0 = self._ref_std * tf.random.stateless_normal(
            tf.concat([tf.reshape(num, [1]), self._shape], 0), pair, alg=RNG_ALG)
        y = lv.coopnets_revise(self._score, y0, self._steps, self._delta, self._ref_std,
                               tf.random.experimental.stateless_fold_in(pair, 1))
        return tf.cast(y, tf.float32)

    def _sample(self, num, seed):
        return self._draw(num, seed_pair(seed))

    def _serve_seeded(self, num, seed):
        return {"images": self.sample(num, seed)}

    def preview(self, num: int, seed: int = 0) -> np.ndarray:
        """``sample(num, seed)`` run eagerly (any seed < 2**64)."""
        return self._draw(tf.constant(int(num), tf.int32),
                          tf.constant(seed_words(seed))).numpy()

    def describe(self) -> dict:
        return {"kind": self.kind, "latent_dim": 0, "image_shape": self._shape,
                "sampler": "langevin", "num_steps": self._steps,
                "step_size": self._delta, "ref_std": self._ref_std}

    def signatures(self) -> dict:
        return {"seeded": self.serve_seeded}
