"""The semi-supervised GAN: losses by hand, replicas, the label-leak test,
export, 100-label MNIST well above chance, and one-line errors."""

import math

import keras
import numpy as np
import pytest
import tensorflow as tf

from tfgen import builders, data, export
from tfgen import config as config_lib
from tfgen.data.errors import DataError
from tfgen.losses import (feature_matching_loss, semi_supervised_classifier_loss,
                          semi_supervised_discriminator_loss, semi_supervised_generator_loss)
from tfgen.models.ssgan import SemiSupervisedGAN
from tfgen.networks.ssgan import ssgan_discriminator, ssgan_generator
from tfgen.testing import max_abs_difference, weights_after_steps


def softplus(x):
    return math.log1p(math.exp(x))


# ------------------------------------------------------------ the losses --
def test_losses_match_hand_computed_values():
    # D(x) = Z / (Z + 1): logits (0, 0) give Z = 2, D = 2/3; logits
    # (ln 3, −inf-ish) give Z ≈ 3, D ≈ 3/4.
    real = np.array([[0.0, 0.0], [math.log(3.0), -30.0]], np.float32)
    gen = np.array([[0.0, 0.0]], np.float32)
    want_d = -(math.log(2 / 3) + math.log(3 / 4)) / 2 - math.log(1 - 2 / 3)
    assert float(semi_supervised_discriminator_loss(real, gen)) == pytest.approx(want_d,
                                                                                 rel=1e-5)
    assert float(semi_supervised_generator_loss(gen)) == pytest.approx(-math.log(2 / 3),
                                                                       rel=1e-5)
    # Cross-entropy of the labelled classes: softmax over the K real classes.
    labelled = np.array([[1.0, 0.0], [0.0, 2.0]], np.float32)
    want_c = -(math.log(math.e / (math.e + 1)) + math.log(1 / (1 + math.e ** 2))) / 2
    assert float(semi_supervised_classifier_loss(labelled, np.array([0, 0]))) == \
        pytest.approx(want_c, rel=1e-5)
    # ||mean f(x) − mean f(G(z))||²: means (1, 2) and (0, 0).
    f_real = np.array([[0.0, 1.0], [2.0, 3.0]], np.float32)
    f_gen = np.array([[1.0, -1.0], [-1.0, 1.0]], np.float32)
    assert float(feature_matching_loss(f_real, f_gen)) == pytest.approx(5.0)
    # The unsupervised loss is the GAN loss on logit D = LSE(l): softplus form.
    lse = math.log(2.0)
    assert float(semi_supervised_generator_loss(gen)) == pytest.approx(softplus(lse) - lse,
                                                                       rel=1e-6)


# --------------------------------------------------------------- model --
def tiny(generator_loss="feature_matching", noise=0.0):
    def make():
        g = ssgan_generator(4, (8, 8, 1), hidden=(16,))
        d = ssgan_discriminator((8, 8, 1), 3, hidden=(16, 8), input_noise=noise,
                                hidden_noise=noise)
        model = SemiSupervisedGAN(g, d, latent_dim=4, num_classes=3, seed=2,
                                  generator_loss=generator_loss)
        return model, {"generator": keras.optimizers.Adam(1e-3),
                       "discriminator": keras.optimizers.Adam(1e-3)}
    return make


def tiny_batch(n_l=4, n_u=8, seed=0):
    rng = np.random.default_rng(seed)
    x_l = rng.uniform(-1, 1, (n_l, 8, 8, 1)).astype("float32")
    y_l = rng.integers(0, 3, n_l).astype("int64")
    x_u = rng.uniform(-1, 1, (n_u, 8, 8, 1)).astype("float32")
    return (x_l, y_l), x_u


@pytest.mark.parametrize("fm", ["feature_matching", "both"])
def test_two_replicas_equal_one_device(fm, two_replicas, one_device):
    batch = tiny_batch()
    one = weights_after_steps(one_device, tiny(fm), batch, steps=2)
    two = weights_after_steps(two_replicas, tiny(fm), batch, steps=2)
    assert max_abs_difference(one, two) < 1e-5


