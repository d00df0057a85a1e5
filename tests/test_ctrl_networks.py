"""CTRL / CoA-CTRL network builders: shapes, sizes, layer content,
serialization and multi-replica execution."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from tfgen.networks.ctrl import ctrl_decoder, ctrl_encoder
from tfgen.networks.resnet import (
    preact_resnet_encoder,
    resnet18_encoder,
    resnet50_encoder,
    resnet101_encoder,
    sngan_decoder,
)

NZ = 16
ENCODERS = {
    "dcgan": lambda shape: ctrl_encoder(shape, NZ, width=8),
    "resnet18": lambda shape: resnet18_encoder(shape, NZ, width=4),
    "resnet50": lambda shape: resnet50_encoder(shape, NZ, width=2),
    "resnet101": lambda shape: resnet101_encoder(shape, NZ, width=2),
}
DECODERS = {
    "dcgan": lambda shape: ctrl_decoder(shape, NZ, width=8),
    "sngan": lambda shape: sngan_decoder(shape, NZ, width=8),
}


def images(b, shape, seed=0):
    return np.random.default_rng(seed).uniform(-1, 1, (b,) + tuple(shape)).astype(np.float32)


@pytest.mark.parametrize("channels", [1, 3])
@pytest.mark.parametrize("enc", sorted(ENCODERS))
def test_encoder_output_shape(enc, channels):
    model = ENCODERS[enc]((32, 32, channels))
    out = model(images(3, (32, 32, channels)), training=False)
    assert out.shape == (3, NZ) and out.dtype == tf.float32
    assert np.all(np.isfinite(out.numpy())) and float(tf.math.reduce_std(out)) > 0


@pytest.mark.parametrize("channels", [1, 3])
@pytest.mark.parametrize("dec", sorted(DECODERS))
def test_decoder_round_trip_shape_and_range(dec, channels):
    shape = (32, 32, channels)
    enc = ENCODERS["dcgan" if dec == "dcgan" else "resnet18"](shape)
    x_hat = DECODERS[dec](shape)(enc(images(3, shape), training=True), training=True)
    assert x_hat.shape == (3,) + shape and x_hat.dtype == tf.float32
    assert float(tf.reduce_max(tf.abs(x_hat))) <= 1.0  # tanh output


def _conv_params(k, cin, cout):
    return k * k * cin * cout + cout  # kernel + bias


def test_resnet18_parameter_count_at_full_width():
    # Expected from the architecture (independent count): 3×3 stem, stages of
    # 64/128/256/512 channels with two basic blocks each, 1×1 projections where
    # the shape changes, conv biases (there is no BN), dense 512 → 128.
    # ≈ 11.2M, like the usual pre-activation ResNet-18 for CIFAR (11.17M with
    # BN and a 10-way head): the 3×3 convolutions hold nearly all of it.
    c, w, nz = 3, 64, 128
    want = _conv_params(3, c, w)
    cin = w
    for stage in range(4):
        ch = w * 2 ** stage
        want += _conv_params(3, cin, ch) + 3 * _conv_params(3, ch, ch)
        if cin != ch:
            want += _conv_params(1, cin, ch)
        cin = ch
    want += 8 * w * nz + nz
    model = resnet18_encoder((32, 32, c), nz)
    assert model.count_params() == want
    assert 11.0e6 < want < 11.4e6


def test_sngan_decoder_parameter_count():
    # SNGAN's 32×32 generator (ch = 256, nz = 128) has about 4.3M parameters.
    c, ch, nz = 3, 256, 128
    bn = 2 * ch  # γ, β (the moving statistics are not trainable)
    block = bn + _conv_params(3, ch, ch) + bn + _conv_params(3, ch, ch) + _conv_params(1, ch, ch)
    want = (nz * 16 * ch + 16 * ch) + 3 * block + bn + _conv_params(3, ch, c)
    model = sngan_decoder((32, 32, c), nz)
    trainable = sum(int(np.prod(v.shape)) for v in model.trainable_weights)
    assert trainable == want and 4.2e6 < want < 4.35e6


def test_dcgan_layout_and_batch_norm():
    enc, dec = ctrl_encoder((32, 32, 3)), ctrl_decoder((32, 32, 3))
    convs = [layer for layer in enc.layers if isinstance(layer, keras.layers.Conv2D)]
    assert [layer.filters for layer in convs] == [64, 128, 256, 128]
    assert [layer.kernel_size for layer in convs] == [(4, 4)] * 4
    assert [layer.strides for layer in convs] == [(2, 2)] * 3 + [(1, 1)]
    deconvs = [layer for layer in dec.layers if isinstance(layer, keras.layers.Conv2DTranspose)]
    assert [layer.filters for layer in deconvs] == [256, 128, 64, 3]
    for model, count in ((enc, 2), (dec, 3)):
        bns = [layer for layer in model.layers if isinstance(layer, keras.layers.BatchNormalization)]
        assert len(bns) == count and all(bn.synchronized for bn in bns)
    assert any(isinstance(layer, keras.layers.LeakyReLU) for layer in enc.layers)
    assert not any(isinstance(layer, keras.layers.LeakyReLU) for layer in dec.layers)


def test_dcgan_initialization_option():
    keras.utils.set_random_seed(0)
    enc = ctrl_encoder((32, 32, 3), init="dcgan")
    kernel = [layer for layer in enc.layers
              if isinstance(layer, keras.layers.Conv2D)][2].kernel.numpy()
    assert kernel.std() == pytest.approx(0.02, rel=0.05) and abs(kernel.mean()) < 1e-3
    gamma = [layer for layer in enc.layers
             if isinstance(layer, keras.layers.BatchNormalization)][0].gamma.numpy()
    assert gamma.std() == pytest.approx(0.02, rel=0.3) and gamma.mean() == pytest.approx(1, abs=0.01)
    glorot = [layer for layer in ctrl_encoder((32, 32, 3)).layers
              if isinstance(layer, keras.layers.Conv2D)][2].kernel.numpy()
    assert glorot.std() == pytest.approx(np.sqrt(2 / (16 * 128 + 16 * 256)), rel=0.05)
    with pytest.raises(ValueError, match="init"):
        ctrl_decoder((32, 32, 3), init="he")


@pytest.mark.parametrize("enc", ["resnet18", "resnet50", "resnet101"])
def test_deep_encoders_have_no_normalization_and_pool_to_downsample(enc):
    model = ENCODERS[enc]((32, 32, 3))
    kinds = {type(layer).__name__ for layer in model.layers}
    assert not kinds & {"BatchNormalization", "SpectralNormalization", "LayerNormalization",
                        "GroupNormalization"}
    convs = [layer for layer in model.layers if isinstance(layer, keras.layers.Conv2D)]
    assert all(layer.strides == (1, 1) for layer in convs)
    n_blocks = {"resnet18": 8, "resnet50": 16, "resnet101": 33}[enc]
    assert sum(type(layer).__name__ == "Add" for layer in model.layers) == n_blocks
    # 32 → 4: three stages halve the resolution.
    assert model.get_layer("stage4_block1_add").output.shape[1:3] == (4, 4)


def test_options_downsample_first_and_normalize():
    model = preact_resnet_encoder((48, 48, 3), NZ, depth=18, width=4, downsample_first=True,
                                  normalize=True)
    assert model.get_layer("stage4_block1_add").output.shape[1:3] == (3, 3)
    out = model(images(2, (48, 48, 3))).numpy()
    np.testing.assert_allclose(np.linalg.norm(out, axis=1), 1.0, rtol=1e-5)
    out = ctrl_encoder((32, 32, 1), NZ, width=8, normalize=True)(images(2, (32, 32, 1))).numpy()
    np.testing.assert_allclose(np.linalg.norm(out, axis=1), 1.0, rtol=1e-5)


def test_bad_arguments_are_rejected():
    with pytest.raises(ValueError, match="32x32"):
        ctrl_encoder((28, 28, 1))
    with pytest.raises(ValueError, match="32x32"):
        ctrl_decoder((64, 64, 3))
    with pytest.raises(ValueError, match="depth"):
        preact_resnet_encoder((32, 32, 3), depth=20)
    with pytest.raises(ValueError, match="multiples of 8"):
        sngan_decoder((28, 28, 1))
    with pytest.raises(ValueError, match="multiples of 16"):
        resnet18_encoder((40, 40, 3), downsample_first=True)
    with pytest.raises(ValueError, match="width"):
        resnet50_encoder((32, 32, 3), width=0)


@pytest.mark.parametrize("name", ["dcgan_enc", "dcgan_dec", "resnet50", "sngan"])
def test_models_serialize(name):
    shape = (32, 32, 3)
    model, x = {
        "dcgan_enc": lambda: (ENCODERS["dcgan"](shape), images(2, shape)),
        "dcgan_dec": lambda: (DECODERS["dcgan"](shape), images(2, (NZ,))),
        "resnet50": lambda: (ENCODERS["resnet50"](shape), images(2, shape)),
        "sngan": lambda: (DECODERS["sngan"](shape), images(2, (NZ,))),
    }[name]()
    want = model(x, training=False).numpy()
    rebuilt = keras.Model.from_config(model.get_config())
    rebuilt.set_weights(model.get_weights())
    np.testing.assert_allclose(rebuilt(x, training=False).numpy(), want, atol=1e-6)
    clone = keras.models.clone_model(model)
    assert [w.shape for w in clone.weights] == [w.shape for w in model.weights]
    clone.set_weights(model.get_weights())
    np.testing.assert_allclose(clone(x, training=False).numpy(), want, atol=1e-6)
    from_json = keras.models.model_from_json(model.to_json())
    assert from_json.count_params() == model.count_params()


def _per_replica_outputs(strategy, model, x):
    reps = strategy.num_replicas_in_sync
    local = len(x) // reps
    values = strategy.experimental_distribute_values_from_function(
        lambda ctx: x[ctx.replica_id_in_sync_group * local:(ctx.replica_id_in_sync_group + 1) * local])

    @tf.function
    def step(v):
        return strategy.run(lambda a: model(a, training=True), args=(v,))

    return np.concatenate([t.numpy() for t in strategy.experimental_local_results(step(values))])


@pytest.mark.parametrize("pair", ["dcgan", "resnet18+sngan"])
def test_two_replicas_match_one_device_with_training_batch_norm(two_replicas, one_device, pair):
    # Synchronized BN normalizes each replica's half with the global batch's
    # statistics, so two replicas reproduce one device exactly.
    shape = (32, 32, 3)
    enc_fn, dec_fn = ((ENCODERS["dcgan"], DECODERS["dcgan"]) if pair == "dcgan"
                      else (ENCODERS["resnet18"], DECODERS["sngan"]))
    x = images(8, shape, seed=1)
    outs, weights = [], None
    for strategy in (one_device, two_replicas):
        with strategy.scope():
            enc, dec = enc_fn(shape), dec_fn(shape)
            both = keras.Sequential([enc, dec])
        if weights is None:
            weights = both.get_weights()
        both.set_weights(weights)
        outs.append(_per_replica_outputs(strategy, both, x))
    assert outs[0].shape == (8,) + shape
    np.testing.assert_allclose(outs[1], outs[0], atol=1e-5)
