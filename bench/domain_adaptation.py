"""Domain adaptation benchmark: target-domain test accuracy and proxy A-distance.

For each domain pair and seed it trains, on the CPU at a small budget,
  * source_only: DANN's networks on the source labels only (λ = 0);
  * dann: the same networks with gradient reversal and the paper's schedules;
  * dupgan: the Duplex GAN (Hu et al. 2018) on DANN's encoder and
    classifier, Adam at --gan_lr (with --set=encoder_sgd=true its E, C
    train as DANN's do: SGD at --lr, momentum 0.9, annealed), its first
    third of the steps the pretrain stage; it also writes, per seed, a grid of source images and
    their translations into the target domain, and of target images and
    theirs into the source (--grids, PNG);
  * target_supervised: the same networks trained on the TARGET's labels
    (the upper bound; it reads target labels, the others never do);
and reports the accuracy of each on the target's test split, plus the proxy
A-distance (tfgen.metrics.proxy_a_distance) of the source-only, DANN and
DupGAN features on held-out test images of both domains. Prints one JSON
object. --set=model.FIELD=VALUE,... overrides model fields of the
runs (source_only/dann's and dupgan's fields; for the probes).

    .venv/bin/python bench/domain_adaptation.py --steps=1500 --seeds=0,1,2 \
        --pairs=mnist_rgb:mnistm_like,mnist:digits,digits:mnist
"""

from __future__ import annotations

import argparse
import json
import os
import time

import keras
import numpy as np

from tfgen import builders, config as config_lib, data
from tfgen.atomic_write import refuse_existing, write_atomically
from tfgen.data import mnistm_like
from tfgen.metrics.proxy_a_distance import proxy_a_distance

DATA_DIR = os.environ.get("TFGEN_DATA_DIR") or os.path.join(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "..", "shared", "data")


def make_config(method, source, target, seed, steps, batch, lr, image_size, gan_lr=2e-4,
                overrides=(), small_gan=False):
    c = config_lib.base_config(method)
    c.seed = seed
    c.data.name, c.data.target = source, target
    c.data.data_dir = DATA_DIR
    c.data.batch_size = batch
    c.data.image_size = image_size
    if method == "dupgan":
        c.optim.e_lr = c.optim.g_lr = c.optim.d_lr = gan_lr
        c.model.pretrain_examples = steps * batch // 3
        if small_gan:  # generator base 16, discriminators 16-32 filters (CPU budget)
            config_lib.set_network(c, "generator", "dupgan_generator", base=16)
            for d in ("disc_source", "disc_target"):
                config_lib.set_network(c, d, "dupgan_discriminator", filters=(16, 32))
    else:
        c.optim.name, c.optim.base_lr = "sgd", lr
    for key, value in overrides:
        c.model[key] = type(c.model[key])(value) if not isinstance(
            c.model[key], bool) else value in ("1", "true", "True")
    if method == "dupgan" and c.model.encoder_sgd:  # E, C as DANN's: SGD at --lr
        c.optim.e_lr = lr
    c.train.steps = steps
    return c


def translation_grid(model, xs, xt, path, n=10):
    """Rows: source images, their translations into the target; target
    images, their translations into the source."""
    from tfgen import images
    from tfgen.networks.dupgan import SOURCE, TARGET

    rows = [xs[:n], model.translate(xs[:n], TARGET), xt[:n], model.translate(xt[:n], SOURCE)]
    rows = [r if r.shape[-1] == 3 else np.repeat(r, 3, -1) for r in rows]
    grid = images.grid(np.concatenate(rows), ncols=n)
    write_atomically(path, lambda tmp: images.save_png(tmp, grid))
    return path


class Trace(keras.callbacks.Callback):
    """Means of the tracked scalars over each window of ``every`` steps
    (from Keras' running means since the epoch began) and, for the record
    only (never fed back to training), the target test accuracy at the
    window's end."""

    KEYS = ("label_loss", "domain_loss", "source_accuracy", "domain_accuracy",
            "cls_loss", "d_loss", "g_adv_loss", "rec_loss", "confident_fraction")

    def __init__(self, every, target=None):
        super().__init__()
        self.every, self.rows, self._last, self.target = every, [], (0, {}), target

    def on_train_batch_end(self, batch, logs=None):
        n = batch + 1
        if n % self.every or not logs:
            return
        n0, m0 = self._last
        now = {k: float(logs[k]) for k in self.KEYS if k in logs}
        row = {"step": n, **{k: round((n * v - n0 * m0.get(k, 0.0)) / (n - n0), 4)
                             for k, v in now.items()}}
        if self.target is not None:
            x, y = self.target
            row["target_accuracy"] = round(float(np.mean(self.model.predict_classes(x) == y)), 4)
            if hasattr(self.model, "confidence"):  # DupGAN: its pseudo-labels on the test images
                row.update(confident_test(self.model, x, y))
        self.rows.append(row)
        self._last = (n, now)


def confident_test(model, x, y):
    """The fraction of test images DupGAN's pseudo-label rule keeps (its
    threshold; or, class-balanced, each class's top share ranked over the
    whole test set), and the accuracy of those pseudo-labels (for the record)."""
    logits = np.concatenate([model.classify(x[i:i + 1000]).numpy()
                             for i in range(0, len(x), 1000)])
    labels, mask = (t.numpy() for t in model.pseudo_labels(logits))  # the model's own rule
    kept = mask > 0
    acc = float(np.mean(labels[kept] == y[kept])) if kept.any() else float("nan")
    return {"test_confident_fraction": round(float(kept.mean()), 4),
            "test_confident_accuracy": round(acc, 4)}


