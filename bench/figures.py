"""PNG plots of a benchmark's trajectories, written next to its JSON.

The benchmark scripts call :func:`write` after writing their JSON; the same
plots can be redrawn from any stored result:

    .venv/bin/python bench/figures.py [--overwrite] bench/results/consensus_ring8.json \
        bench/results/seqgan_stream_seed0.json \
        bench/results/quality_dcgan_mnist_piece_curve_best.json

Each JSON ``NAME.json`` gives ``NAME_<figure>.png`` beside it. The kind of
benchmark is read from the JSON's keys; a JSON without trajectories (a
single end-of-training number) has no figure and is reported as such. An
existing PNG is replaced only with ``--overwrite`` (the benchmark scripts
check before they train, with ``tfgen.atomic_write.refuse_existing``).
Drawn with ``tfgen.plots`` (Pillow), so no plotting library is needed.
"""

from __future__ import annotations

import json
import math
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from tfgen import plots  # noqa: E402


def consensus(result: dict) -> dict:
    """bench/consensus.py: modes covered and log10 ½‖v‖² against steps, per arm and seed."""
    modes, norm, d_loss = {}, {}, {}
    for run in result["runs"]:
        arm = "consensus" if run["gamma"] else "simultaneous"
        name = f"{arm} s{run['seed']}"
        steps = [r["step"] for r in run["trajectory"]]
        modes[name] = (steps, [r["modes"] for r in run["trajectory"]])
        norm[name] = (steps, [math.log10(max(r["consensus"], 1e-8))
                              for r in run["trajectory"]])
        d_loss[name] = (steps, [r["d_loss"] for r in run["trajectory"]])
    return {"modes": (modes, "ring8: modes covered (of 8)", "step"),
            "grad_norm": (norm, "ring8: log10 of half the squared norm of both players' "
                          "gradients", "step"),
            "d_loss": (d_loss, "ring8: discriminator loss (log 4 = 1.386 at the "
                       "equilibrium)", "step")}


def seqgan(result: dict) -> dict:
    """bench/seqgan.py: oracle NLL against pre-training steps and adversarial rounds."""
    out = {}
    for seed, run in (result.get("runs") or {}).items():
        rounds = {arm: tuple(zip(*run[arm])) for arm in ("seqgan", "mle", "constant")
                  if run.get(arm)}
        if rounds:
            out[f"rounds_s{seed}"] = (rounds, f"oracle NLL from the pre-trained "
                                      f"generator on, seed {seed}", "adversarial round")
        if run.get("pretrain"):
            out[f"pretrain_s{seed}"] = (
                {"MLE pre-training": tuple(zip(*run["pretrain"]))},
                f"oracle NLL during MLE pre-training, seed {seed}", "step")
    return out


def ctrl(result: dict) -> dict:
    """bench/ctrl_quality.py: ΔR, R(Z ∪ Ẑ) and batch reconstruction MSE against
    steps, one series per setting and method (the CoA-CTRL paper's Fig. 3)."""
    # ASCII titles: the plots' font has no Δ, ∪ or Ẑ glyphs.
    titles = {"delta_r": "Delta R(Z, Z_hat) per step",
              "rate_union": "R(Z u Z_hat) per step",
              "recon_mse": "training-batch reconstruction MSE of g(f(x))"}
    out = {}
    for key, title in titles.items():
        series = {f"{r['setting']} {r['method']}": (r["trajectory"]["step"],
                                                     r["trajectory"][key])
                  for r in result["results"] if key in r.get("trajectory", {})}
        if series:
            out[key] = (series, f"{result.get('dataset', '')}: {title}", "step")
    return out


def _metric(value):
    """A metric's number: the mean of a {mean, std} entry, else the value itself."""
    return value["mean"] if isinstance(value, dict) and "mean" in value else value


def _plotted_with(result: dict) -> list:
    """The JSONs named in ``result["plot_with"]`` (paths from the working folder,
    else from the repository root)."""
    others = []
    for path in result.get("plot_with") or []:
        if not os.path.isabs(path) and not os.path.exists(path):
            path = os.path.join(ROOT, path)
        with open(path) as f:
            others.append(json.load(f))
    return others


