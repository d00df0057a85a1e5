"""Export parts: each kind written and reloaded gives the live network's
outputs; the first export format still loads; tools pick by kind.

Tiny Keras networks stand in for trained models. tools/sample.py runs once
as a subprocess over several argument lists (as in test_sample_evaluate_cli).
"""

import json
import os

import keras
import numpy as np
import pytest
import tensorflow as tf

from tfgen import evaluation, export, images, priors, sampling, summaries
from tfgen.distribute import RNG_ALG
from tfgen.export_parts import (ClassifyPart, ConditionalSamplePart, EncodePart,
                                LangevinSamplePart, SamplePart, TranslatePart)
from tfgen.networks.mlp import mlp_generator
from tfgen.samplers import langevin as lv
from tfgen.testing import run_tool_cases

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
K, D = 3, 4


class V1Module(tf.Module):
    """The first format's exported object, as tfgen wrote it before parts."""

    def __init__(self, generator, latent_dim, prior, prior_mean, prior_tril):
        super().__init__()
        d = int(latent_dim)
        self.generator = generator
        self.latent_dim = tf.Variable(d, trainable=False, dtype=tf.int32)
        self.image_shape = tf.Variable(list(generator.output_shape[1:]),
                                       trainable=False, dtype=tf.int32)
        self._prior, self._width = prior, d
        self.prior = tf.Variable(prior, trainable=False, dtype=tf.string)
        self.prior_mean = tf.Variable(prior_mean, trainable=False)
        self.prior_scale_tril = tf.Variable(prior_tril, trainable=False)
        latents = tf.TensorSpec([None, d], tf.float32, name="latents")
        self.__call__ = tf.function(self._generate, input_signature=[latents])
        self.serve = tf.function(self._serve, input_signature=[latents])
        self.sample = tf.function(
            self._sample, input_signature=[tf.TensorSpec([], tf.int32, name="num"),
                                           tf.TensorSpec([], tf.int32, name="seed")])

    def _generate(self, latents):
        latents = tf.ensure_shape(latents, [None, self._width])
        return tf.cast(self.generator(latents, training=False), tf.float32)

    def _sample(self, num, seed):
        z = priors.sample(self._prior, tf.stack([num, self.latent_dim]),
                          tf.stack([seed, tf.constant(0, tf.int32)]),
                          mean=self.prior_mean, scale_tril=self.prior_scale_tril)
        return self.__call__(z)

    def _serve(self, latents):
        return {"images": self.__call__(latents)}


def write_v1(generator, path, prior):
    module = V1Module(generator, prior.latent_dim, prior.name, prior.mean,
                      prior.scale_tril)
    tf.saved_model.save(module, path, signatures={"serving_default": module.serve})
    meta = {"format": "tfgen-generator-v1", "latent_dim": prior.latent_dim,
            "prior": prior.name, "image_shape": [2], "dataset": "grid25"}
    with open(os.path.join(path, export.METADATA_FILE), "w") as f:
        json.dump(meta, f)
    return path


def image_net(out_channels=1, head=None, seed=0):
    keras.utils.set_random_seed(seed)
    x_in = keras.Input((4, 4, 1))
    if head is None:
        out = keras.layers.Conv2D(out_channels, 3, padding="same", activation="tanh")(x_in)
    else:
        out = keras.layers.Dense(head)(keras.layers.Flatten()(x_in))
    return keras.Model(x_in, out)


def identity_generator():
    z = keras.Input((D,))
    return keras.Model(z, keras.layers.Dense(D, use_bias=False,
                                             kernel_initializer="identity")(z))


def labelled_generator():
    """[latents, labels] -> latents followed by the one-hot label (cGAN style)."""
    z, y = keras.Input((D,)), keras.Input((), dtype="int32")
    return keras.Model([z, y], keras.layers.Concatenate()([z, keras.ops.one_hot(y, K)]))


