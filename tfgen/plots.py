"""A run's TensorBoard scalars as a PNG line plot, drawn with Pillow.

No plotting library is needed (matplotlib is not a dependency): the plot is
a few lines, axes with rounded ticks and a legend, drawn at twice the size
and scaled down so the lines are smooth.

    python -m tfgen.plots --logdir=runs/demo/tb --out=losses.png --tags=d_loss,g_loss
"""

from __future__ import annotations

import argparse
import math
import os
import sys

import numpy as np
from PIL import Image, ImageDraw, ImageFont

# Distinguishable on white and for the common colour-vision deficiencies.
PALETTE = [(0, 114, 178), (213, 94, 0), (0, 158, 115), (204, 121, 167),
           (86, 180, 233), (230, 159, 0), (0, 0, 0)]


def read_scalars(logdir: str, tags=None) -> dict:
    """``{tag: (steps, values)}`` of the scalar summaries under ``logdir``.

    Reads every event file there (TF2 ``tf.summary.scalar`` stores tensors with
    the scalars plugin; TF1 scalars are read too). When a step was written more
    than once (a run resumed from an earlier checkpoint), the last write wins.
    ``tags``: the tags to keep, in that order (all scalar tags when None); a
    requested tag that is absent is an error naming the ones present.
    """
    from tensorboard.backend.event_processing.event_accumulator import (
        EventAccumulator)
    import tensorflow as tf

    if not os.path.isdir(logdir):
        raise FileNotFoundError(f"no TensorBoard folder at {logdir}")
    acc = EventAccumulator(logdir, size_guidance={"tensors": 0, "scalars": 0})
    acc.Reload()
    found = {}
    for tag in acc.Tags().get("tensors", []):
        if acc.SummaryMetadata(tag).plugin_data.plugin_name != "scalars":
            continue
        found[tag] = [(e.step, float(tf.make_ndarray(e.tensor_proto)))
                      for e in acc.Tensors(tag)]
    for tag in acc.Tags().get("scalars", []):
        found.setdefault(tag, [(e.step, float(e.value)) for e in acc.Scalars(tag)])
    if tags:
        missing = [t for t in tags if t not in found]
        if missing:
            raise KeyError(f"{logdir} has no scalar {', '.join(missing)}; it has: "
                           f"{', '.join(sorted(found)) or 'none'}")
        found = {t: found[t] for t in tags}
    out = {}
    for tag, points in found.items():
        by_step = dict(points)  # in file order: the last write of a step wins
        steps = np.array(sorted(by_step), dtype=np.int64)
        out[tag] = (steps, np.array([by_step[s] for s in steps], dtype=np.float64))
    return out


def nice_ticks(lo: float, hi: float, n: int = 5) -> list:
    """About ``n`` round tick values (1, 2 or 5 times a power of ten) covering lo..hi."""
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return []
    if hi <= lo:
        hi = lo + (abs(lo) or 1.0)
    raw = (hi - lo) / max(n - 1, 1)
    power = 10 ** math.floor(math.log10(raw))
    # The round spacing nearest the raw one (by ratio).
    step = min((m * power for m in (1, 2, 5, 10)), key=lambda v: abs(math.log(v / raw)))
    k, last = math.ceil(lo / step - 1e-9), math.floor(hi / step + 1e-9)
    # Multiples of the spacing, rounded (no 0.30000000000000004).
    return [float(f"{i * step:.12g}") + 0.0 for i in range(k, last + 1)]


def tick_labels(ticks: list) -> list:
    """Labels with as many decimals as the tick spacing needs (0.8, 1.0, 1.2)."""
    if len(ticks) < 2:
        return [f"{t:g}" for t in ticks]
    spacing = abs(ticks[1] - ticks[0])
    decimals = max(0, -math.floor(math.log10(spacing) + 1e-9))
    if abs(spacing / 10 ** -decimals - round(spacing / 10 ** -decimals)) > 1e-6:
        decimals += 1  # e.g. 0.25
    if decimals == 0 and max(abs(t) for t in ticks) >= 10_000:
        return [f"{t:,.0f}" for t in ticks]
    return [f"{t:.{decimals}f}" for t in ticks]


def _font(size: int):
    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # Pillow < 10.1: a fixed-size bitmap font
        return ImageFont.load_default()


