"""Pix2Pix benchmark: the paper's objective ablation (L1, cGAN, cGAN + L1).

For one paired data set (a row) and each objective and seed, trains the
shipped config (``configs/pix2pix_<row>.py``) in process on the CPU for
``--steps`` and scores the generator (inference mode: no dropout, BatchNorm
moving statistics) on the first ``--num_test`` held-out test pairs:
L1 and PSNR against the true image, the sharpness ratio (1 = as sharp as
the truth; ``tfgen.metrics.translation``), and for the digit and garment
rows the project classifier's accuracy at reading the source image's label
in the translation (our analogue of the paper's FCN score). With ``--fid``,
FID (the FID Inception, ``tfgen.metrics.inception``) of the translations
against the true colour images of the same test pairs, and of the grey input
itself as a baseline. ``--colour_space=lab`` (grey → colour rows) trains
the authors' released code's colourisation instead (``model.colour_space``:
G predicts the chroma ab from the lightness L, the output keeps the input's
exact L) and adds a ceiling, ``lab_oracle``: the input's L with the true
ab. Prints one JSON object and writes it to ``--out``
after every run (a killed run keeps what it finished).

    .venv/bin/python bench/pix2pix.py --row=mnist_edges --steps=1500 \
        --seeds=0,1,2 --out=bench/results/pix2pix_mnist_edges.json
    .venv/bin/python bench/pix2pix.py --row=cifar10_grey --steps=1500 \
        --seeds=0 --fid --out=bench/results/pix2pix_cifar10_grey.json
    .venv/bin/python bench/pix2pix.py --row=cifar10_grey --steps=600 \
        --colour_space=lab --objectives=cgan_l1 --seeds=0 --fid \
        --out=bench/results/pix2pix_cifar10_grey_lab.json
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import sys
import time

import keras
import numpy as np

from tfgen import builders, classifiers, data
from tfgen.atomic_write import refuse_existing, write_text
from tfgen.metrics import translation

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA_DIR = os.environ.get("TFGEN_DATA_DIR") or os.path.join(ROOT, "..", "shared", "data")
LABELS = {"mnist_edges": "mnist", "fashion_mnist_edges": "fashion_mnist"}


def load_config(row, colour_space=""):
    name = "pix2pix_mnist_edges" if row == "fashion_mnist_edges" else f"pix2pix_{row}"
    spec = importlib.util.spec_from_file_location("cfg", os.path.join(ROOT, "configs",
                                                                      name + ".py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    c = module.get_config()
    c.data.name, c.data.data_dir = row, DATA_DIR
    if colour_space:
        module.use_colour_space(c, colour_space)
    return c


def train(c):
    keras.utils.set_random_seed(c.seed)
    info = data.info_for("paired", c.data.name, c.data.data_dir)
    model, opts = builders.build(c, info)
    model.compile(opts)
    ds = data.make("paired", c.data.name, c.data.batch_size, data_dir=c.data.data_dir,
                   seed=c.seed)
    start = time.time()
    model.fit(ds, steps_per_epoch=c.train.steps, epochs=1, verbose=0)
    return model, time.time() - start


def translate(generator, a, batch=500):
    return np.concatenate([np.asarray(generator(a[i:i + batch], training=False))
                           for i in range(0, len(a), batch)])


def scores(target, output, labels, classify, fid):
    out = translation.translation_scores(target, output, labels, classify)
    if fid is not None:
        out["fid"] = fid(output)
    return out


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--row", default="mnist_edges",
                   choices=["mnist_edges", "fashion_mnist_edges", "cifar10_grey"])
    p.add_argument("--objectives", default="l1,cgan,cgan_l1")
    p.add_argument("--seeds", default="0")
    p.add_argument("--steps", type=int, default=1500)
    p.add_argument("--batch", type=int, default=0, help="0: the config's")
    p.add_argument("--l1_weight", type=float, default=0.0, help="lambda; 0: the config's")
    p.add_argument("--num_test", type=int, default=2000)
    p.add_argument("--fid", action="store_true")
    p.add_argument("--colour_space", default="", choices=["", "rgb", "lab"],
                   help="model.colour_space (cifar10_grey only); empty: the config's")
    p.add_argument("--out", default="")
    p.add_argument("--overwrite", action="store_true", help="replace an existing --out")
    args = p.parse_args()
    try:
        refuse_existing(args.out, args.overwrite)
    except FileExistsError as err:
        p.error(str(err))

    a, b = (x[:args.num_test] for x in data.load_pairs(args.row, "test", DATA_DIR))
    labels = classify = fid = None
    if args.row in LABELS:
        labels = data.load_arrays(LABELS[args.row], "test", DATA_DIR)[1][:args.num_test]
        clf = classifiers.load(LABELS[args.row])
        classify = lambda x: clf.model(x, training=False)  # noqa: E731
    if args.fid:
        from tfgen.metrics import frechet, inception
        net = inception.fid_inception()
        real = inception.fid_features(net, b)
        fid = lambda x: frechet.frechet_distance_from_activations(  # noqa: E731
            real, inception.fid_features(net, x))
    source = np.repeat(a, b.shape[-1], axis=-1) if a.shape[-1] != b.shape[-1] else a
    result = {"row": args.row, "steps": args.steps, "num_test": len(a),
              "input_baseline": scores(b, source, labels, classify, fid),
              "runs": [], "command": "python " + " ".join(sys.argv)}
    if args.colour_space == "lab":
        from tfgen.layers import colour_space as cs
        oracle = cs.recombine(cs.grey_lightness(a), cs.chroma(b)).numpy()
        result["lab_oracle"] = scores(b, oracle, labels, classify, fid)
    if labels is not None:
        result["truth_accuracy"] = translation.label_accuracy(classify, b, labels)
    for seed in [int(s) for s in args.seeds.split(",")]:
        for objective in args.objectives.split(","):
            c = load_config(args.row, args.colour_space)
            c.seed, c.model.objective, c.train.steps = seed, objective, args.steps
            if args.batch:
                c.data.batch_size = args.batch
            if args.l1_weight:
                c.model.l1_weight = args.l1_weight
            model, seconds = train(c)
            run = {"objective": objective, "seed": seed, "batch": c.data.batch_size,
                   "l1_weight": c.model.l1_weight, "colour_space": c.model.colour_space,
                   "train_seconds": round(seconds, 1),
                   **scores(b, translate(model.translator(), a), labels, classify, fid)}
            result["runs"].append(run)
            print(json.dumps(run), file=sys.stderr, flush=True)
            if args.out:  # after every run, so a crash keeps the runs before it
                write_text(args.out, json.dumps(result, indent=1))
    by = {}
    for r in result["runs"]:
        by.setdefault(r["objective"], []).append(r)
    result["mean"] = {k: {m: float(np.mean([r[m] for r in rs])) for m in rs[0]
                          if m not in ("objective", "seed", "batch", "l1_weight", "colour_space")}
                      for k, rs in by.items()}
    if args.out:
        write_text(args.out, json.dumps(result, indent=1))
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
