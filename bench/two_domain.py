"""CycleGAN and DiscoGAN on unpaired domains with known counterparts.

Trains one method on ``PAIR@a`` ↔ ``PAIR@b`` (``tfgen.data.unpaired``:
disjoint halves of the training rows, so no pair is seen) for a small CPU
budget, then scores the translations of held-out test images:

* ``acc_a2b`` / ``acc_b2a``: label preservation: the project's MNIST
  classifier on the translated images against the source labels. Domain-B
  outputs are mapped back to MNIST's form first: MNIST-M-like (RGB) by the
  channel mean, rotated MNIST by rotating back (−90°); ``acc_b_true`` /
  ``acc_a_true`` are the same classifier on the true counterparts mapped
  the same way (the ceiling of each direction's reading);
* ``l1_a2b`` / ``l1_b2a``: mean |translation − true counterpart| (pixels in
  [-1, 1]); ``l1_*_mean`` is that of the mean training image of the target
  domain, a trivial translator to beat;
* ``cycle_a`` / ``cycle_b``: mean |F(G(a)) − a| and |G(F(b)) − b|;
* ``fcd_b2a``: Fréchet distance of F(b) to real test images of domain A in
  the MNIST classifier's 128 features (not Inception FID);
* ``kid_b2a`` (``--kid_n=N``): KID ×1000 of N translations F(b) against N
  other real test images of domain A through tfgen's FID Inception (slow on
  a CPU: about 0.35 s an image); ``--kid_refs`` adds the true counterparts
  and the untranslated b as references;
* ``fid_b2a`` / ``fid_a2b`` (``--fid_n=N``, ``--fid_dirs``): FID of N
  translations (test rows 0..N-1) against the N real test images of the
  target domain in rows N..2N-1, through tfgen's FID Inception (about 0.17 s
  an image on this CPU under load); the real features are cached by content
  in ``$TFGEN_CACHE_DIR/two_domain_fid``; ``--fid_refs=true`` adds the FID of
  the true counterparts (``fid_*_true``: FID's bias at this N, both sets
  being one distribution), ``both`` that of the untranslated source too.

Defaults are for runs of a few hundred steps on a CPU: Adam 1e-3 (the
papers' 2e-4 learns too slowly there) and CycleGAN PatchGANs of two
stride-2 convolutions (18 px patches; ``--d_downsample=1``, the earlier
8 px, lost to blank outputs). docs/benchmarks/two_domain.md has the
measurements; bench/two_domain_probe.py probes a run as it trains. The
flags ``--nets``, ``--g_norm``, ``--g_downsample``, ``--cycle_weight``,
``--adversarial`` and ``--reconstruction`` swap one part of a method at a
time (the doc's third and fourth passes); their defaults leave each method
as its base config.

Example (the command line of every result in bench/results/two_domain*.json)::

    TFGEN_DATA_DIR=../shared/data .venv/bin/python bench/two_domain.py \
        --method=cyclegan --width=8 --blocks=2 --pair=mnist2mnist_inverted \
        --steps=300 --seed=0 --eval_n=500
"""

from __future__ import annotations

import json
import os
import sys
import time

from absl import app, flags

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

FLAGS = flags.FLAGS
flags.DEFINE_enum("method", "cyclegan", ["cyclegan", "discogan"], "method")
flags.DEFINE_string("pair", "mnist2mnistm_like", "a pair of tfgen.data.unpaired")
flags.DEFINE_integer("steps", 400, "training steps")
flags.DEFINE_integer("batch", 32, "global batch size (each domain)")
flags.DEFINE_integer("seed", 0, "seed")
flags.DEFINE_float("identity_ratio", -1.0, "model.identity_ratio (-1: the method's)")
flags.DEFINE_integer("history_size", -1, "model.history_size (-1: the method's)")
flags.DEFINE_float("cycle_weight", -1.0, "model.cycle_weight λ (-1: the method's; a "
                   "diagnostic, both papers fix it)")
flags.DEFINE_integer("width", 16, "generator width (CPU-scaled; the paper's 64)")
flags.DEFINE_integer("blocks", 3, "CycleGAN residual blocks (CPU-scaled; the paper's 6)")
flags.DEFINE_integer("eval_n", 1000, "test images scored")
flags.DEFINE_float("lr", 1e-3, "Adam lr of both players (the papers' 2e-4; 1e-3 for "
                   "runs of a few hundred steps, see docs/benchmarks/two_domain.md)")