def class_priors():
    means = np.random.default_rng(1).normal(size=(K, D)).astype(np.float32)
    return priors.ClassPriors(means, np.tile(1e-4 * np.eye(D, dtype=np.float32),
                                             (K, 1, 1)))


def unit(x):
    return x / np.linalg.norm(x, axis=-1, keepdims=True)


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """Live parts and the exports written from them."""
    root = tmp_path_factory.mktemp("parts")
    keras.utils.set_random_seed(0)
    gen = mlp_generator(3, (2,), hidden=(8,))
    prior = priors.Prior("sphere", 3, np.array([1.0, -2.0, 0.5], np.float32),
                         np.array([[1, 0, 0], [0.3, 2, 0], [0, 0.1, 0.5]], np.float32))
    desc = keras.Sequential([keras.Input((2,)), keras.layers.Dense(8, activation="tanh"),
                             keras.layers.Dense(1)])
    cp = class_priors()
    live = {
        "sample": SamplePart(gen, prior),
        "langevin": LangevinSamplePart(desc, (2,), 5, 0.1, 0.5),
        "class": ConditionalSamplePart(identity_generator(), K, class_priors=cp,
                                       label_input=False),
        "cgan": ConditionalSamplePart(labelled_generator(), K, class_priors=cp),
        "cgan_normal": ConditionalSamplePart(labelled_generator(), K),
        "multi": {"translate_a_to_b": TranslatePart(image_net(seed=1), "a_to_b"),
                  "translate_b_to_a": TranslatePart(image_net(seed=2), "b_to_a"),
                  "encode": EncodePart(image_net(head=3)),
                  "classify": ClassifyPart(image_net(head=5), 5)},
    }
    live["both"] = {"sample": SamplePart(identity_generator(), priors.Prior("normal", D)),
                    "conditional_sample": live["class"]}  # as class-conditional CTRL
    paths = {"v1": write_v1(gen, str(root / "v1"), prior)}
    meta = {"method": "test", "dataset": "grid25", "step": 7}
    for name, part in live.items():
        parts = part if isinstance(part, dict) else {
            "sample" if part.kind == "sample" else "conditional": part}
        paths[name] = export.save(parts, str(root / name), metadata=meta)
    return {"live": live, "paths": paths, "gen": gen, "prior": prior, "desc": desc,
            "cp": cp}


def test_sample_part_matches_the_first_format_and_the_live_generator(made):
    part, gen, prior = made["live"]["sample"], made["gen"], made["prior"]
    m, v1 = (tf.saved_model.load(made["paths"][k]) for k in ("sample", "v1"))
    for num, seed in ((5, 7), (1, 0), (3, 2**31 - 1)):
        want = v1.sample(num, seed).numpy()
        np.testing.assert_array_equal(m.sample(num, seed).numpy(), want)
        np.testing.assert_array_equal(m.parts.sample.sample(num, seed).numpy(), want)
        np.testing.assert_allclose(part.preview(num, seed), want, atol=1e-6)
    # preview is what model.generate(num, seed=0) drew: the prior, then the
    # generator in inference mode.
    z = priors.sample("sphere", [6, 3], tf.constant([0, 0]), mean=prior.mean,
                      scale_tril=prior.scale_tril)
    np.testing.assert_array_equal(part.preview(6, 0), gen(z, training=False).numpy())
    np.testing.assert_allclose(m(z).numpy(), gen(z).numpy(), atol=1e-6)
    for key in ("serving_default", "sample"):
        np.testing.assert_allclose(m.signatures[key](latents=z)["images"].numpy(),
                                   gen(z).numpy(), atol=1e-6)
    seeded = m.signatures["sample_seeded"](num=tf.constant(5), seed=tf.constant(7))
    np.testing.assert_array_equal(seeded["images"].numpy(), v1.sample(5, 7).numpy())
    assert int(m.latent_dim.numpy()) == 3 and m.prior.numpy() == b"sphere"
    meta = export.read_metadata(made["paths"]["sample"])
    assert meta["format"] == "tfgen-export-v2" and meta["kinds"] == ["sample"]
    assert (meta["latent_dim"], meta["prior"], meta["image_shape"]) == (3, "sphere", [2])
    assert meta["parts"]["sample"]["signatures"] == {"sample": ["latents"],
                                                     "sample_seeded": ["num", "seed"]}
    assert meta["step"] == 7


