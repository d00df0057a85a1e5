"""bench/figures.py: the benchmarks' trajectories as PNGs beside their JSON."""

import json
import os

import numpy as np
import pytest
from PIL import Image

from tfgen import plots, testing


def _figures():
    return testing.load_bench("figures")


def _run(gamma, modes):
    return {"seed": 0, "gamma": gamma, "trajectory": [
        {"step": 100 * (k + 1), "modes": m, "consensus": 10.0 ** -k, "d_loss": 1.0}
        for k, m in enumerate(modes)]}


def _rows_of(img, colour, skip):
    hit = (np.abs(img - colour).sum(-1) < 100)[skip:].sum(1)
    return skip + int(hit.argmax()), int(hit.max())


def test_consensus_json_gives_its_three_plots_with_lines_where_the_values_are(tmp_path):
    path = str(tmp_path / "consensus.json")
    result = {"runs": [_run(0.0, [4, 4, 4, 4]), _run(10.0, [8, 8, 8, 8])]}
    with open(path, "w") as f:
        json.dump(result, f)
    written = _figures().write(path)
    assert [os.path.basename(p) for p in written] == [
        "consensus_modes.png", "consensus_grad_norm.png", "consensus_d_loss.png"]
    img = np.asarray(Image.open(written[0]).convert("RGB")).astype(int)
    # Below the title and the legend: the simultaneous run (4 modes, first colour)
    # is a horizontal line lower in the image than the consensus run (8 modes).
    simultaneous, n1 = _rows_of(img, plots.PALETTE[0], 60)
    consensus, n2 = _rows_of(img, plots.PALETTE[1], 60)
    assert n1 > 300 and n2 > 300
    assert consensus < simultaneous


def test_a_json_without_trajectories_has_no_figure(tmp_path):
    path = str(tmp_path / "fid.json")
    with open(path, "w") as f:
        json.dump({"benchmark": "quality", "metrics": {"fid": 45.3}}, f)
    figures = _figures()
    assert figures.write(path) == []
    assert figures.main([path]) == 0
    assert not [p for p in os.listdir(tmp_path) if p.endswith(".png")]


def test_a_long_legend_wraps_below_the_title_instead_of_covering_it(tmp_path):
    series = {f"a long series name {i}": ([0, 1], [i, i]) for i in range(6)}
    out = plots.plot(series, str(tmp_path / "p.png"), title="T" * 40, width=400,
                     height=300)
    img = np.asarray(Image.open(out).convert("RGB")).astype(int)
    coloured = np.zeros(img.shape[:2], bool)
    for colour in plots.PALETTE[:6]:
        coloured |= np.abs(img - colour).sum(-1) < 60
    title_rows = np.nonzero((img.sum(-1) < 300).any(1))[0]
    legend_rows = np.nonzero(coloured[:, :].any(1))[0]
    # The title's ink starts at the top; the first legend swatch lies below it.
    assert title_rows[0] < 15 and legend_rows[0] > 20


def test_ctrl_quality_json_plots_each_quantity_per_method(tmp_path):
    path = str(tmp_path / "ctrl.json")
    traj = lambda level: {"step": [1, 11, 21], "delta_r": [level] * 3,  # noqa: E731
                          "rate_union": [level] * 3, "recon_mse": [level] * 3}
    result = {"benchmark": "ctrl_quality", "dataset": "cifar10", "results": [
        {"setting": "resnet18_de8", "method": "ctrl", "trajectory": traj(1.0)},
        {"setting": "resnet18_de8", "method": "coa_ctrl", "trajectory": traj(3.0)}]}
    with open(path, "w") as f:
        json.dump(result, f)
    written = _figures().write(path)
    assert [os.path.basename(p) for p in written] == [
        "ctrl_delta_r.png", "ctrl_rate_union.png", "ctrl_recon_mse.png"]
    img = np.asarray(Image.open(written[0]).convert("RGB")).astype(int)
    ctrl_row, n1 = _rows_of(img, plots.PALETTE[0], 60)
    coa_row, n2 = _rows_of(img, plots.PALETTE[1], 60)
    assert n1 > 300 and n2 > 300
    assert coa_row < ctrl_row  # the higher value is drawn higher up