def plot(series: dict, out: str, title: str = "", width: int = 720,
         height: int = 360, xlabel: str = "step") -> str:
    """Draws ``{name: (steps, values)}`` as lines and writes a PNG to ``out``."""
    series = {k: (np.asarray(x), np.asarray(y, dtype=np.float64))
              for k, (x, y) in series.items()}
    series = {k: (x[np.isfinite(y)], y[np.isfinite(y)]) for k, (x, y) in series.items()}
    series = {k: v for k, v in series.items() if len(v[0])}
    if not series:
        raise ValueError("nothing to plot: no finite values")
    s = 2  # drawn at twice the size, then scaled down (smooth lines)
    W, H = width * s, height * s
    img = Image.new("RGB", (W, H), "white")
    d = ImageDraw.Draw(img)
    font, small = _font(13 * s), _font(11 * s)

    xs = np.concatenate([x for x, _ in series.values()])
    ys = np.concatenate([y for _, y in series.values()])
    x0, x1 = 0.0, float(xs.max()) or 1.0
    pad = 0.05 * ((ys.max() - ys.min()) or abs(ys.max()) or 1.0)
    y0, y1 = float(ys.min() - pad), float(ys.max() + pad)
    yt = nice_ticks(y0, y1, 6)
    xt = [t for t in nice_ticks(x0, x1, 6) if t <= x1]
    ylabels, xlabels = tick_labels(yt), tick_labels(xt)

    left = max(d.textlength(t, font=small) for t in ylabels) + 14 * s
    right, bottom = W - 14 * s, H - 40 * s
    # Above the axes: the title, then the legend in as many right-aligned rows
    # as its entries need (it never hides a line or the title).
    rows, row, used = [], [], 0.0
    for i, name in enumerate(series):
        need = d.textlength(name, font=small) + 36 * s
        if row and used + need > right - left:
            rows.append(row)
            row, used = [], 0.0
        row.append(i)
        used += need
    rows.append(row)
    title_h = 22 * s if title else 0
    top = title_h + 18 * s * len(rows) + 8 * s

    def px(x):
        return left + (x - x0) / (x1 - x0) * (right - left)

    def py(y):
        return bottom - (y - y0) / (y1 - y0) * (bottom - top)

    grid, axis, ink = (232, 232, 232), (120, 120, 120), (40, 40, 40)
    for t, text in zip(yt, ylabels):
        d.line([(left, py(t)), (right, py(t))], fill=grid, width=s)
        d.text((left - 6 * s, py(t)), text, fill=ink, font=small, anchor="rm")
    for t, text in zip(xt, xlabels):
        d.line([(px(t), top), (px(t), bottom)], fill=grid, width=s)
        d.text((px(t), bottom + 5 * s), text, fill=ink, font=small, anchor="mt")
    d.rectangle([left, top, right, bottom], outline=axis, width=s)
    d.text(((left + right) / 2, H - 6 * s), xlabel, fill=ink, font=font, anchor="mb")
    if title:
        d.text((left, 4 * s), title, fill=ink, font=font, anchor="lt")

    for i, (name, (x, y)) in enumerate(series.items()):
        colour = PALETTE[i % len(PALETTE)]
        points = [(px(a), py(b)) for a, b in zip(x, y)]
        if len(points) == 1:
            (a, b), r = points[0], 3 * s
            d.ellipse([a - r, b - r, a + r, b + r], fill=colour)
        else:
            d.line(points, fill=colour, width=2 * s, joint="curve")

    names = list(series)
    for r, row in enumerate(rows):
        x, cy = right, title_h + 18 * s * r + 10 * s
        for i in reversed(row):
            colour = PALETTE[i % len(PALETTE)]
            x -= d.textlength(names[i], font=small)
            d.text((x, cy), names[i], fill=ink, font=small, anchor="lm")
            d.line([(x - 22 * s, cy), (x - 5 * s, cy)], fill=colour, width=3 * s)
            x -= 36 * s

    img = img.resize((width, height), Image.LANCZOS)
    folder = os.path.dirname(os.path.abspath(out))
    os.makedirs(folder, exist_ok=True)
    img.save(out, optimize=True)
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tfgen.plots",
        description="Plot a run's TensorBoard scalars to a PNG.")
    parser.add_argument("--logdir", required=True, help="the run's tb/ folder")
    parser.add_argument("--out", required=True, help="the PNG to write")
    parser.add_argument("--tags", default="",
                        help="comma-separated scalar tags (default: all)")
    parser.add_argument("--title", default="")
    parser.add_argument("--width", type=int, default=720)
    parser.add_argument("--height", type=int, default=360)
    args = parser.parse_args(argv)
    tags = [t for t in args.tags.split(",") if t] or None
    try:
        series = read_scalars(args.logdir, tags)
        plot(series, args.out, title=args.title, width=args.width, height=args.height)
    except (FileNotFoundError, KeyError, ValueError) as err:
        message = err.args[0] if isinstance(err, KeyError) else str(err)
        print(f"error: {message}", file=sys.stderr)
        return 1
    print(f"Wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