def train(c, trace=None):
    """The trained model on config ``c`` (no workdir: built and fit in process)."""
    keras.utils.set_random_seed(c.seed)
    info = data.info_for("semi_supervised", c.data.name, c.data.data_dir,
                         target=c.data.target, image_size=c.data.image_size)
    model, opts = builders.build(c, info)
    model.compile(opts)
    ds = data.make("semi_supervised", c.data.name, c.data.batch_size, target=c.data.target,
                   data_dir=c.data.data_dir, seed=c.seed, image_size=c.data.image_size)
    model.fit(ds, steps_per_epoch=c.train.steps, epochs=1, verbose=0,
              callbacks=[trace] if trace else None)
    return model


def test_arrays(name, image_size, n):
    """The test split; scikit-learn's digits have one split, so for them the
    (transductive) target images themselves, whose labels training never read."""
    split = "train" if name.startswith("digits") else "test"
    x, y = data.load_arrays(name, split, DATA_DIR)
    x, y = x[:n], y[:n]
    if image_size and x.shape[1] != image_size:
        import tensorflow as tf
        x = tf.image.resize(x, [image_size, image_size]).numpy()
    return x, y


def features(model, x):
    net = model.encoder if hasattr(model, "encoder") else model.features
    return np.concatenate([net(x[i:i + 500]).numpy()
                           for i in range(0, len(x), 500)])


def grid_path(folder, pair, seed):
    source, target = pair.split(":")
    return os.path.join(folder, f"{source}_{target}_seed{seed}.png")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pairs", default="mnist_rgb:mnistm_like,mnist:digits,digits:mnist")
    ap.add_argument("--methods", default="source_only,dann,target_supervised")
    ap.add_argument("--seeds", default="0,1,2")
    ap.add_argument("--steps", type=int, default=1500)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--lr", type=float, default=0.01)
    ap.add_argument("--gan_lr", type=float, default=2e-4)
    ap.add_argument("--small_gan", action="store_true",
                    help="DupGAN with a 4x narrower generator and discriminators")
    ap.add_argument("--test_examples", type=int, default=2000)
    ap.add_argument("--grids", default="bench/results/dupgan_grids",
                    help="folder for DupGAN's translation grids ('' = none)")
    ap.add_argument("--overwrite", action="store_true",
                    help="replace existing grids of the same pair and seed")
    ap.add_argument("--trace", type=int, default=0,
                    help="record the losses, the domain classifier's accuracy and "
                         "the target test accuracy every N steps in each run's row")
    ap.add_argument("--set", default="", help="model.FIELD=VALUE,... (fields of the methods run)")
    args = ap.parse_args()
    seeds = [int(s) for s in args.seeds.split(",")]
    if args.grids and "dupgan" in args.methods.split(","):
        try:  # before any training, so a long run never ends in a refused write
            for pair in args.pairs.split(","):
                for seed in seeds:
                    refuse_existing(grid_path(args.grids, pair, seed), args.overwrite,
                                    "grid")
        except FileExistsError as err:
            ap.error(str(err))
    overrides = [kv.split("=", 1) for kv in args.set.split(",") if kv]
    overrides = [(k.removeprefix("model."), v) for k, v in overrides]
    out = {"command": "bench/domain_adaptation.py " + " ".join(
        f"--{k}={v}" for k, v in vars(args).items()), "mnistm_like_version": mnistm_like.VERSION,
        "results": {}}
    for pair in args.pairs.split(","):
        source, target = pair.split(":")
        size = 28 if any(n.startswith("digits") for n in (source, target)) else 0
        xs, _ = test_arrays(source, size, args.test_examples)
        xt, yt = test_arrays(target, size, args.test_examples)
        rows = {}
        for method in args.methods.split(","):
            for seed in seeds:
                start = time.time()
                if method == "target_supervised":
                    c = make_config("source_only", target, target, seed, args.steps,
                                    args.batch, args.lr, size)
                else:
                    c = make_config(method, source, target, seed, args.steps, args.batch,
                                    args.lr, size, args.gan_lr, overrides,
                                    args.small_gan)
                trace = Trace(args.trace, (xt, yt)) if args.trace else None
                model = train(c, trace)
                acc = float(np.mean(model.predict_classes(xt) == yt))
                row = {"seed": seed, "target_accuracy": round(acc, 4),
                       "seconds": round(time.time() - start, 1)}
                if trace:
                    # The target accuracy moves by several points between
                    # checkpoints; the mean of the last five is the steadier figure.
                    tail = [r["target_accuracy"] for r in trace.rows[-5:]]
                    row["target_accuracy_last5_mean"] = round(float(np.mean(tail)), 4)
                    row["trace"] = trace.rows
                if method != "target_supervised":
                    pad = proxy_a_distance(features(model, xs), features(model, xt), seed)
                    row["proxy_a_distance"] = round(pad["proxy_a_distance"], 4)
                if method == "dupgan" and args.grids:
                    row["grid"] = translation_grid(model, xs, xt,
                                                   grid_path(args.grids, pair, seed))
                rows.setdefault(method, []).append(row)
                print(json.dumps({"pair": pair, "method": method, **row}), flush=True)
        for method, rs in rows.items():
            accs = [r["target_accuracy"] for r in rs]
            rows[method] = {"runs": rs, "mean_target_accuracy": round(float(np.mean(accs)), 4)}
        out["results"][pair] = rows
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