def quality_curve(result: dict, others: list | None = None) -> dict:
    """bench/quality_curve.py: FCD (else the first metric) against steps, with the
    curves of ``others`` (default: the JSONs its ``plot_with`` names) on the same axes.

    Against steps, not minutes: on a shared machine minutes measure the other jobs.
    """
    results = [result] + (_plotted_with(result) if others is None else list(others))
    keys = result["metric_keys"]
    key = "frechet_classifier_distance" if "frechet_classifier_distance" in keys else keys[0]
    series = {}
    for r in results:
        name = r["label"] if r["label"] not in series else f"{r['label']} ({len(series)})"
        series[name] = ([p["step"] for p in r["trajectory"]],
                        [_metric(p["metrics"][key]) for p in r["trajectory"]])
    out = {key: (series, f"{result['dataset']}: {key} against training steps", "step")}
    # Against in-loop minutes too, where every point records them (the
    # issue's "against wall-clock minutes"; on a shared CPU they include
    # the other jobs' load, which the JSON's steps_per_second shows). A curve
    # continued from a bench/quality.py JSON has no minutes for its first
    # point (None): the minutes before it are unknown, so no minutes plot.
    timed = [r for r in results
             if all(isinstance(p.get("minutes"), (int, float)) for p in r["trajectory"])]
    if timed and len(timed) == len(results):
        by_minutes = {name: ([p["minutes"] for p in r["trajectory"]], values)
                      for (name, (_, values)), r in zip(series.items(), timed)}
        out[f"{key}_minutes"] = (by_minutes, f"{result['dataset']}: {key} against "
                                 "in-loop training minutes", "minutes in the loop")
    return out


def mode_coverage(result: dict) -> dict:
    """bench/mode_coverage.py with --every: modes covered and the high-quality
    fraction against steps, the mean over each config's seeds (one colour per
    config; the seeds' own values are in the JSON)."""
    out = {}
    for key, title in (("modes_covered", "modes covered"),
                       ("high_quality_fraction", "high-quality fraction (within 3 std)")):
        per_config = {}
        for r in result["runs"]:
            if key in r.get("trajectory", {}):
                per_config.setdefault(r["config"], []).append(r["trajectory"])
        series = {}
        for config, runs in per_config.items():
            steps = runs[0]["step"]
            if any(t["step"] != steps for t in runs):
                raise ValueError(f"{config}'s seeds were measured at different steps")
            series[f"{config} (mean of {len(runs)} seeds)"] = (
                steps, [sum(t[key][i] for t in runs) / len(runs) for i in range(len(steps))])
        if series:
            out[key] = (series, f"{result.get('dataset', '')}: {title} against steps", "step")
    return out


def kind(result: dict):
    """The figure function for a benchmark's JSON, or None when it has no trajectory."""
    runs = result.get("runs")
    if isinstance(runs, list) and runs and "trajectory" in runs[0] and "gamma" in runs[0]:
        return consensus
    if "oracle_entropy" in result and isinstance(runs, dict):
        return seqgan
    if result.get("benchmark") == "ctrl_quality":
        return ctrl
    if result.get("benchmark") == "quality_curve":
        return quality_curve
    if result.get("benchmark") == "mode_coverage":
        return mode_coverage
    return None


def write(json_path: str, result: dict | None = None, overwrite: bool = False) -> list:
    """Writes the plots of ``json_path`` (or of ``result``) beside it; returns their paths.

    Without ``overwrite`` it refuses, before drawing any, when one of them exists.
    """
    if result is None:
        with open(json_path) as f:
            result = json.load(f)
    draw = kind(result)
    if draw is None:
        return []
    stem = os.path.splitext(json_path)[0]
    figures = {f"{stem}_{name}.png": spec for name, spec in draw(result).items()}
    taken = [path for path in figures if os.path.lexists(path)]
    if taken and not overwrite:
        raise FileExistsError(f"{taken[0]} exists; pass --overwrite to replace it")
    return [plots.plot(series, path, title=title, xlabel=xlabel)
            for path, (series, title, xlabel) in figures.items()]


def main(argv) -> int:
    if not argv:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    overwrite = "--overwrite" in argv
    status = 0
    for path in [a for a in argv if a != "--overwrite"]:
        try:
            written = write(path, overwrite=overwrite)
        except (OSError, ValueError, KeyError) as err:
            print(f"error: {path}: {err}", file=sys.stderr)
            status = 1
            continue
        print("\n".join(written) if written else f"{path}: no trajectory to plot")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
