"""CTRL against CoA-CTRL: same networks, seed and budget; one JSON object out.

    .venv/bin/python bench/ctrl_quality.py --data_dir=../shared/data

The defaults (500 steps, batch 64, nz 64, lr 5e-4, widths 32 and 8) fit
about 10 minutes on a 2-core CPU; the paper trains 10,000 steps at batch 256,
nz 128, lr 1e-4 with width-64 networks.

For each setting (``dcgan``: the DCGAN-style encoder and decoder of the
paper's "normal encoder" experiments; ``resnet18``: a pre-activation
ResNet-18 encoder with the same shallow decoder, the paper's unbalanced
deep-encoder setting, CoA-CTRL Sec. 4.2) both methods train on MNIST
resized to 32x32 from the same initial weights and data order, then report:

* reconstruction MSE and PSNR (peak-to-peak 2.0) of g(f(x)) on held-out
  test images, and the training-batch MSE at the last steps;
* mean and std of ΔR(Z, Ẑ) and of R(Z ∪ Ẑ) over the last ``--last``
  fraction of the steps (per-step values, not running means);
* nearest-subspace and k-NN accuracy of the encoder's features (labels
  used only by these classifiers; see tfgen.representation);
* wall-clock training time.
"""

import json
import sys
import time

import numpy as np
from absl import flags

from tfgen import cli
from tfgen.atomic_write import refuse_existing, write_atomically

cli.quiet_tensorflow()

import keras  # noqa: E402

flags.DEFINE_string("data_dir", None, "Folder with mnist/ (default $TFGEN_DATA_DIR).")
flags.DEFINE_string("dataset", "mnist", "Dataset (28x28 or 32x32 images).")
flags.DEFINE_list("settings", ["dcgan", "resnet18"], "Network settings to compare.")
flags.DEFINE_integer("steps", 500, "Training steps per run.")
flags.DEFINE_integer("batch_size", 64, "Global batch size.")
flags.DEFINE_integer("nz", 64, "Feature dimension.")
flags.DEFINE_integer("width", 32, "Width of the DCGAN-style encoder and decoder (paper: 64).")
flags.DEFINE_integer("resnet_width", 8, "First-stage width of the ResNet-18 encoder (paper: 64).")
flags.DEFINE_integer("de8_width", 64, "Channels of the De8 decoder's blocks (paper: 256).")
flags.DEFINE_integer("trajectory_every", 10, "Keep every k-th step's ΔR, R(Z ∪ Ẑ) and "
                     "reconstruction MSE in the JSON's trajectories (0: none).")
flags.DEFINE_string("out", None, "Also write the JSON here, with PNG plots of the "
                    "trajectories beside it (bench/figures.py).")
flags.DEFINE_bool("overwrite", False, "Replace an existing --out JSON (and its plots).")
flags.DEFINE_float("lr", 5e-4, "Learning rate of both players (linear decay to 0).")
flags.DEFINE_float("coa_ratio", 1.3, "CoA-ratio of CoA-CTRL (paper: 1.3 on MNIST).")
flags.DEFINE_float("last", 0.25, "Fraction of the final steps for the ΔR statistics.")
flags.DEFINE_integer("num_eval", 2000, "Test images for MSE and representation accuracy.")
flags.DEFINE_integer("num_fit", 5000, "Training images for the representation classifiers.")
flags.DEFINE_integer("subspace_dim", 8, "k of the nearest-subspace classifier.")
flags.DEFINE_integer("seed", 0, "Seed of weights and data order (shared by both methods).")
FLAGS = flags.FLAGS
# resnet18_de8: the paper's unbalanced CIFAR-10 pair (Sec. 4.2, Table 1, Fig. 3).
SETTINGS = {"dcgan": ("ctrl_encoder", "ctrl_decoder"),
            "resnet18": ("resnet18_encoder", "ctrl_decoder"),
            "resnet18_de8": ("resnet18_encoder", "sngan_decoder")}


class PerStep(keras.callbacks.Callback):
    """Keeps each step's tracked values (the running means are reset every step)."""

    def __init__(self):
        super().__init__()
        self.values = {}

    def on_train_batch_end(self, batch, logs=None):
        for k, v in (logs or {}).items():
            self.values.setdefault(k, []).append(float(v))
        self.model.reset_metrics()


def config_for(setting: str, ratio: float):
    from tfgen.config import ctrl_config, set_network

    enc, dec = SETTINGS[setting]
    c = ctrl_config(FLAGS.dataset, coa_ratio=ratio)
    c.seed = FLAGS.seed
    c.data.data_dir = FLAGS.data_dir or ""
    c.data.batch_size, c.net.latent_dim = FLAGS.batch_size, FLAGS.nz
    set_network(c, "encoder", enc,
                width=FLAGS.resnet_width if enc.startswith("resnet") else FLAGS.width)
    set_network(c, "generator", dec,
                width=FLAGS.de8_width if dec == "sngan_decoder" else FLAGS.width)
    c.optim.g_lr = c.optim.d_lr = FLAGS.lr
    c.train.steps = FLAGS.steps
    return c


def features(model, x):
    return np.concatenate([model.encode(x[i:i + 500], False).numpy()
                           for i in range(0, len(x), 500)])


