"""BiGAN / ALI on MNIST: the encoder's features and the reconstructions, over seeds.

    .venv/bin/python bench/bigan.py --method=bigan --steps=3000 --seeds=0,1,2 --every=500

Trains ``--method`` (bigan: deterministic encoder; ali: Gaussian encoder)
with BiGAN's permutation-invariant MNIST networks (MLPs, leaky ReLU; width
``--hidden``, the paper's is 1024; batch norm in G and E as in both papers'
implementations), ALI's joint discriminator (``--disc=towers``: x, z and
joint towers, dropout 0.2; Dumoulin et al. 2017, appendix A; ``concat`` is
one MLP on [x, z]), Adam(``--lr``, β1 = 0.5) (BiGAN 2e-4, ALI 1e-4), batch
128, for a small budget. Every ``--every`` steps it traces, on 1,000 test
digits: the classifier's accuracy on G(E(x)), the codes' scale against the
prior's, the class entropy of the samples G(z), and whether D uses z: its
accuracy on (x, E(x)) vs (G(z), z) with and without the codes shuffled
within the batch, and how often it prefers the true pairing. At the end, on
``--test`` test digits and features of ``--train`` training digits (labels
used only here):

* 1-nearest-neighbour (cosine) and linear-probe (logistic regression)
  accuracy of the encoder's features (μ for ALI), against the same encoder
  network with its random initial weights;
* the project's MNIST classifier's accuracy on the reconstructions G(E(x))
  (and on the originals), and their pixel MSE against a random-pairing
  baseline (x against the reconstruction of another test digit).

Prints one JSON object with every run and the means.
"""

import json
import sys
import time

import numpy as np
from absl import flags

from tfgen import cli

flags.DEFINE_string("method", "bigan", "bigan or ali.")
flags.DEFINE_integer("steps", 3000, "Training steps.")
flags.DEFINE_list("seeds", ["0", "1", "2"], "Seeds.")
flags.DEFINE_list("hidden", ["512", "512"], "Hidden widths of E, G and D (paper: 1024, 1024).")
flags.DEFINE_integer("latent", 50, "Latent dimension (paper: 50).")
flags.DEFINE_integer("batch_size", 128, "Batch size.")
flags.DEFINE_float("dropout", 0.2, "Dropout in D's hidden layers (ALI: 0.2).")
flags.DEFINE_enum("disc", "towers", ["concat", "towers"],
                  "D(x, z): concat (one MLP on [x, z], BiGAN) or towers (x and z towers "
                  "joined by a joint tower, ALI).")
flags.DEFINE_list("z_hidden", ["512", "512"], "z tower widths (towers only).")
flags.DEFINE_list("joint_hidden", ["512", "512"], "Joint tower widths (towers only).")
flags.DEFINE_float("lr", 2e-4, "Generator-encoder learning rate (ALI: 1e-4).")
flags.DEFINE_float("d_lr", 2e-4, "Discriminator learning rate.")
flags.DEFINE_bool("batch_norm", True, "Batch norm in G's and E's hidden layers (both "
                  "papers' implementations).")
flags.DEFINE_float("beta1", 0.5, "Adam beta1 (both papers: 0.5).")
flags.DEFINE_float("beta2", 0.999, "Adam beta2.")
flags.DEFINE_integer("every", 0, "Trace the diagnostics every this many steps (0: end only).")
flags.DEFINE_string("prior", "uniform", "Latent prior (paper: uniform on [-1, 1]).")
flags.DEFINE_integer("train", 10000, "Training digits whose features the probes fit.")
flags.DEFINE_integer("test", 2000, "Test digits.")
flags.DEFINE_string("data_root", None, "Data folder (default $TFGEN_DATA_DIR).")
flags.DEFINE_string("json_out", None, "Also write the JSON here.")
flags.DEFINE_bool("overwrite", False, "Replace an existing --json_out file.")
flags.DEFINE_string("png", None, "Write x / G(E(x)) / G(z) rows here ({seed} is filled in).")
FLAGS = flags.FLAGS


def features(encoder, x):
    return np.concatenate([np.asarray(encoder(x[i:i + 500], training=False))
                           for i in range(0, len(x), 500)])