def test_first_format_export_loads_as_one_sample_part(made):
    exp = export.load(made["paths"]["v1"])
    assert exp.kinds == ["sample"] and list(exp.parts) == ["sample"]
    module = exp.part("sample", "needed")
    assert module is exp.module
    new = export.load_generator(made["paths"]["sample"])
    np.testing.assert_array_equal(sampling.draw(module, 9, 4, batch_size=4),
                                  sampling.draw(new, 9, 4, batch_size=4))
    walk = sampling.interpolate(module, 1, 2, 5)
    np.testing.assert_allclose(walk, sampling.interpolate(new, 1, 2, 5), atol=1e-6)


def test_several_parts_in_one_export_and_the_missing_kind(made):
    path, live = made["paths"]["multi"], made["live"]["multi"]
    meta = export.read_metadata(path)
    assert meta["kinds"] == ["classify", "encode", "translate"]
    assert "latent_dim" not in meta and meta["parts"]["translate_a_to_b"]["direction"] \
        == "a_to_b"
    exp = export.load(path)
    assert exp.kinds == ["classify", "encode", "translate"]
    x = np.random.default_rng(0).uniform(-1, 1, (3, 4, 4, 1)).astype(np.float32)
    m = exp.module
    for name, part in live.items():
        want = part.network(x).numpy()
        np.testing.assert_allclose(exp.parts[name](x).numpy(), want, atol=1e-6)
        np.testing.assert_allclose(part.preview(x), want, atol=1e-6)
        out = m.signatures[name](images=tf.constant(x))
        np.testing.assert_allclose(out[part.output].numpy(), want, atol=1e-6)
    assert exp.part("translate") is exp.parts["translate_a_to_b"]
    assert exp.describe("classify")["num_classes"] == 5
    with pytest.raises(ValueError) as err:
        exp.part(("sample", "conditional_sample"), "tools/sample.py needs a generator")
    msg = str(err.value)
    assert "\n" not in msg and msg == (
        f"{path} has no 'sample' or 'conditional_sample' part (it has: classify, encode, "
        "translate_a_to_b (translate), translate_b_to_a (translate)); tools/sample.py "
        "needs a generator")
    with pytest.raises(ValueError, match="tools/evaluate.py needs a generator export"):
        evaluation.evaluate(path, "ring8", ["modes"], num_samples=10)
    with pytest.raises(ValueError, match="has no 'sample' part"):
        export.load_generator(path)


def test_langevin_part_reproduces_the_descriptor_chain(made):
    part, desc = made["live"]["langevin"], made["desc"]
    seed = tf.constant([7, 0])
    y0 = 0.5 * tf.random.stateless_normal([3, 2], seed, alg=RNG_ALG)
    want = lv.coopnets_revise(lambda y: tf.reshape(desc(y, training=False), [-1]), y0, 5,
                              0.1, 0.5, tf.random.experimental.stateless_fold_in(seed, 1))
    np.testing.assert_allclose(part.preview(3, 7), want.numpy(), atol=1e-5)
    m = tf.saved_model.load(made["paths"]["langevin"])
    np.testing.assert_allclose(m.sample(3, 7).numpy(), want.numpy(), atol=1e-5)
    np.testing.assert_allclose(m.parts.sample.sample(3, 7).numpy(), want.numpy(), atol=1e-5)
    assert int(m.latent_dim.numpy()) == 0 and not callable(m)
    exp = export.load(made["paths"]["langevin"])
    assert exp.kinds == ["sample"] and exp.describe("sample")["num_steps"] == 5
    np.testing.assert_allclose(sampling.draw(exp.parts["sample"], 3, 7), want.numpy(),
                               atol=1e-5)
    # Larger draws: batches with their own seeds, reproducible.
    a = sampling.draw(exp.parts["sample"], 5, 7, batch_size=2)
    np.testing.assert_array_equal(a, sampling.draw(exp.parts["sample"], 5, 7, batch_size=2))
    np.testing.assert_allclose(a[:2], m.sample(2, 7).numpy(), atol=1e-5)
    with pytest.raises(ValueError, match="no latents"):
        sampling.latents(exp.parts["sample"], 2)
    out = evaluation.evaluate(made["paths"]["langevin"], "ring8", ["modes"], num_samples=20)
    assert out["metrics"]["modes"]["modes_covered"] >= 0


