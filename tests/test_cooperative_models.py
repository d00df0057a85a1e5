"""CoopNets, Algorithms D and G, CoopInit: replica equivalence, stage switch, learning."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from tfgen.models.alternating import AlternatingBackpropModel, DescriptorModel
from tfgen.models import stages
from tfgen.models.coopinit import ADVERSARIAL, COOPERATIVE, CoopInitModel
from tfgen.models.cooperative import CoopNetsModel
from tfgen.networks.mlp import mlp_discriminator, mlp_generator
from tfgen.testing import max_abs_difference, weights_after_steps


def adam(lr=1e-3):
    return keras.optimizers.Adam(lr)


def coopnets(**kw):
    def make():
        m = CoopNetsModel(mlp_generator(3, (2,), hidden=(16,)),
                          mlp_discriminator((2,), hidden=(16,)), 3,
                          langevin_steps=5, step_size=0.05, seed=1, **kw)
        return m, {"generator": adam(), "descriptor": adam()}
    return make


def descriptor():
    m = DescriptorModel(mlp_discriminator((2,), hidden=(16,)), langevin_steps=5,
                        step_size=0.05, seed=1)
    return m, {"descriptor": adam()}


def alternating():
    m = AlternatingBackpropModel(mlp_generator(3, (2,), hidden=(16,)), 3,
                                 infer_steps=5, seed=1)
    return m, {"generator": adam()}


def coopinit(coop_examples):
    def make():
        m = CoopInitModel(mlp_generator(3, (2,), hidden=(16,)),
                          mlp_discriminator((2,), hidden=(16,)), 3,
                          coop_examples=coop_examples, langevin_steps=5,
                          step_size=0.01, seed=1)
        return m, {"generator": adam(), "discriminator": adam()}
    return make


MAKERS = {
    "coopnets": coopnets(),
    "coopnets_infer": coopnets(infer_steps=3),
    "descriptor": descriptor,
    "alternating": alternating,
    "coopinit_cooperative": coopinit(10 ** 6),
    "coopinit_adversarial": coopinit(0),
}


@pytest.mark.parametrize("name", sorted(MAKERS))
def test_two_replicas_equal_one_device(name, two_replicas, one_device):
    batch = np.random.default_rng(0).normal(size=(16, 2)).astype("float32")
    one = weights_after_steps(one_device, MAKERS[name], batch, steps=2)
    two = weights_after_steps(two_replicas, MAKERS[name], batch, steps=2)
    assert max_abs_difference(one, two) < 1e-5


def test_coopinit_switches_after_n_coop_examples_with_one_retrace():
    traces = []

    class Counting(CoopInitModel):
        def train_step(self, data):
            traces.append(self.stage)  # runs at trace time only
            return super().train_step(data)

    keras.utils.set_random_seed(0)
    m = Counting(mlp_generator(3, (2,), hidden=(8,)), mlp_discriminator((2,), hidden=(8,)),
                 3, coop_examples=48, langevin_steps=3, step_size=0.01)
    m.compile({"generator": adam(), "discriminator": adam()})
    x = np.random.default_rng(0).normal(size=(16, 2)).astype("float32")
    ds = tf.data.Dataset.from_tensors(x).repeat()
    hist = m.fit(ds, steps_per_epoch=6, epochs=1, verbose=0)
    assert m.stage == ADVERSARIAL
    assert int(m.examples_seen.numpy()) == 6 * 16
    assert traces == [COOPERATIVE, ADVERSARIAL]
    # Optimizer state is carried across the switch, not reset.
    assert int(m.optimizer_for("generator").iterations.numpy()) == 6
    assert int(m.optimizer_for("discriminator").iterations.numpy()) == 6
    assert hist.history["stage"][-1] > 0  # mean of stage flags includes 1s


def test_coopinit_stage_is_restored_from_example_count():
    m, _ = coopinit(32)()
    assert m.stage == COOPERATIVE
    # Algorithm 2 cooperates while N <= N_coop: N = N_coop is still cooperative.
    m.examples_seen.assign(32)
    assert not stages.advance(m) and m.stage == COOPERATIVE
    m.examples_seen.assign(33)
    assert stages.advance(m) and m.stage == ADVERSARIAL


def test_serialization_round_trip_keeps_hyperparameters(tmp_path):
    m, opts = coopnets(infer_steps=3, clip_revised=True)()
    m.compile(opts)
    path = str(tmp_path / "c.keras")
    m.save(path)
    loaded = keras.models.load_model(path)
    assert isinstance(loaded, CoopNetsModel)
    assert (loaded.infer_steps, loaded.langevin_steps, loaded.clip_revised) == (3, 5, True)
    z = np.ones((2, 3), np.float32)
    np.testing.assert_allclose(loaded.generator(z), m.generator(z), atol=1e-6)


def test_clip_revised_keeps_revisions_in_the_data_range():
    drafts = tf.constant(np.random.default_rng(0).normal(0, 3, (64, 2)), tf.float32)
    seed = tf.constant([1, 2], tf.int32)
    clipped, _ = coopnets(clip_revised=True)()
    free, _ = coopnets()()
    y = clipped.revise(drafts, seed).numpy()
    assert y.min() >= -1.0 and y.max() <= 1.0
    assert np.abs(free.revise(drafts, seed).numpy()).max() > 2.0


def test_descriptor_layouts_and_the_release_initialisation():
    """The paper's Sec. 5.2 layout and the authors' MNIST release layout; init_std
    draws every kernel from N(0, init_std²) with zero biases (their conv2d)."""
    import keras
    import numpy as np

    from tfgen.networks.energy import coopnets_descriptor

    keras.utils.set_random_seed(0)
    paper = coopnets_descriptor((28, 28, 1))
    release = coopnets_descriptor((28, 28, 1), layout="release_mnist", init_std=0.01)

    def convs(model):
        return [l for l in model.layers if isinstance(l, keras.layers.Conv2D)]

    assert [(l.kernel_size, l.strides) for l in convs(paper)] == [
        ((5, 5), (2, 2)), ((3, 3), (2, 2)), ((3, 3), (1, 1))]
    assert [(l.kernel_size, l.strides) for l in convs(release)] == [((4, 4), (2, 2))] * 3
    assert convs(release)[-1].output.shape[1:] == (4, 4, 256)  # 28 → 14 → 7 → 4
    kernels = [l.kernel.numpy() for l in convs(release)]
    for k in kernels:
        assert abs(k.std() - 0.01) < 0.001 and abs(k.mean()) < 0.001
    assert all(not np.any(l.bias.numpy()) for l in convs(release))
    assert np.std(convs(paper)[1].kernel.numpy()) > 0.02  # Glorot: far wider
    with pytest.raises(ValueError, match="layout must be one of"):
        coopnets_descriptor((28, 28, 1), layout="mnist")