flags.DEFINE_integer("d_downsample", 2, "CycleGAN PatchGAN stride-2 convolutions "
                     "(2: 18 px patches; 1: the earlier 8 px, which lost, see the doc)")
flags.DEFINE_integer("d_width", 0, "discriminator width (0: CycleGAN 2 x width, "
                     "DiscoGAN = width, as each method's base config)")
flags.DEFINE_integer("kid_n", 0, "KID (FID Inception features) of F(b) against this many "
                     "real held-out domain-A images (0: not computed; slow on a CPU)")
flags.DEFINE_bool("kid_refs", False, "also the KID of the two references (the true "
                  "counterparts, and b itself untranslated)")
flags.DEFINE_integer("fid_n", 0, "FID (FID Inception) of n translations against n other "
                     "real held-out images of the target domain (0: not computed); the "
                     "real features are cached per pair, domain and n")
flags.DEFINE_string("fid_dirs", "b2a", "directions scored by --fid_n: b2a, a2b or both")
flags.DEFINE_enum("fid_refs", "none", ["none", "true", "both"], "also the FID of the "
                  "references: the true counterparts (FID's bias at this n), and with "
                  "'both' the untranslated source images too (features cached)")
flags.DEFINE_enum("nets", "own", ["own", "discogan", "resnet", "unet"], "own: each "
                  "method's generators; discogan: DiscoGAN's encoder-decoder; resnet: "
                  "CycleGAN's ResNet-block one (width, blocks); "
                  "unet: U-Net generators (CycleGAN's option; width, depth 5 to a "
                  "1 px bottleneck, no dropout)")
flags.DEFINE_integer("g_downsample", 2, "the ResNet generators' stride-2 stages (2: the "
                     "paper's, blocks at 7 px of 28; 1: blocks at 14 px)")
flags.DEFINE_enum("g_norm", "instance", ["instance", "batch", "none"], "the ResNet generators' "
                  "normalisation (instance: the paper's)")
flags.DEFINE_string("adversarial", "", "model.adversarial (empty: the method's; a "
                    "diagnostic: least_squares is CycleGAN's, gan DiscoGAN's)")
flags.DEFINE_string("reconstruction", "", "model.reconstruction (empty: the method's)")
flags.DEFINE_string("out", "", "append the JSON line to this file")


def small_config(method, pair, seed, width=16, blocks=3, batch=32, nets="own",
                 lr=1e-3, d_downsample=2, d_width=0, g_norm="instance", g_downsample=2):
    """The method's config on ``pair`` with CPU-scaled networks."""
    from tfgen import config as config_lib

    c = config_lib.base_config(method)
    c.seed = seed
    c.data.name, c.data.target = pair + "@a", pair + "@b"
    c.data.batch_size = batch
    c.optim.g_lr = c.optim.d_lr = lr
    d_width = d_width or (2 * width if method == "cyclegan" else width)
    for slot in ("g_ab", "g_ba"):
        if (method == "cyclegan" and nets == "own") or nets == "resnet":
            config_lib.set_network(c, slot, "resnet_generator", width=width, blocks=blocks,
                                   norm=g_norm, downsample=g_downsample)
        elif nets == "unet":
            config_lib.set_network(c, slot, "unet_generator", width=width, depth=5,
                                   dropout=0.0)
        else:
            config_lib.set_network(c, slot, "discogan_generator", width=width)
    for slot in ("d_a", "d_b"):
        if method == "cyclegan":
            config_lib.set_network(c, slot, "patchgan_discriminator", width=d_width,
                                   downsample=d_downsample)
        else:
            config_lib.set_network(c, slot, "discogan_discriminator", width=d_width)
    return c


def train(c, steps):
    import keras

    from tfgen import builders, data

    info = data.info_for("unpaired", c.data.name, target=c.data.target)
    keras.utils.set_random_seed(c.seed)
    model, opts = builders.build(c, info)
    model.compile(opts)
    ds = data.make("unpaired", c.data.name, c.data.batch_size, target=c.data.target,
                   seed=c.seed)
    t0 = time.time()
    hist = {}
    if steps > 0:  # steps = 0: the untrained model, a reference
        hist = model.fit(ds, steps_per_epoch=steps, epochs=1, verbose=0).history
    return model, {k: float(v[-1]) for k, v in hist.items()}, time.time() - t0


def to_mnist(images, pair, domain):
    """Images of ``domain`` ("a"/"b") of ``pair`` in MNIST's form (grey, upright)."""
    import numpy as np

    x = np.asarray(images)
    if domain == "b" and pair.endswith("rot90"):
        x = np.rot90(x, k=-1, axes=(1, 2))
    if domain == "b" and pair.endswith("inverted"):
        x = -x
    if x.shape[-1] == 3:
        x = x.mean(-1, keepdims=True)
    return np.ascontiguousarray(x, np.float32)