def test_figures_refuse_an_existing_png_before_drawing_any(tmp_path):
    path = str(tmp_path / "c.json")
    runs = [{"seed": 0, "gamma": g, "trajectory": [
        {"step": 1, "modes": 8, "consensus": 1.0, "d_loss": 1.0}]} for g in (0.0, 1.0)]
    with open(path, "w") as f:
        json.dump({"runs": runs}, f)
    (tmp_path / "c_grad_norm.png").write_bytes(b"users")
    figures = _figures()
    with pytest.raises(FileExistsError, match="c_grad_norm.png exists"):
        figures.write(path)
    assert not (tmp_path / "c_modes.png").exists()
    assert (tmp_path / "c_grad_norm.png").read_bytes() == b"users"
    assert len(figures.write(path, overwrite=True)) == 3


def _curve(label, fcd, plot_with=()):
    return {"benchmark": "quality_curve", "label": label, "dataset": "mnist",
            "metric_keys": ["classifier_score", "frechet_classifier_distance"],
            "plot_with": list(plot_with), "trajectory": [
                {"step": s, "metrics": {"frechet_classifier_distance": v,
                                        "classifier_score": {"mean": 6.0, "std": 0.1}}}
                for s, v in zip((2000, 3000, 4000), fcd)]}


def test_quality_curve_json_redraws_with_the_curves_it_was_drawn_with(tmp_path):
    base, best = str(tmp_path / "base.json"), str(tmp_path / "best.json")
    with open(base, "w") as f:
        json.dump(_curve("base", [700, 700, 700]), f)
    with open(best, "w") as f:
        json.dump(_curve("best", [400, 400, 400], plot_with=[base]), f)
    figures = _figures()
    assert figures.main([best]) == 0
    out = str(tmp_path / "best_frechet_classifier_distance.png")
    img = np.asarray(Image.open(out).convert("RGB")).astype(int)
    best_row, n1 = _rows_of(img, plots.PALETTE[0], 60)
    base_row, n2 = _rows_of(img, plots.PALETTE[1], 60)
    assert n1 > 300 and n2 > 300
    assert best_row > base_row  # the lower FCD is drawn lower down
    assert figures.main([best]) == 1  # the PNG exists: refused without --overwrite
    assert figures.main(["--overwrite", best]) == 0


def _cols_of(img, colour, skip):
    """First and last column of a horizontal line: on its own row (the legend's
    swatch, above it, is not counted)."""
    row, _ = _rows_of(img, colour, skip)
    cols = np.flatnonzero(np.abs(img[row] - colour).sum(-1) < 100)
    return int(cols.min()), int(cols.max())


def test_quality_curve_with_minutes_also_plots_against_minutes(tmp_path):
    fast, slow = _curve("fast", [400] * 3), _curve("slow", [700] * 3)
    for curve, per_point in ((fast, 1.0), (slow, 2.0)):  # slow: twice the minutes a step
        for k, point in enumerate(curve["trajectory"]):
            point["minutes"] = per_point * (k + 1)
    slow_path, fast_path = str(tmp_path / "slow.json"), str(tmp_path / "fast.json")
    with open(slow_path, "w") as f:
        json.dump(slow, f)
    fast["plot_with"] = [slow_path]
    with open(fast_path, "w") as f:
        json.dump(fast, f)
    written = _figures().write(fast_path)
    assert [os.path.basename(p) for p in written] == [
        "fast_frechet_classifier_distance.png", "fast_frechet_classifier_distance_minutes.png"]
    by_steps = np.asarray(Image.open(written[0]).convert("RGB")).astype(int)
    by_minutes = np.asarray(Image.open(written[1]).convert("RGB")).astype(int)
    # Against steps both lines span the same columns; against minutes the fast
    # run starts and ends earlier.
    assert _cols_of(by_steps, plots.PALETTE[0], 60) == _cols_of(by_steps, plots.PALETTE[1], 60)
    f0, f1 = _cols_of(by_minutes, plots.PALETTE[0], 60)
    s0, s1 = _cols_of(by_minutes, plots.PALETTE[1], 60)
    assert f0 < s0 and f1 < s1 - 100  # fast: minutes 1 to 3; slow: 2 to 6