def probes(enc, xtr, ytr, xte, yte):
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    from tfgen.representation import knn_accuracy

    ftr, fte = features(enc, xtr), features(enc, xte)
    scaler = StandardScaler().fit(ftr)
    clf = LogisticRegression(max_iter=2000).fit(scaler.transform(ftr), ytr)
    return {"nn1": knn_accuracy(ftr, ytr, fte, yte, k=1),
            "linear": float(clf.score(scaler.transform(fte), yte))}


def shuffled(a, rng):
    return a[rng.permutation(len(a))]


def diagnose(model, clf, xte, yte, seed):
    """Reconstruction class accuracy, the codes' scale, and whether D uses z:
    D's accuracy on (x, E(x)) vs (G(z), z), and again with the codes and the
    latents shuffled within the batch (x and G(z) kept)."""
    rng = np.random.default_rng(seed)
    code = np.asarray(model.encode(xte))
    z = np.asarray(model.latent.sample(len(xte), np.array([seed, 7], "int32")))
    fake = np.asarray(model.generator(z))
    d = lambda x, c: np.asarray(model.discriminator([x, c], training=False))[:, 0]  # noqa
    acc = lambda a, b: float((np.mean(a > 0) + np.mean(b < 0)) / 2)  # noqa
    data_out, gen_out = d(xte, code), d(fake, z)
    data_shuf, gen_shuf = d(xte, shuffled(code, rng)), d(fake, shuffled(z, rng))
    recon = np.asarray(model.generator(code))
    freq = np.bincount(clf(fake), minlength=10) / len(fake)
    return dict(recon_class_accuracy=float(np.mean(clf(recon) == yte)),
                sample_class_entropy=round(float(-np.sum(freq * np.log(freq + 1e-12))), 3),
                code_std=round(float(code.std()), 3), code_mean=round(float(code.mean()), 3),
                d_accuracy=round(acc(data_out, gen_out), 4),
                d_accuracy_z_shuffled=round(acc(data_shuf, gen_shuf), 4),
                d_prefers_true_pairs=round(float((np.mean(data_out > data_shuf)
                                                  + np.mean(gen_out < gen_shuf)) / 2), 4),
                d_z_sensitivity=round(float(np.mean(np.abs(data_out - data_shuf))
                                            + np.mean(np.abs(gen_out - gen_shuf))) / 2, 3),
                recon_mse=round(float(np.mean((xte - recon) ** 2)), 4))


