"""sRGB ↔ CIE L*a*b* (D65) in TensorFlow, for Pix2Pix's Lab colourisation.

The released pix2pix code (Isola et al.'s pytorch-CycleGAN-and-pix2pix,
its ``colorization`` dataset and model) colourises in Lab space: the input
is the lightness L scaled to [-1, 1] (L / 50 − 1), the generator predicts
the two chroma channels ab scaled by 1/110, and the output image is
(input L, predicted ab) converted back to RGB. The lightness of the output
is then the input's by construction; the network only chooses colours.

Conventions (those of the common references, e.g. scikit-image's
``rgb2lab``): sRGB primaries and transfer curve (linear below 0.04045),
D65 white (0.95047, 1, 1.08883), CIE's ε = 216/24389 and κ = 24389/27.
Pixels of the public helpers are in tfgen's image range [-1, 1].
Converting an ab outside the sRGB gamut back to RGB clips to [0, 1] (as
scikit-image does).

Pure functions plus two small Keras layers, :class:`LabLightness` and
:class:`LabRecombine`, which compose an exported translator
(grey → L → generator → ab → RGB).
"""

from __future__ import annotations

import keras
import tensorflow as tf

L_SCALE, AB_SCALE = 50.0, 110.0  # the released code's L / 50 − 1 and ab / 110
WHITE = (0.95047, 1.0, 1.08883)
_EPS, _KAPPA = 216.0 / 24389.0, 24389.0 / 27.0
_RGB_TO_XYZ = ((0.412453, 0.357580, 0.180423),
               (0.212671, 0.715160, 0.072169),
               (0.019334, 0.119193, 0.950227))


def _matrix(rows):
    return tf.constant(rows, tf.float32)


def srgb_to_linear(rgb):
    """sRGB values in [0, 1] → linear light."""
    rgb = tf.convert_to_tensor(rgb, tf.float32)
    return tf.where(rgb > 0.04045, tf.pow((tf.maximum(rgb, 0.04045) + 0.055) / 1.055, 2.4),
                    rgb / 12.92)


def linear_to_srgb(lin):
    """Linear light → sRGB values, clipped to [0, 1]."""
    lin = tf.clip_by_value(tf.convert_to_tensor(lin, tf.float32), 0.0, 1.0)
    return tf.where(lin > 0.0031308,
                    1.055 * tf.pow(tf.maximum(lin, 0.0031308), 1 / 2.4) - 0.055,
                    lin * 12.92)


def _f(t):
    return tf.where(t > _EPS, tf.pow(tf.maximum(t, _EPS), 1 / 3), (_KAPPA * t + 16) / 116)


def _f_inverse(f):
    cube = f ** 3
    return tf.where(cube > _EPS, cube, (116 * f - 16) / _KAPPA)


def rgb_to_lab(rgb):
    """sRGB [..., 3] in [0, 1] → Lab [..., 3] (L in [0, 100])."""
    xyz = tf.linalg.matvec(_matrix(_RGB_TO_XYZ), srgb_to_linear(rgb)) / tf.constant(WHITE)
    fx, fy, fz = tf.unstack(_f(xyz), axis=-1)
    return tf.stack([116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)], axis=-1)


def lab_to_rgb(lab):
    """Lab [..., 3] → sRGB [..., 3] in [0, 1] (out-of-gamut colours clipped)."""
    l, a, b = tf.unstack(tf.convert_to_tensor(lab, tf.float32), axis=-1)
    fy = (l + 16) / 116
    fxyz = tf.stack([fy + a / 500, fy, fy - b / 200], axis=-1)
    xyz = _f_inverse(fxyz) * tf.constant(WHITE)
    inverse = tf.linalg.inv(tf.constant(_RGB_TO_XYZ, tf.float64))
    return linear_to_srgb(tf.linalg.matvec(tf.cast(inverse, tf.float32), xyz))


def grey_lightness(grey):
    """Grey images in [-1, 1] [..., 1] → their Lab lightness scaled as the
    released code's input, L / 50 − 1 (a grey pixel g has L = 116 f(lin(g)) − 16)."""
    lin = srgb_to_linear((tf.convert_to_tensor(grey, tf.float32) + 1) / 2)
    return (116 * _f(lin) - 16) / L_SCALE - 1


def chroma(images):
    """RGB images in [-1, 1] → their ab channels / 110 (the released code's target)."""
    return rgb_to_lab((tf.convert_to_tensor(images, tf.float32) + 1) / 2)[..., 1:] / AB_SCALE


def recombine(lightness, ab):
    """(L / 50 − 1 [..., 1], ab / 110 [..., 2]) → RGB images in [-1, 1]."""
    lab = tf.concat([(lightness + 1) * L_SCALE, ab * AB_SCALE], axis=-1)
    return lab_to_rgb(lab) * 2 - 1


@keras.saving.register_keras_serializable(package="tfgen")
class LabLightness(keras.layers.Layer):
    """Grey images in [-1, 1] → L / 50 − 1 (:func:`grey_lightness`)."""

    def call(self, grey):
        return grey_lightness(grey)

    def compute_output_shape(self, shape):
        return shape


@keras.saving.register_keras_serializable(package="tfgen")
class LabRecombine(keras.layers.Layer):
    """[L / 50 − 1, ab / 110] → RGB images in [-1, 1] (:func:`recombine`)."""

    def call(self, inputs):
        lightness, ab = inputs
        return recombine(lightness, tf.cast(ab, tf.float32))

    def compute_output_shape(self, shapes):
        return tuple(shapes[0][:-1]) + (3,)