def test_quality_curve_without_minutes_has_no_minutes_plot(tmp_path):
    path = str(tmp_path / "c.json")
    with open(path, "w") as f:
        json.dump(_curve("c", [400] * 3), f)
    assert [os.path.basename(p) for p in _figures().write(path)] == [
        "c_frechet_classifier_distance.png"]


def test_a_curve_continued_from_a_quality_json_has_no_minutes_plot(tmp_path):
    # bench/quality_curve.py --start_json=<bench/quality.py JSON>: the start
    # point's minutes are unknown (None), the later points' are measured.
    curve = _curve("c", [500, 400, 300])
    for k, point in enumerate(curve["trajectory"]):
        point["minutes"] = None if k == 0 else 5.0 * k
    path = str(tmp_path / "c.json")
    with open(path, "w") as f:
        json.dump(curve, f)
    assert [os.path.basename(p) for p in _figures().write(path)] == [
        "c_frechet_classifier_distance.png"]


def test_mode_coverage_json_plots_modes_and_quality_against_steps(tmp_path):
    def run(config, seed, modes):
        return {"config": config, "seed": seed, "trajectory": {
            "step": [100, 200, 300], "modes_covered": [modes] * 3,
            "high_quality_fraction": [0.5] * 3, "kl_to_uniform": [0.1] * 3}}
    path = str(tmp_path / "modes.json")
    with open(path, "w") as f:  # a: 3 modes on both seeds; b: 7 and 9 (mean 8); c: 7
        json.dump({"benchmark": "mode_coverage", "dataset": "ring8",
                   "runs": [run("a", 0, 3), run("a", 1, 3), run("b", 0, 7),
                            run("b", 1, 9), run("c", 0, 7)]}, f)
    written = _figures().write(path)
    assert [os.path.basename(p) for p in written] == [
        "modes_modes_covered.png", "modes_high_quality_fraction.png"]
    img = np.asarray(Image.open(written[0]).convert("RGB")).astype(int)
    three, n1 = _rows_of(img, plots.PALETTE[0], 60)
    eight, n2 = _rows_of(img, plots.PALETTE[1], 60)
    assert n1 > 300 and n2 > 300 and eight < three  # 8 modes drawn higher up
    seven, n3 = _rows_of(img, plots.PALETTE[2], 60)
    # b's line is its seeds' mean, 8: one unit above c's 7, as 3 to 7 is four.
    assert n3 > 300 and eight < seven < three
    assert abs((three - seven) - 4 * (seven - eight)) <= 3


def test_mode_coverage_reads_its_trajectory_back_from_tensorboard(tmp_path):
    import tensorflow as tf

    writer = tf.summary.create_file_writer(str(tmp_path / "tb"))
    with writer.as_default():
        for step, modes in ((250, 5), (500, 8)):
            tf.summary.scalar("eval/modes/modes_covered", modes, step=step)
            tf.summary.scalar("eval/modes/high_quality_fraction", modes / 10, step=step)
            tf.summary.scalar("eval/modes/kl_to_uniform", 1.0 / modes, step=step)
            tf.summary.scalar("d_loss", 1.0, step=step)
    writer.close()
    got = testing.load_bench("mode_coverage").trajectory(str(tmp_path))
    assert got == {"step": [250, 500], "modes_covered": [5.0, 8.0],
                   "high_quality_fraction": [0.5, 0.8], "kl_to_uniform": [0.2, 0.125]}
