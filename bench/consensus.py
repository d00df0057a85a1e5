"""Simultaneous updates with and without consensus on ring8 (Mescheder et al. 2017).

    .venv/bin/python bench/consensus.py --steps=3000 --lr=1e-3 --seeds=0,1,2

The paper's setup at small scale: 8 Gaussians on a circle (``ring8``:
radius 1, std 0.01), generator and discriminator of 4 fully connected
layers of 16 units, 16-dimensional latent, batch 512, RMSProp, γ = 10, the
non-saturating loss; both arms share seeds (initial weights, data order,
latents) and budget. Every ``--every`` steps it records the mean losses of
the chunk and the samples' mode statistics (2,500 samples of latents seed
1: modes covered, high-quality fraction within 3 std, the samples' mean).
Oscillation is read from those trajectories: how far the samples' mean
moves between records, and how often the set of covered modes changes.
Prints one JSON object.
"""

import json
import sys
import time

import numpy as np
from absl import flags

from tfgen import cli

import figures

flags.DEFINE_integer("steps", 3000, "Training steps per run.")
flags.DEFINE_integer("every", 250, "Steps between trajectory records.")
flags.DEFINE_float("lr", 1e-3, "RMSProp learning rate of both players (paper: 1e-4).")
flags.DEFINE_float("gamma", 10.0, "Consensus weight of the consensus arm.")
flags.DEFINE_list("seeds", ["0", "1", "2"], "Seeds.")
flags.DEFINE_string("loss", "non_saturating", "Adversarial loss.")
flags.DEFINE_string("out", None, "Also write the JSON (and its plots beside it) here.")
flags.DEFINE_bool("overwrite", False, "Replace an existing --out file and its plots.")
FLAGS = flags.FLAGS


def covered_set(x, centers, std):
    d = ((x[:, None] - centers[None]) ** 2).sum(-1)
    good = d.min(1) <= (3 * std) ** 2
    return frozenset(np.unique(d.argmin(1)[good]).tolist())


def train_ring(gamma, seed, steps, every, lr, loss="non_saturating"):
    """One run; returns the final stats and the trajectory."""
    import keras

    from tfgen import data
    from tfgen.metrics import mixture_mode_stats
    from tfgen.models.consensus import SimultaneousModel
    from tfgen.networks.mlp import mlp_discriminator, mlp_generator

    keras.utils.set_random_seed(seed)
    m = SimultaneousModel(mlp_generator(16, (2,), hidden=(16,) * 4),
                          mlp_discriminator((2,), hidden=(16,) * 4), 16,
                          seed=seed, loss=loss, consensus_weight=gamma)
    m.compile({p: keras.optimizers.RMSprop(lr) for p in ("generator", "discriminator")})
    spec = data.mixture_spec("ring8")
    ds = data.make_dataset("ring8", 512, seed=seed)
    traj, t0 = [], time.time()
    for k in range(steps // every):
        logs = m.fit(ds, steps_per_epoch=every, epochs=1, verbose=0).history
        for t in m.metrics:
            t.reset_state()
        x = m.generate(2500, seed=1).numpy()
        stats = mixture_mode_stats(x, spec.centers, spec.std)
        traj.append(dict(step=(k + 1) * every, d_loss=logs["d_loss"][-1],
                         g_loss=logs["g_loss"][-1], consensus=logs["consensus"][-1],
                         modes=stats["modes_covered"],
                         hq=stats["high_quality_fraction"],
                         mean=x.mean(0).round(4).tolist(),
                         covered=sorted(covered_set(x, spec.centers, spec.std))))
    seconds = time.time() - t0
    final = traj[-1]
    means = np.array([r["mean"] for r in traj])
    changes = sum(r["covered"] != s["covered"] for r, s in zip(traj, traj[1:]))
    return dict(seed=seed, gamma=gamma, modes=final["modes"], hq=final["hq"],
                mean_shift=float(np.linalg.norm(np.diff(means, axis=0), axis=1).mean())
                if len(means) > 1 else 0.0,
                covered_set_changes=int(changes), seconds=round(seconds, 1),
                trajectory=traj)


def main(argv):
    del argv
    from tfgen.atomic_write import refuse_existing, write_text

    refuse_existing(FLAGS.out, FLAGS.overwrite, siblings="_*.png")
    cli.quiet_tensorflow()
    runs = [train_ring(g, int(s), FLAGS.steps, FLAGS.every, FLAGS.lr, FLAGS.loss)
            for s in FLAGS.seeds for g in (0.0, FLAGS.gamma)]
    summary = {}
    for g in (0.0, FLAGS.gamma):
        rs = [r for r in runs if r["gamma"] == g]
        summary["consensus" if g else "simultaneous"] = dict(
            modes=[r["modes"] for r in rs], hq=[round(r["hq"], 3) for r in rs],
            mean_shift=[round(r["mean_shift"], 4) for r in rs],
            covered_set_changes=[r["covered_set_changes"] for r in rs],
            seconds=[r["seconds"] for r in rs])
    out = dict(command="python " + " ".join(sys.argv), steps=FLAGS.steps, lr=FLAGS.lr,
               gamma=FLAGS.gamma, loss=FLAGS.loss, summary=summary, runs=runs)
    text = json.dumps(out, indent=1)
    print(text)
    if FLAGS.out:
        write_text(FLAGS.out, text)
        figures.write(FLAGS.out, out, overwrite=True)  # modes, ½‖v‖² and D loss against steps


if __name__ == "__main__":
    cli.run(cli.one_line_errors(main))