def evaluate(model, pair, n=1000, kid_n=0, kid_refs=False, fid_n=0, fid_dirs="b2a",
             fid_refs="none"):
    import numpy as np

    from tfgen import classifiers
    from tfgen.data import unpaired
    from tfgen.metrics.frechet import frechet_distance_from_activations

    import two_domain_inception as scores  # bench/two_domain_inception.py

    a, b, y = unpaired.test_pairs(pair)
    a, b, y = a[:n], b[:n], y[:n]
    g_a, f_b = model.translate(a, "a_to_b"), model.translate(b, "b_to_a")
    rec_a, rec_b = model.translate(g_a, "b_to_a"), model.translate(f_b, "a_to_b")
    clf = classifiers.load("mnist")

    def acc(x, domain):
        _, p = clf.features_and_probs(to_mnist(x, pair, domain))
        return float(np.mean(p.argmax(1) == y))

    ta, _ = unpaired.load_arrays(pair + "@a")
    tb, _ = unpaired.load_arrays(pair + "@b")
    feats_real, _ = clf.features_and_probs(to_mnist(a, pair, "a"))
    feats_fake, _ = clf.features_and_probs(to_mnist(f_b, pair, "a"))
    return {
        "acc_a2b": acc(g_a, "b"), "acc_b2a": acc(f_b, "a"),
        "acc_b_true": acc(b, "b"), "acc_a_true": acc(a, "a"),
        "l1_a2b": float(np.mean(np.abs(g_a - b))), "l1_b2a": float(np.mean(np.abs(f_b - a))),
        "l1_a2b_mean": float(np.mean(np.abs(tb.mean(0) - b))),
        "l1_b2a_mean": float(np.mean(np.abs(ta.mean(0) - a))),
        "cycle_a": float(np.mean(np.abs(rec_a - a))), "cycle_b": float(np.mean(np.abs(rec_b - b))),
        "fcd_b2a": float(frechet_distance_from_activations(feats_real, feats_fake)),
        **(scores.kid_b2a(f_b, pair, kid_n, kid_refs) if kid_n else {}),
        **scores.fid_scores(model, pair, fid_n, fid_dirs, fid_refs, g_a, f_b),
    }


def flag_config():
    """The run's config from the command line's flags (this script's and the probe's)."""
    c = small_config(FLAGS.method, FLAGS.pair, FLAGS.seed, FLAGS.width, FLAGS.blocks,
                     FLAGS.batch, FLAGS.nets, FLAGS.lr, FLAGS.d_downsample,
                     FLAGS.d_width, FLAGS.g_norm, FLAGS.g_downsample)
    if FLAGS.identity_ratio >= 0:
        c.model.identity_ratio = FLAGS.identity_ratio
    if FLAGS.history_size >= 0:
        c.model.history_size = FLAGS.history_size
    if FLAGS.cycle_weight >= 0:
        c.model.cycle_weight = FLAGS.cycle_weight
    if FLAGS.adversarial:
        c.model.adversarial = FLAGS.adversarial
    if FLAGS.reconstruction:
        c.model.reconstruction = FLAGS.reconstruction
    return c


def main(argv):
    del argv
    c = flag_config()
    model, logs, seconds = train(c, FLAGS.steps)
    result = {"method": FLAGS.method, "pair": FLAGS.pair, "steps": FLAGS.steps,
              "batch": FLAGS.batch, "seed": FLAGS.seed, "width": FLAGS.width,
              "blocks": FLAGS.blocks if FLAGS.method == "cyclegan" else None,
              "nets": FLAGS.nets,
              "model": dict(c.model), "train_seconds": round(seconds, 1),
              "optim": dict(c.optim), "d_net": dict(c.net.d_a),
              "final_logs": logs, **evaluate(model, FLAGS.pair, FLAGS.eval_n, FLAGS.kid_n,
                                             FLAGS.kid_refs, FLAGS.fid_n, FLAGS.fid_dirs,
                                             FLAGS.fid_refs),
              "command": "TFGEN_DATA_DIR=../shared/data .venv/bin/python "
                         + " ".join(sys.argv)}
    line = json.dumps(result)
    print(line)
    if FLAGS.out:
        with open(FLAGS.out, "a") as f:
            f.write(line + "\n")


if __name__ == "__main__":
    app.run(main)
