"""Pix2Pix (issue 12): losses, U-Net, PatchGAN, replicas, export, a real run."""

import os

import keras
import numpy as np
import pytest
import tensorflow as tf
from PIL import Image

from tfgen import builders, classifiers, data, export
from tfgen import config as config_lib
from tfgen.data.errors import DataError
from tfgen.losses import (l1_reconstruction_loss, non_saturating_generator_loss,
                          pix2pix_generator_loss)
from tfgen.metrics import translation
from tfgen.models.pix2pix import Pix2Pix
from tfgen.networks import patchgan
from tfgen.networks.patchgan import patchgan_discriminator, receptive_field
from tfgen.networks.unet import unet_generator
from tfgen.testing import max_abs_difference, weights_after_steps

LOG2 = float(np.log(2.0))


def test_l1_and_generator_loss_hand_values():
    y = tf.constant([[1.0, -1.0], [0.0, 0.5]])
    yhat = tf.constant([[0.5, 0.0], [0.0, -0.5]])
    # |0.5| + |-1| + 0 + |1| = 2.5 over 4 pixels.
    assert float(l1_reconstruction_loss(y, yhat)) == pytest.approx(0.625)
    logits = tf.zeros([2, 3, 3, 1])  # a PatchGAN map of zeros: -log sigmoid(0) = log 2
    assert float(pix2pix_generator_loss(logits, y, yhat)) == pytest.approx(LOG2 + 62.5)
    assert float(pix2pix_generator_loss(logits, y, yhat, l1_weight=0.0)) == \
        pytest.approx(LOG2)
    assert float(pix2pix_generator_loss(logits, y, yhat, adversarial_weight=0.0)) == \
        pytest.approx(62.5)
    assert float(non_saturating_generator_loss(tf.constant([2.0]))) == \
        pytest.approx(np.log1p(np.exp(-2.0)))


def _zero_critic(shape):
    """A PatchGAN whose logits are 0 everywhere (zero head), so D's and G's
    adversarial losses have known values."""
    d = patchgan_discriminator(shape, width=4, norm="none")
    head = d.get_layer("patch_logits")
    head.set_weights([np.zeros_like(w) for w in head.get_weights()])
    return d


@pytest.mark.parametrize("objective", ["cgan_l1", "l1", "cgan"])
def test_step_losses_hand_values(objective):
    keras.utils.set_random_seed(0)
    g = unet_generator((8, 8, 1), (8, 8, 1), width=4, depth=2, dropout=0.0, norm="none")
    model = Pix2Pix(g, _zero_critic((8, 8, 2)), objective=objective)
    model.compile({"generator": keras.optimizers.SGD(0.0),
                   "discriminator": keras.optimizers.SGD(0.0)})
    rng = np.random.default_rng(0)
    a, b = (rng.uniform(-1, 1, (4, 8, 8, 1)).astype("float32") for _ in range(2))
    l1 = float(np.mean(np.abs(b - g(a, training=True).numpy())))
    logs = model.train_step((tf.constant(a), tf.constant(b)))
    adversarial = objective != "l1"
    # D: -log sigmoid(0) - log(1 - sigmoid(0)) = 2 log 2 (reported before halving).
    assert float(logs["d_loss"]) == pytest.approx(2 * LOG2 if adversarial else 0.0)
    assert float(logs["g_adv"]) == pytest.approx(LOG2 if adversarial else 0.0)
    assert float(logs["l1"]) == pytest.approx(l1, rel=1e-5)
    want = (LOG2 if adversarial else 0.0) + (100 * l1 if objective != "cgan" else 0.0)
    assert float(logs["g_loss"]) == pytest.approx(want, rel=1e-5)