def trajectory(values: dict) -> dict:
    """Every ``--trajectory_every``-th step's ΔR, R(Z ∪ Ẑ) and batch MSE."""
    k = FLAGS.trajectory_every
    if k <= 0:
        return {}
    keys = [n for n in ("delta_r", "rate_union", "recon_mse") if n in values]
    steps = list(range(0, len(values[keys[0]]), k)) if keys else []
    return {"step": [i + 1 for i in steps],
            **{n: [round(values[n][i], 5) for i in steps] for n in keys}}


def run_one(setting, method, ratio, held_out, fit_set):
    from tfgen import data, representation
    from tfgen import builders

    c = config_for(setting, ratio)
    info = data.DatasetInfo(FLAGS.dataset, (32, 32, held_out[0].shape[-1]), 10, 0)
    keras.utils.set_random_seed(FLAGS.seed)
    model, opts = builders.build(c, info)
    model.compile(opts)
    ds = data.make_dataset(FLAGS.dataset, FLAGS.batch_size, data_dir=FLAGS.data_dir,
                           seed=FLAGS.seed, image_size=32)
    (xt, yt), (xf, yf) = held_out, fit_set

    def test_mse():
        recon = np.concatenate([model.generator(model.encode(xt[i:i + 500], False),
                                                training=False).numpy()
                                for i in range(0, len(xt), 500)])
        return float(np.mean((recon - xt) ** 2))

    mse_init = test_mse()
    log = PerStep()
    start = time.time()
    model.fit(ds, steps_per_epoch=FLAGS.steps, verbose=0, callbacks=[log])
    seconds = time.time() - start
    tail = max(1, int(FLAGS.last * FLAGS.steps))
    mse = test_mse()
    stats = {k: np.asarray(v[-tail:]) for k, v in log.values.items()}
    rep = representation.representation_report(features(model, xf), yf, features(model, xt),
                                               yt, k_subspace=FLAGS.subspace_dim)
    finite = all(np.all(np.isfinite(v)) for v in log.values.values())
    return {"method": method, "coa_ratio": ratio, "encoder": c.net.encoder.name,
            "decoder": c.net.generator.name, "encoder_params": model.encoder.count_params(),
            "decoder_params": model.generator.count_params(),
            "test_mse_init": mse_init, "test_mse": mse,
            "test_psnr_db": float(10 * np.log10(4.0 / mse)),
            "train_mse_last": float(stats["recon_mse"].mean()),
            "delta_r_last_mean": float(stats["delta_r"].mean()),
            "delta_r_last_std": float(stats["delta_r"].std()),
            "rate_union_last_mean": float(stats["rate_union"].mean()),
            "rate_union_last_std": float(stats["rate_union"].std()),
            "finite": bool(finite), "nearest_subspace_acc": rep["nearest_subspace"],
            "knn_acc": rep["knn"], "train_seconds": round(seconds, 1),
            "trajectory": trajectory(log.values)}


@cli.one_line_errors
def main(argv):
    del argv
    unknown = set(FLAGS.settings) - set(SETTINGS)
    if unknown:
        raise ValueError(f"unknown settings {sorted(unknown)}; valid: {', '.join(SETTINGS)}")
    if FLAGS.steps <= 0 or not 0 < FLAGS.last <= 1:
        raise ValueError("need --steps > 0 and 0 < --last <= 1")
    refuse_existing(FLAGS.out, FLAGS.overwrite, siblings="_*.png")
    import tensorflow as tf

    from tfgen import data

    def load(split, num):
        x, y = data.load_arrays(FLAGS.dataset, split, FLAGS.data_dir)
        idx = np.random.default_rng(123).permutation(len(x))[:num]
        return tf.image.resize(x[idx], [32, 32]).numpy(), np.asarray(y[idx])

    held_out, fit_set = load("test", FLAGS.num_eval), load("train", FLAGS.num_fit)
    results = []
    for setting in FLAGS.settings:
        for method, ratio in (("ctrl", 0.0), ("coa_ctrl", FLAGS.coa_ratio)):
            r = run_one(setting, method, ratio, held_out, fit_set)
            print(json.dumps({"setting": setting, **r}), file=sys.stderr, flush=True)
            results.append({"setting": setting, **r})
    out = {"benchmark": "ctrl_quality", "dataset": f"{FLAGS.dataset} (32x32)",
           "steps": FLAGS.steps, "batch_size": FLAGS.batch_size, "nz": FLAGS.nz,
           "lr": FLAGS.lr, "coa_ratio": FLAGS.coa_ratio, "seed": FLAGS.seed, "device": "CPU" if not
           tf.config.list_physical_devices("GPU") else "GPU", "results": results,
           "command": " ".join([".venv/bin/python bench/ctrl_quality.py"] + sys.argv[1:])}
    print(json.dumps(out, indent=1))
    if FLAGS.out:
        import figures  # bench/figures.py, beside this script

        def dump(tmp):
            with open(tmp, "w") as f:
                json.dump(out, f, indent=1)

        write_atomically(FLAGS.out, dump)
        for path in figures.write(FLAGS.out, out, overwrite=True):  # ΔR, R(Z ∪ Ẑ), MSE against steps
            print(path, file=sys.stderr)


if __name__ == "__main__":
    cli.run(main)