@pytest.mark.parametrize("which", ["class", "cgan", "cgan_normal"])
def test_conditional_parts_draw_each_label_from_its_class(made, which):
    part, cp = made["live"][which], made["cp"]
    labels = np.array([0, 2, 1, 2, 0], np.int32)
    x = part.preview(labels, 5)
    m = tf.saved_model.load(made["paths"][which])
    loaded = m.parts.conditional
    np.testing.assert_allclose(loaded.sample(labels, 5).numpy(), x, atol=1e-6)
    np.testing.assert_allclose(sampling.draw(loaded, 5, 5, labels=labels, batch_size=2), x,
                               atol=1e-6)
    z = x[:, :D]
    if which == "cgan_normal":  # one shared N(0, I) prior: labels only feed the network
        np.testing.assert_allclose(z, priors.sample("normal", [5, D], [5, 0]), atol=1e-6)
    else:  # tiny class covariances: each latent sits at its class mean's direction
        np.testing.assert_allclose(z, unit(cp.means[labels]), atol=1e-3)
        np.testing.assert_allclose(z, cp.sample(labels, tf.constant([5, 0])), atol=1e-6)
    if which != "class":
        np.testing.assert_array_equal(x[:, D:], np.eye(K)[labels])
    zz = np.random.default_rng(2).normal(size=(5, D)).astype(np.float32)
    np.testing.assert_allclose(loaded(zz, labels).numpy(), part.generator(
        [zz, labels] if which != "class" else zz).numpy(), atol=1e-6)
    served = m.signatures["conditional_seeded"](labels=tf.constant(labels),
                                                seed=tf.constant(5))
    np.testing.assert_allclose(served["images"].numpy(), x, atol=1e-6)
    meta = export.read_metadata(made["paths"][which])
    assert meta["kinds"] == ["conditional_sample"] and "latent_dim" not in meta
    assert meta["parts"]["conditional"]["num_classes"] == K
    with pytest.raises(tf.errors.InvalidArgumentError, match="below 3"):
        loaded.sample(np.array([3], np.int32), 0)
    with pytest.raises(ValueError, match="from 0 to 2"):
        part.preview([3])


class FakeModel:
    def __init__(self, parts):
        self.parts = parts

    def export_parts(self):
        return self.parts


def test_sample_grid_and_evaluation_pick_by_kind(made, tmp_path):
    live = made["live"]
    grid = summaries.SampleGrid(str(tmp_path), 1, 7, lambda: 1)
    grid.set_model(FakeModel({"sample": live["sample"]}))
    path = grid.write(3)
    want = images.picture(live["sample"].preview(7, 0))
    assert os.path.exists(path) and want.ndim == 3
    cond = {"conditional": live["class"]}
    x, ncols = summaries.preview(cond, 7)
    assert ncols == 2 and x.shape == (6, D)
    np.testing.assert_allclose(x, live["class"].preview([0, 0, 1, 1, 2, 2], 0))
    grid.set_model(FakeModel(live["multi"]))
    assert grid.write(4) is None and summaries.sampler(live["multi"]) is None
    draw = summaries.sampler({"sample": live["sample"]})
    np.testing.assert_array_equal(draw(4, 3), live["sample"].preview(4, 3))
    labels_seen = summaries.sampler(cond)(5, 0)[:, :D]
    np.testing.assert_allclose(labels_seen, unit(made["cp"].means[[0, 1, 2, 0, 1]]),
                               atol=1e-3)