def _empirical_field(d, size):
    """Side of the input region that moves the centre logit (non-zero gradient)."""
    x = tf.Variable(tf.random.stateless_normal([1, size, size, d.input_shape[-1]], [1, 2]))
    with tf.GradientTape() as tape:
        out = d(x)
        centre = out[0, out.shape[1] // 2, out.shape[2] // 2, 0]
    grad = np.abs(tape.gradient(centre, x).numpy()[0]).sum(-1)
    rows, cols = np.nonzero(grad.sum(1))[0], np.nonzero(grad.sum(0))[0]
    return rows.max() - rows.min() + 1, cols.max() - cols.min() + 1


def test_receptive_field_hand_counts():
    # Isola et al.: C64-C128-C256 stride 2, C512 stride 1, 1-logit conv:
    # 4 -> 7 -> 16 -> 34 -> 70; our default (one stride-2 4x4, 3x3 head): 3 -> 8.
    assert receptive_field(3, 1, 4, 4) == 70
    assert receptive_field(1, 1, 4, 4) == 16
    assert receptive_field() == 8
    assert receptive_field(downsample=2) == 18
    for kw in ({}, {"downsample": 2}):
        keras.utils.set_random_seed(0)
        d = patchgan_discriminator((64, 64, 2), width=4, norm="none", **kw)
        field = receptive_field(**kw)
        # Stride 2 and even kernels: the centre logit's field is the count,
        # or one less where its left edge falls outside the zero padding.
        assert max(_empirical_field(d, 64)) in (field, field - 1), kw
    assert patchgan.layer_specs(3, 1, 4, 4) == [(4, 2)] * 3 + [(4, 1), (4, 1)]


def test_unet_shapes_skips_and_dropout():
    for i, o in [((28, 28, 1), (28, 28, 1)), ((28, 28, 3), (28, 28, 3)),
                 ((32, 32, 1), (32, 32, 3))]:
        g = unet_generator(i, o, width=4, depth=3)
        assert g.output_shape == (None,) + o
    with_skips = unet_generator((28, 28, 1), (28, 28, 1), width=4, depth=3)
    without = unet_generator((28, 28, 1), (28, 28, 1), width=4, depth=3, skips=False)
    concat = [sum(isinstance(l, keras.layers.Concatenate) for l in m.layers)
              for m in (with_skips, without)]
    assert concat == [2, 0]  # encoder stages 1, 2 join decoder stages 2, 1
    x = np.random.default_rng(0).uniform(-1, 1, (4, 28, 28, 1)).astype("float32")
    # Dropout is the noise at training time only: inference is deterministic.
    np.testing.assert_array_equal(with_skips(x, training=False),
                                  with_skips(x, training=False))
    with pytest.raises(ValueError, match="same height and width"):
        unet_generator((28, 28, 1), (32, 32, 1))


def _small(dropout=0.0):
    def make():
        g = unet_generator((8, 8, 1), (8, 8, 3), width=4, depth=2, dropout=dropout)
        d = patchgan_discriminator((8, 8, 4), width=4, extra=1)
        return (Pix2Pix(g, d), {"generator": keras.optimizers.Adam(1e-3),
                                "discriminator": keras.optimizers.Adam(1e-3)})
    return make


def test_two_replicas_equal_one_device(two_replicas, one_device):
    rng = np.random.default_rng(1)
    batch = (rng.uniform(-1, 1, (8, 8, 8, 1)).astype("float32"),
             rng.uniform(-1, 1, (8, 8, 8, 3)).astype("float32"))
    one = weights_after_steps(one_device, _small(), batch, steps=2)
    two = weights_after_steps(two_replicas, _small(), batch, steps=2)
    assert max_abs_difference(one, two) < 1e-5


def test_export_reload_same_translation(tmp_path):
    model, _ = _small(dropout=0.5)()
    path = export.save(model.export_parts(), str(tmp_path / "export"))
    exp = export.load(path)
    assert exp.kinds == ["translate"]
    assert exp.describe("translate_a_to_b")["direction"] == "a_to_b"
    x = np.random.default_rng(2).uniform(-1, 1, (5, 8, 8, 1)).astype("float32")
    np.testing.assert_allclose(exp.part("translate")(x).numpy(),
                               model.generator(x, training=False).numpy(), atol=1e-6)


def test_short_mnist_edges_run_is_read_by_the_classifier(shared_data):
    """300 steps of cGAN + L1 on edges -> digit; the MNIST classifier reads the
    source digit's label in the exported-mode translations of 500 held-out
    edge maps. Checked on seeds 0, 1, 2 (accuracy 0.902, 0.884, 0.892 and L1
    0.113, 0.121, 0.126 in one run; chance 0.1, the true digits 0.99); the
    test runs seed 0."""
    c = config_lib.base_config("pix2pix")
    c.data.name, c.data.data_dir, c.data.batch_size = "mnist_edges", shared_data, 32
    config_lib.set_network(c, "generator", "unet_generator", width=16, depth=3)
    config_lib.set_network(c, "discriminator", "patchgan_discriminator", width=32)
    keras.utils.set_random_seed(0)
    model, opts = builders.build(c, data.info_for("paired", "mnist_edges", shared_data))
    model.compile(opts)
    model.fit(data.make("paired", "mnist_edges", 32, data_dir=shared_data, seed=0),
              steps_per_epoch=300, epochs=1, verbose=0)
    a, b = (x[:500] for x in data.load_pairs("mnist_edges", "test", shared_data))
    labels = data.load_arrays("mnist", "test", shared_data)[1][:500]
    out = model.generator(a, training=False).numpy()
    clf = classifiers.load("mnist")
    acc = translation.label_accuracy(lambda x: clf.model(x, training=False), out, labels)
    assert acc > 0.75, acc
    assert translation.l1_error(b, out) < 0.16


def test_unpaired_data_for_pix2pix_is_a_one_line_error():
    c = config_lib.base_config("pix2pix")
    c.data.name, c.data.target = "mnist", "mnist_inverted"
    with pytest.raises(ValueError, match="drop data.target") as err:
        config_lib.check(c)
    assert "\n" not in str(err.value)
    with pytest.raises(DataError, match="unknown paired dataset 'mnist'.*pairs:"):
        data.info_for("paired", "mnist")


def _pairs_folder(root, names_a, names_b, size_b=8):
    for side, names, size in (("A", names_a, 8), ("B", names_b, size_b)):
        os.makedirs(root / side, exist_ok=True)
        for n in names:  # the value names the pair
            value = 40 * (ord(n[0]) - ord("w"))
            Image.fromarray(np.full((size, size), value, np.uint8)).save(root / side / n)
    return f"pairs:{root}"


def test_pairs_folder_loads_and_rejects_bad_folders(tmp_path):
    good = _pairs_folder(tmp_path / "good", ["x.png", "y.png"], ["y.png", "x.png"])
    a, b = data.load_pairs(good)
    assert a.shape == b.shape == (2, 8, 8, 1)
    np.testing.assert_allclose(a, b)  # partners by name, not by listing order
    cases = {"missing": (["x.png", "y.png"], ["x.png"], 8, "A/y has no partner"),
             "sizes": (["x.png"], ["x.png"], 6, "A/ images are 8×8 but B/ images 6×6"),
             "empty": ([], ["x.png"], 8, "holds no images")}
    for name, (na, nb, size, message) in cases.items():
        path = _pairs_folder(tmp_path / name, na, nb, size)
        with pytest.raises(DataError, match=message) as err:
            data.load_pairs(path)
        assert "\n" not in str(err.value)


def test_lab_conversion_known_values_and_round_trip():
    from tfgen.layers import colour_space as cs

    # sRGB (D65) → CIE Lab reference values (Lindbloom's calculator; skimage
    # agrees to 0.01): white, black, the primaries and mid grey.
    rgb = np.array([[1, 1, 1], [0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1], [.5, .5, .5]],
                   np.float32)
    want = [[100, 0, 0], [0, 0, 0], [53.241, 80.092, 67.203], [87.735, -86.183, 83.179],
            [32.297, 79.188, -107.860], [53.389, 0, 0]]
    np.testing.assert_allclose(cs.rgb_to_lab(rgb).numpy(), want, atol=0.02)
    x = np.random.default_rng(0).uniform(0, 1, (500, 3)).astype(np.float32)
    np.testing.assert_allclose(cs.lab_to_rgb(cs.rgb_to_lab(x)).numpy(), x, atol=1e-4)
    # A grey pixel's lightness as the released code scales it (L / 50 - 1),
    # and (grey L, zero chroma) back to that grey.
    grey = np.array([[-1.0], [0.0], [1.0]], np.float32)
    lightness = cs.grey_lightness(grey).numpy()
    np.testing.assert_allclose(lightness[:, 0], [-1, 53.389 / 50 - 1, 1], atol=1e-3)
    back = cs.recombine(lightness, np.zeros((3, 2), np.float32)).numpy()
    np.testing.assert_allclose(back, np.repeat(grey, 3, -1), atol=1e-4)
    # Colour images → (L, ab / 110) → the same images.
    img = np.random.default_rng(1).uniform(-1, 1, (2, 4, 4, 3)).astype(np.float32)
    lab = cs.rgb_to_lab((img + 1) / 2).numpy()
    again = cs.recombine(lab[..., :1] / 50 - 1, cs.chroma(img)).numpy()
    np.testing.assert_allclose(again, img, atol=1e-4)


def test_lab_colourisation_keeps_input_lightness_and_exports(tmp_path):
    from tfgen.layers import colour_space as cs

    keras.utils.set_random_seed(0)
    g = unet_generator((8, 8, 1), (8, 8, 3), width=4, depth=2, dropout=0.0, out_channels=2)
    d = patchgan_discriminator((8, 8, 4), width=4, in_channels=3)
    model = Pix2Pix(g, d, colour_space="lab")
    model.compile({"generator": keras.optimizers.Adam(1e-3),
                   "discriminator": keras.optimizers.Adam(1e-3)})
    rng = np.random.default_rng(3)
    a = rng.uniform(-0.6, 0.6, (4, 8, 8, 1)).astype("float32")
    b = rng.uniform(-1, 1, (4, 8, 8, 3)).astype("float32")
    # G's L1 is on the chroma ab / 110 (the released code's target), from L.
    ab = g(cs.grey_lightness(a), training=True).numpy()
    logs = model.train_step((tf.constant(a), tf.constant(b)))
    assert float(logs["l1"]) == pytest.approx(
        float(np.mean(np.abs(cs.chroma(b).numpy() - ab))), rel=1e-4)
    out = model.translator()(a, training=False).numpy()
    assert out.shape == (4, 8, 8, 3)
    light = cs.rgb_to_lab((out + 1) / 2).numpy()[..., 0]
    np.testing.assert_allclose(light, (cs.grey_lightness(a).numpy()[..., 0] + 1) * 50,
                               atol=0.5)  # the input's L, up to gamut clipping
    exp = export.load(export.save(model.export_parts(), str(tmp_path / "export")))
    np.testing.assert_allclose(exp.part("translate")(a).numpy(), out, atol=1e-5)
    with pytest.raises(ValueError, match="out_channels=2") as err:
        Pix2Pix(unet_generator((8, 8, 1), (8, 8, 3), width=4, depth=2), d,
                colour_space="lab")
    assert "\n" not in str(err.value)
