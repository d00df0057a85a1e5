"""Why a two-domain run does or does not learn: a probe every few steps.

Trains CycleGAN or DiscoGAN as bench/two_domain.py does (same small config)
and, before training and every ``--every`` steps, prints one JSON line on
held-out test images of the pair:

* ``grad``: the global gradient norm of each generator loss term w.r.t.
  G's and F's weights ([G, F]): ``adv_G`` (D_B on G(a)), ``adv_F`` (D_A on
  F(b)) and ``cycle_x_lambda`` (λ·L_cyc), on 64 test images of each domain;
* ``d_a``, ``d_b``: [accuracy, mean score on real, mean score on
  translated] of each discriminator in inference mode, the image's score
  being its mean patch output and the threshold ½ (LSGAN) or 0 (logits of
  the GAN loss), on 256 real and 256 translated test images;
* ``acc_a2b``, ``acc_b2a``: the MNIST classifier on G(a) and F(b), mapped
  as bench/two_domain.py maps them; ``l1_*`` against the true counterparts;
  ``cycle_a``; ``f_b_range``: min, max, mean of F(b) (domain A's mean is
  ``mean_a``); ``buffer_b``: the count and the mean pixel of D_B's history
  buffer (against ``g_a_mean``, the mean of G(a)).

* ``stego``: is the cycle carried by a hidden signal in G(a)? For each
  noise level σ, [cycle_a, classifier accuracy] of F(G(a) + σ·N(0, 1)) on
  the test images (Chu et al. 2017: CycleGAN can hide the source in
  low-amplitude, high-frequency patterns of its translation; if so, a small
  σ breaks the cycle while leaving G(a) visibly unchanged). ``stego_ref``
  is the same on the true counterparts b (F(b + σ·N)), for scale.
* ``stego_b``: the other cycle, {σ: |G(F(b) + σ·N) − b|}. When G: A → B
  must invent what A lacks (MNIST-M-like's photo), G(F(b)) can only come
  close to b if F(b) carries b's photo as well as its digit; compare with
  ``l1_a2b``, the error of G on the true digit a.

The header line also holds ``rf_g_ba``: the measured receptive field of F
(height and width of the input region whose pixels move F's output at the
centre pixel; the gradient's support on a test image).

``--adv_weight=0`` trains the generators on the cycle loss alone (the
adversarial term multiplied by 0), a check of what the adversarial term
contributes. ``--save=FILE.npz`` keeps 32 test images and their translations.

Example (docs/benchmarks/two_domain.md quotes its lines)::

    TFGEN_DATA_DIR=../shared/data .venv/bin/python bench/two_domain_probe.py \\
        --method=cyclegan --pair=mnist2mnist_inverted --width=8 --blocks=2 \\
        --lr=2e-4 --d_downsample=1 --steps=200 --every=50
"""

from __future__ import annotations

import json
import os
import sys
import time

from absl import app, flags

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import two_domain as bench  # noqa: E402  (bench/two_domain.py)

FLAGS = flags.FLAGS
flags.DEFINE_integer("every", 50, "steps between probes")
flags.DEFINE_float("adv_weight", 1.0, "multiplies the generators' adversarial term")
flags.DEFINE_string("save", "", "write test images and translations to this .npz")


def gradient_norms(model, a, b):
    import tensorflow as tf

    from tfgen.losses.cycle import cycle_consistency_loss

    g_vars, f_vars = model.g_ab.trainable_variables, model.g_ba.trainable_variables
    with tf.GradientTape(persistent=True) as tape:
        fake_b, fake_a = model.g_ab(a, training=True), model.g_ba(b, training=True)
        terms = {"adv_G": model._g_loss_fn(model.d_b(fake_b, training=True)),
                 "adv_F": model._g_loss_fn(model.d_a(fake_a, training=True)),
                 "cycle_x_lambda": model.cycle_weight * cycle_consistency_loss(
                     a, model.g_ba(fake_b, training=True), b,
                     model.g_ab(fake_a, training=True), model.reconstruction)}
    out = {}
    for name, loss in terms.items():
        grads = tape.gradient(loss, g_vars + f_vars)
        norm = [float(tf.linalg.global_norm([g for g in part if g is not None] or [0.0]))
                for part in (grads[:len(g_vars)], grads[len(g_vars):])]
        out[name] = [round(x, 4) for x in norm]
    return out


def receptive_field(net, x):
    """Rows and columns of x whose gradient on net(x)[centre] is non-zero."""
    import numpy as np
    import tensorflow as tf

    x = tf.constant(x[:1])
    with tf.GradientTape() as tape:
        tape.watch(x)
        out = net(x, training=False)
        h, w = out.shape[1] // 2, out.shape[2] // 2
        centre = tf.reduce_sum(out[:, h, w, :])
    g = np.abs(tape.gradient(centre, x).numpy()[0]).sum(-1)
    rows, cols = np.nonzero(g.sum(1))[0], np.nonzero(g.sum(0))[0]
    return [int(rows.max() - rows.min() + 1), int(cols.max() - cols.min() + 1)]


SIGMAS = (0.0, 0.02, 0.05, 0.1, 0.2)