def run(seed):
    import keras

    from tfgen import classifiers, data
    from tfgen.models.bigan import BiGAN
    from tfgen.networks import bigan as nets

    keras.utils.set_random_seed(seed)
    shape, hidden, d = (28, 28, 1), tuple(int(h) for h in FLAGS.hidden), FLAGS.latent
    ali = FLAGS.method == "ali"
    encoder = nets.bigan_gaussian_encoder if ali else nets.bigan_encoder
    enc = encoder(shape, d, hidden, batch_norm=FLAGS.batch_norm)
    if FLAGS.disc == "towers":
        disc = nets.ali_joint_discriminator(
            shape, d, hidden, tuple(int(h) for h in FLAGS.z_hidden),
            tuple(int(h) for h in FLAGS.joint_hidden), dropout=FLAGS.dropout)
    else:
        disc = nets.bigan_joint_discriminator(shape, d, hidden, dropout=FLAGS.dropout)
    gen = nets.bigan_generator(d, shape, hidden, batch_norm=FLAGS.batch_norm)
    model = BiGAN(gen, enc, disc, d, seed=seed, prior=FLAGS.prior, stochastic_encoder=ali)
    adam = lambda lr: keras.optimizers.Adam(lr, beta_1=FLAGS.beta1, beta_2=FLAGS.beta2)  # noqa
    model.compile({"generator": adam(FLAGS.lr), "discriminator": adam(FLAGS.d_lr)})
    (xtr, ytr), (xte, yte) = (data.load_arrays("mnist", s, FLAGS.data_root)
                              for s in ("train", "test"))
    xtr, ytr = xtr[:FLAGS.train], ytr[:FLAGS.train]
    xte, yte = xte[:FLAGS.test], yte[:FLAGS.test]
    random_enc = keras.models.clone_model(model.mean_encoder())
    random_enc.set_weights(model.mean_encoder().get_weights())
    classifier = classifiers.load("mnist")
    clf = lambda x: np.concatenate([classifier.features_and_probs(x[i:i + 500])[1].argmax(1)  # noqa
                                    for i in range(0, len(x), 500)])
    every = FLAGS.every or FLAGS.steps
    trace = []
    t0 = time.time()
    ds = data.make_dataset("mnist", FLAGS.batch_size, data_dir=FLAGS.data_root, seed=seed)

    class Trace(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            trace.append(dict(step=(epoch + 1) * every, d_loss=round(float(logs["d_loss"]), 4),
                              **diagnose(model, clf, xte[:1000], yte[:1000], seed)))
            print(json.dumps(dict(seed=seed, **trace[-1])), file=sys.stderr, flush=True)

    logs = model.fit(ds, steps_per_epoch=every, epochs=FLAGS.steps // every, verbose=0,
                     callbacks=[Trace()]).history
    seconds = time.time() - t0
    if FLAGS.png:
        from tfgen import images

        x = xte[:16]
        rows = np.concatenate([x, np.asarray(model.generator(model.encode(x))),
                               np.asarray(model.generate(16, seed=0))])
        images.save_png(FLAGS.png.format(seed=seed), images.grid(rows, ncols=16))
    trained = probes(model.mean_encoder(), xtr, ytr, xte, yte)
    baseline = probes(random_enc, xtr, ytr, xte, yte)
    recon = np.concatenate([np.asarray(model.generator(model.encode(xte[i:i + 500])))
                            for i in range(0, len(xte), 500)])
    acc = lambda x: float(np.mean(clf(x) == yte))  # noqa
    perm = np.random.default_rng(seed).permutation(len(xte))
    other = recon[np.roll(perm, 1)][np.argsort(perm)]
    return dict(seed=seed, seconds=round(seconds, 1),
                final_losses={k: round(v[-1], 4) for k, v in logs.items()},
                features=trained, random_encoder=baseline,
                recon_class_accuracy=acc(recon), original_class_accuracy=acc(xte),
                recon_mse=float(np.mean((xte - recon) ** 2)),
                random_pairing_mse=float(np.mean((xte - other) ** 2)),
                diagnostics=trace[-1], trace=trace if len(trace) > 1 else [])


def main(argv):
    del argv
    from tfgen.atomic_write import refuse_existing, write_text

    refuse_existing(FLAGS.json_out, FLAGS.overwrite, "--json_out")
    cli.quiet_tensorflow()
    runs = [run(int(s)) for s in FLAGS.seeds]
    mean = lambda f: round(float(np.mean([f(r) for r in runs])), 4)  # noqa
    out = dict(command="python " + " ".join(sys.argv), method=FLAGS.method, prior=FLAGS.prior,
               disc=FLAGS.disc, dropout=FLAGS.dropout, lr=FLAGS.lr, d_lr=FLAGS.d_lr,
               beta1=FLAGS.beta1, beta2=FLAGS.beta2, batch_norm=FLAGS.batch_norm,
               steps=FLAGS.steps, hidden=FLAGS.hidden, latent=FLAGS.latent,
               batch_size=FLAGS.batch_size, train_digits=FLAGS.train, test_digits=FLAGS.test,
               mean=dict(nn1=mean(lambda r: r["features"]["nn1"]),
                         linear=mean(lambda r: r["features"]["linear"]),
                         random_nn1=mean(lambda r: r["random_encoder"]["nn1"]),
                         random_linear=mean(lambda r: r["random_encoder"]["linear"]),
                         recon_class_accuracy=mean(lambda r: r["recon_class_accuracy"]),
                         recon_mse=mean(lambda r: r["recon_mse"]),
                         random_pairing_mse=mean(lambda r: r["random_pairing_mse"]),
                         d_accuracy=mean(lambda r: r["diagnostics"]["d_accuracy"]),
                         d_accuracy_z_shuffled=mean(
                             lambda r: r["diagnostics"]["d_accuracy_z_shuffled"])),
               runs=runs)
    text = json.dumps(out, indent=1)
    print(text)
    if FLAGS.json_out:
        write_text(FLAGS.json_out, text)


if __name__ == "__main__":
    cli.run(cli.one_line_errors(main))
