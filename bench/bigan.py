"""BiGAN / ALI on MNIST: the encoder's features and the reconstructions, over seeds.

    .venv/bin/python bench/bigan.py --method=bigan --steps=3000 --seeds=0,1,2

Trains ``--method`` (bigan: deterministic encoder; ali: Gaussian encoder)
with BiGAN's permutation-invariant MNIST networks (MLPs, leaky ReLU; width
``--hidden``, the paper's is 1024), a uniform latent of 50 dimensions and
Adam(2e-4, β1 = 0.5), batch 128, as Donahue et al. 2017 (Sec. 4.2), for a
small budget. Then, on ``--test`` test digits and features of ``--train``
training digits (labels used only here):

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
from absl import app, flags

flags.DEFINE_string("method", "bigan", "bigan or ali.")
flags.DEFINE_integer("steps", 3000, "Training steps.")
flags.DEFINE_list("seeds", ["0", "1", "2"], "Seeds.")
flags.DEFINE_list("hidden", ["512", "512"], "Hidden widths of E, G and D (paper: 1024, 1024).")
flags.DEFINE_integer("latent", 50, "Latent dimension (paper: 50).")
flags.DEFINE_integer("batch_size", 128, "Batch size.")
flags.DEFINE_float("dropout", 0.0, "Dropout in D's hidden layers.")
flags.DEFINE_float("d_lr", 2e-4, "Discriminator learning rate (G and E: 2e-4).")
flags.DEFINE_string("prior", "uniform", "Latent prior (paper: uniform on [-1, 1]).")
flags.DEFINE_integer("train", 10000, "Training digits whose features the probes fit.")
flags.DEFINE_integer("test", 2000, "Test digits.")
flags.DEFINE_string("data_root", None, "Data folder (default $TFGEN_DATA_DIR).")
flags.DEFINE_string("json_out", None, "Also write the JSON here.")
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


def run(seed):
    import keras

    from tfgen import classifiers, data
    from tfgen.models.bigan import BiGAN
    from tfgen.networks import bigan as nets

    keras.utils.set_random_seed(seed)
    shape, hidden, d = (28, 28, 1), tuple(int(h) for h in FLAGS.hidden), FLAGS.latent
    ali = FLAGS.method == "ali"
    enc = (nets.bigan_gaussian_encoder if ali else nets.bigan_encoder)(shape, d, hidden)
    model = BiGAN(nets.bigan_generator(d, shape, hidden), enc,
                  nets.bigan_joint_discriminator(shape, d, hidden, dropout=FLAGS.dropout), d, seed=seed,
                  prior=FLAGS.prior, stochastic_encoder=ali)
    model.compile({"generator": keras.optimizers.Adam(2e-4, beta_1=0.5),
                   "discriminator": keras.optimizers.Adam(FLAGS.d_lr, beta_1=0.5)})
    (xtr, ytr), (xte, yte) = (data.load_arrays("mnist", s, FLAGS.data_root)
                              for s in ("train", "test"))
    xtr, ytr = xtr[:FLAGS.train], ytr[:FLAGS.train]
    xte, yte = xte[:FLAGS.test], yte[:FLAGS.test]
    random_enc = keras.models.clone_model(model.mean_encoder())
    random_enc.set_weights(model.mean_encoder().get_weights())
    t0 = time.time()
    ds = data.make_dataset("mnist", FLAGS.batch_size, data_dir=FLAGS.data_root, seed=seed)
    logs = model.fit(ds, steps_per_epoch=FLAGS.steps, epochs=1, verbose=0).history
    seconds = time.time() - t0
    trained = probes(model.mean_encoder(), xtr, ytr, xte, yte)
    baseline = probes(random_enc, xtr, ytr, xte, yte)
    recon = np.concatenate([np.asarray(model.generator(model.encode(xte[i:i + 500])))
                            for i in range(0, len(xte), 500)])
    clf = classifiers.load("mnist")
    acc = lambda x: float(np.mean(clf.features_and_probs(x)[1].argmax(1) == yte))  # noqa
    perm = np.random.default_rng(seed).permutation(len(xte))
    other = recon[np.roll(perm, 1)][np.argsort(perm)]
    return dict(seed=seed, seconds=round(seconds, 1),
                final_losses={k: round(v[-1], 4) for k, v in logs.items()},
                features=trained, random_encoder=baseline,
                recon_class_accuracy=acc(recon), original_class_accuracy=acc(xte),
                recon_mse=float(np.mean((xte - recon) ** 2)),
                random_pairing_mse=float(np.mean((xte - other) ** 2)))


def main(argv):
    del argv
    from tfgen import cli

    cli.quiet_tensorflow()
    runs = [run(int(s)) for s in FLAGS.seeds]
    mean = lambda f: round(float(np.mean([f(r) for r in runs])), 4)  # noqa
    out = dict(command="python " + " ".join(sys.argv), method=FLAGS.method, prior=FLAGS.prior,
               dropout=FLAGS.dropout, d_lr=FLAGS.d_lr,
               steps=FLAGS.steps, hidden=FLAGS.hidden, latent=FLAGS.latent,
               batch_size=FLAGS.batch_size, train_digits=FLAGS.train, test_digits=FLAGS.test,
               mean=dict(nn1=mean(lambda r: r["features"]["nn1"]),
                         linear=mean(lambda r: r["features"]["linear"]),
                         random_nn1=mean(lambda r: r["random_encoder"]["nn1"]),
                         random_linear=mean(lambda r: r["random_encoder"]["linear"]),
                         recon_class_accuracy=mean(lambda r: r["recon_class_accuracy"]),
                         recon_mse=mean(lambda r: r["recon_mse"]),
                         random_pairing_mse=mean(lambda r: r["random_pairing_mse"])),
               runs=runs)
    text = json.dumps(out, indent=1)
    print(text)
    if FLAGS.json_out:
        with open(FLAGS.json_out, "w") as f:
            f.write(text)


if __name__ == "__main__":
    app.run(main)