def _images_npz(path, images, labels=None):
    if labels is None:
        np.savez(path, images=images)
    else:
        np.savez(path, images=images, labels=labels)
    return "npz:" + str(path)


def _train(dataset, steps=3):
    keras.utils.set_random_seed(0)
    model, opts = tiny()()
    model.compile(opts)
    model.fit(dataset, steps_per_epoch=steps, epochs=1, verbose=0)
    return [np.asarray(w) for w in model.weights]


def test_only_the_chosen_labels_reach_the_loss(tmp_path):
    """Training on 30 chosen labels of 300 examples gives bit-identical
    weights to training on a data set that holds ONLY those 30 labelled
    examples (plus the 300 images without any label): the other 270 labels
    never reach the loss. A run that leaked them would differ."""
    rng = np.random.default_rng(0)
    images = rng.uniform(-1, 1, (300, 8, 8, 1)).astype("float32")
    labels = np.repeat(np.arange(3), 100)
    rng.shuffle(labels)
    full = _images_npz(tmp_path / "full.npz", images, labels)
    rows = data.labelled_subset(labels, 30, seed=7)
    assert np.bincount(labels[rows]).tolist() == [10, 10, 10]  # balanced, from the seed
    only = _images_npz(tmp_path / "only.npz", images[rows], labels[rows])
    unlabelled = _images_npz(tmp_path / "unlabelled.npz", images)
    kw = dict(batch_size=8, seed=7)
    leak_free = _train(data.make("semi_supervised", full, labelled_examples=30, **kw))
    reference = _train(data.make("semi_supervised", only, target=unlabelled, **kw))
    assert max_abs_difference(leak_free, reference) == 0.0
    # And the labels do matter: other labels for the chosen rows change training.
    relabelled = _images_npz(tmp_path / "re.npz", images[rows], (labels[rows] + 1) % 3)
    other = _train(data.make("semi_supervised", relabelled, target=unlabelled, **kw))
    assert max_abs_difference(leak_free, other) > 0.0


def test_labelled_batches_come_from_the_subset_only(tmp_path):
    rng = np.random.default_rng(1)
    images = rng.uniform(-1, 1, (200, 8, 8, 1)).astype("float32")
    images[:, 0, 0, 0] = np.arange(200) / 100.0 - 1.0  # an id in pixel (0, 0)
    labels = np.arange(200) % 4
    path = _images_npz(tmp_path / "ids.npz", images, labels)
    rows = set(data.labelled_subset(labels, 20, seed=3).tolist())
    ds = data.make("semi_supervised", path, 16, labelled_examples=20, seed=3)
    seen = set()
    for (x_l, y_l), _ in ds.take(10):
        ids = np.rint((x_l.numpy()[:, 0, 0, 0] + 1.0) * 100).astype(int)
        assert np.array_equal(labels[ids], y_l.numpy())
        seen |= set(ids.tolist())
    assert seen == rows


def test_export_reloads_sample_and_classify_parts(tmp_path):
    keras.utils.set_random_seed(3)
    model, _ = tiny()()
    path = export.save(model.export_parts(), str(tmp_path / "e"), metadata={"method": "ssgan"})
    loaded = export.load(path)
    assert sorted(loaded.kinds) == ["classify", "sample"]
    x = np.random.default_rng(0).uniform(-1, 1, (5, 8, 8, 1)).astype("float32")
    np.testing.assert_allclose(loaded.part("classify")(tf.constant(x)).numpy(),
                               model.classify(x).numpy(), atol=1e-5)
    z = np.random.default_rng(1).normal(size=(4, 4)).astype("float32")
    np.testing.assert_allclose(loaded.part("sample")(tf.constant(z)).numpy(),
                               model.generator(z).numpy(), atol=1e-6)