def test_export_rejects_bad_part_names_and_clashing_signatures(made, tmp_path):
    part = made["live"]["sample"]
    with pytest.raises(ValueError, match="lower-case"):
        export.save({"Sample": part}, str(tmp_path / "a"))
    with pytest.raises(ValueError, match="sample_seeded"):
        export.save({"sample": part, "sample_seeded": made["live"]["multi"]["encode"]},
                    str(tmp_path / "b"))
    assert not os.listdir(tmp_path)


def test_sample_tool_picks_its_behaviour_from_the_kinds(made, tmp_path):
    p = made["paths"]
    cases = [
        [f"--model={p['v1']}", "--num=5", "--seed=3", f"--out={tmp_path}/v1.npz"],
        [f"--model={p['class']}", "--num=3", "--labels=2,0", f"--out={tmp_path}/c.npz"],
        [f"--model={p['cgan']}", "--num=2", f"--out={tmp_path}/c.png"],
        [f"--model={p['langevin']}", "--num=3", "--seed=7", f"--out={tmp_path}/l.npz"],
        [f"--model={p['both']}", "--num=2", "--labels=1", f"--out={tmp_path}/b1.npz"],
        [f"--model={p['both']}", "--num=2", f"--out={tmp_path}/b0.npz"],
        [f"--model={p['multi']}", f"--out={tmp_path}/m.npz"],
        [f"--model={p['sample']}", "--labels=1", f"--out={tmp_path}/s.npz"],
        [f"--model={p['langevin']}", "--interpolate", f"--out={tmp_path}/w.npz"],
        [f"--model={p['class']}", "--labels=3", f"--out={tmp_path}/bad.npz"],
    ]
    results = run_tool_cases("tools/sample.py", cases, ROOT)
    for r in results[:6]:
        assert r["code"] in (0, None), r["stderr"][-2000:]
    v1 = tf.saved_model.load(p["v1"])
    np.testing.assert_allclose(np.load(tmp_path / "v1.npz")["images"],
                               v1.sample(5, 3).numpy(), atol=1e-6)
    c = np.load(tmp_path / "c.npz")
    assert list(c["labels"]) == [2, 2, 2, 0, 0, 0]
    np.testing.assert_allclose(c["images"], unit(made["cp"].means[c["labels"]]), atol=1e-3)
    assert (tmp_path / "c.png").exists()
    np.testing.assert_allclose(np.load(tmp_path / "l.npz")["images"],
                               made["live"]["langevin"].preview(3, 7), atol=1e-5)
    both = np.load(tmp_path / "b1.npz")
    assert list(both["labels"]) == [1, 1]
    np.testing.assert_allclose(both["images"], unit(made["cp"].means[[1, 1]]), atol=1e-3)
    np.testing.assert_allclose(np.load(tmp_path / "b0.npz")["images"],
                               priors.sample("normal", [2, D], [0, 0]), atol=1e-6)
    errors = [r["stderr"].strip() for r in results[6:]]
    for r, e in zip(results[6:], errors):
        assert r["code"] == 1 and len(e.splitlines()) == 1 and e.startswith("error: "), e
    assert "has no 'sample' or 'conditional_sample' part (it has: classify, encode" \
        in errors[0] and errors[0].endswith("tools/sample.py needs a generator export")
    assert "--labels needs a conditional export" in errors[1]
    assert "--interpolate" in errors[2]
    assert "--labels=3" in errors[3]
    assert sorted(os.listdir(tmp_path)) == ["b0.npz", "b1.npz", "c.npz", "c.png", "l.npz",
                                            "v1.npz"]