def stego(model, source, target, clf, pair, y, seed=0):
    """{σ: [cycle error of F(source + σ·N), accuracy of it]} (module docstring)."""
    import numpy as np

    rng = np.random.default_rng(seed)
    out = {}
    for sigma in SIGMAS:
        noisy = source + sigma * rng.standard_normal(source.shape).astype(np.float32)
        back = model.translate(np.clip(noisy, -1, 1).astype(np.float32), "b_to_a")
        _, p = clf.features_and_probs(bench.to_mnist(back, pair, "a"))
        out[str(sigma)] = [round(float(np.abs(back - target).mean()), 3),
                           round(float(np.mean(p.argmax(1) == y)), 3)]
    return out


def stego_b(model, f_b, b, seed=1):
    """{σ: mean |G(F(b) + σ·N) − b|} (module docstring)."""
    import numpy as np

    rng = np.random.default_rng(seed)
    out = {}
    for sigma in SIGMAS:
        noisy = np.clip(f_b + sigma * rng.standard_normal(f_b.shape), -1, 1)
        back = model.translate(noisy.astype(np.float32), "a_to_b")
        out[str(sigma)] = round(float(np.abs(back - b).mean()), 3)
    return out


def probe(model, step, test, clf, pair):
    import numpy as np
    import tensorflow as tf

    ta, tb, y = test
    g_a, f_b = model.translate(ta, "a_to_b"), model.translate(tb, "b_to_a")
    threshold = 0.5 if model.adversarial == "least_squares" else 0.0

    def d_reading(d, real, fake):
        r = d(real[:256], training=False).numpy().reshape(len(real[:256]), -1).mean(1)
        f = d(fake[:256], training=False).numpy().reshape(len(fake[:256]), -1).mean(1)
        return [round(float((np.mean(r > threshold) + np.mean(f < threshold)) / 2), 3),
                round(float(r.mean()), 3), round(float(f.mean()), 3)]

    def acc(x, domain):
        _, p = clf.features_and_probs(bench.to_mnist(x, pair, domain))
        return round(float(np.mean(p.argmax(1) == y)), 3)

    rec = model.translate(g_a, "b_to_a")
    return dict(
        step=step, grad=gradient_norms(model, tf.constant(ta[:64]), tf.constant(tb[:64])),
        d_a=d_reading(model.d_a, ta, f_b), d_b=d_reading(model.d_b, tb, g_a),
        acc_a2b=acc(g_a, "b"), acc_b2a=acc(f_b, "a"),
        l1_a2b=round(float(np.abs(g_a - tb).mean()), 3),
        l1_b2a=round(float(np.abs(f_b - ta).mean()), 3),
        cycle_a=round(float(np.abs(rec - ta).mean()), 3),
        f_b_range=[round(float(f_b.min()), 2), round(float(f_b.max()), 2),
                   round(float(f_b.mean()), 3)], mean_a=round(float(ta.mean()), 3),
        g_a_mean=round(float(g_a.mean()), 3),
        buffer_b=[int(model.history_b.count.numpy()),
                  round(float(model.history_b.images.numpy().mean()), 3)],
        stego=stego(model, g_a, ta, clf, pair, y),
        stego_ref=stego(model, tb, ta, clf, pair, y), stego_b=stego_b(model, f_b, tb)), \
        g_a, f_b


def main(argv):
    del argv
    import keras
    import numpy as np

    from tfgen import builders, classifiers, data
    from tfgen.data import unpaired

    c = bench.flag_config()
    info = data.info_for("unpaired", c.data.name, target=c.data.target)
    keras.utils.set_random_seed(c.seed)
    model, opts = builders.build(c, info)
    model.compile(opts)
    if FLAGS.adv_weight != 1.0:
        weight, loss = FLAGS.adv_weight, model._g_loss_fn
        model._g_loss_fn = lambda out: weight * loss(out)
    ds = data.make("unpaired", c.data.name, c.data.batch_size, target=c.data.target,
                   seed=c.seed)
    a, b, y = unpaired.test_pairs(FLAGS.pair)
    test = (a[:500], b[:500], y[:500])
    clf = classifiers.load("mnist")
    print(json.dumps({"command": "TFGEN_DATA_DIR=../shared/data .venv/bin/python "
                      + " ".join(sys.argv), "net": c.net.to_dict(),
                      "optim": c.optim.to_dict(), "model": c.model.to_dict(),
                      "rf_g_ba": receptive_field(model.g_ba, b[:1]),
                      "rf_g_ab": receptive_field(model.g_ab, a[:1])}))
    print(json.dumps(probe(model, 0, test, clf, FLAGS.pair)[0]), flush=True)
    done, t0 = 0, time.time()
    while done < FLAGS.steps:
        logs = model.fit(ds, steps_per_epoch=FLAGS.every, epochs=1, verbose=0).history
        done += FLAGS.every
        line, g_a, f_b = probe(model, done, test, clf, FLAGS.pair)
        line["train_logs"] = {k: round(float(v[-1]), 4) for k, v in logs.items()}
        line["seconds"] = round(time.time() - t0, 1)
        print(json.dumps(line), flush=True)
    if FLAGS.save:
        np.savez(FLAGS.save, a=test[0][:32], b=test[1][:32], g_a=g_a[:32], f_b=f_b[:32])


if __name__ == "__main__":
    app.run(main)