def test_bad_inputs_are_one_line_errors(tmp_path):
    # Labels out of range reach no loss: the step stops with the range.
    (x_l, _), x_u = tiny_batch()
    model, opts = tiny()()
    model.compile(opts)
    bad = tf.data.Dataset.from_tensors(((x_l, np.array([0, 1, 2, 3])), x_u)).repeat()
    with pytest.raises(tf.errors.InvalidArgumentError, match="labels must be below 3"):
        model.fit(bad, steps_per_epoch=1, epochs=1, verbose=0)
    images = np.zeros((40, 8, 8, 1), np.float32)
    unlabelled = _images_npz(tmp_path / "nolabels.npz", images)
    with pytest.raises(DataError, match="has no labels"):
        data.make("semi_supervised", unlabelled, 8, labelled_examples=10)
    labelled = _images_npz(tmp_path / "l.npz", images, np.arange(40) % 4)
    with pytest.raises(DataError, match="labelled_examples=100 but the source has 40"):
        data.make("semi_supervised", labelled, 8, labelled_examples=100)
    with pytest.raises(DataError, match="only applies to kind semi_supervised"):
        data.make("images", labelled, 8, labelled_examples=10)
    d = ssgan_discriminator((8, 8, 1), 4, hidden=(8,))
    with pytest.raises(ValueError, match=r"must output \[3 class logits"):
        SemiSupervisedGAN(ssgan_generator(4, (8, 8, 1), hidden=(8,)), d, latent_dim=4,
                          num_classes=3)
    with pytest.raises(ValueError, match="unknown generator_loss 'minimax'"):
        SemiSupervisedGAN(ssgan_generator(4, (8, 8, 1), hidden=(8,)), d, latent_dim=4,
                          num_classes=4, generator_loss="minimax")


# ----------------------------------------------------- real-data behaviour --
def small_mnist_config(seed, labelled=100):
    """The bench's CPU-sized semi-supervised GAN (see bench/ssgan.py)."""
    c = config_lib.base_config("ssgan")
    c.seed = seed
    c.data.name, c.data.batch_size, c.data.labelled_examples = "mnist", 100, labelled
    config_lib.set_network(c, "generator", "ssgan_generator", hidden=(250, 250))
    config_lib.set_network(c, "discriminator", "ssgan_discriminator",
                           hidden=(500, 250, 250))
    c.optim.g_lr = c.optim.d_lr = 1e-3
    return c


def build(c, shared_data):
    keras.utils.set_random_seed(c.seed)
    info = data.info_for("semi_supervised", c.data.name, shared_data,
                         labelled_examples=c.data.labelled_examples)
    model, opts = builders.build(c, info)
    model.compile(opts)
    ds = data.make("semi_supervised", c.data.name, c.data.batch_size, data_dir=shared_data,
                   labelled_examples=c.data.labelled_examples, seed=c.seed)
    return model, ds


# 600 steps: at 300 the accuracy of seed 0 moved from 0.72 to 0.56 between two
# CPU models (the trajectory is chaotic that early); at 600 seeds 0, 1, 2 gave
# 0.746, 0.702 and 0.719 on the second machine.
STEPS = 600


def test_100_labels_classify_mnist_far_above_chance(shared_data):
    model, ds = build(small_mnist_config(seed=0), shared_data)
    model.fit(ds, steps_per_epoch=STEPS, epochs=1, verbose=0)
    x, y = data.load_arrays("mnist", "test", shared_data)
    accuracy = float(np.mean(model.predict_classes(x[:2000]) == y[:2000]))
    # Chance is 0.1; seeds 0, 1, 2 scored 0.75, 0.70 and 0.72 at 600 steps.
    assert accuracy > 0.6, accuracy


def test_evaluate_scores_the_classify_part_as_accuracy(tmp_path):
    from tfgen import evaluation

    keras.utils.set_random_seed(4)
    model, _ = tiny()()
    path = export.save(model.export_parts(), str(tmp_path / "e"), metadata={"method": "ssgan"})
    images = np.random.default_rng(0).uniform(-1, 1, (30, 8, 8, 1)).astype("float32")
    labels = np.arange(30) % 3
    dataset = _images_npz(tmp_path / "eval.npz", images, labels)
    out = evaluation.evaluate(path, dataset, ["accuracy"], split="train")
    want = np.mean(np.argmax(model.classify(images).numpy(), -1) == labels)
    assert out["metrics"]["accuracy"] == pytest.approx(want)
    with pytest.raises(ValueError, match="requested alone"):
        evaluation.evaluate(path, dataset, ["accuracy", "fcd"], split="train")
