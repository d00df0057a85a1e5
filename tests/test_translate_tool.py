"""tools/translate.py: translations and a before/after grid, one-line errors.

The cases run through ``tfgen.testing.run_tool_cases``: one subprocess
imports the tool once and calls its ``main`` per argument list.
"""

import os

import numpy as np
import pytest
from PIL import Image

from tfgen import export
from tfgen.export_parts import TranslatePart
from tfgen.networks.dcgan import dcgan_generator
from tfgen.networks.unet import unet_generator
from tfgen.testing import run_tool_cases

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def assert_one_line_error(result, *fragments):
    err = result["stderr"]
    assert result["code"] not in (0, None, "traceback"), err[-2000:]
    lines = [l for l in err.strip().splitlines() if l.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    for fragment in fragments:
        assert fragment in lines[0], lines[0]


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    root = tmp_path_factory.mktemp("translate")
    g = unet_generator((8, 8, 1), (8, 8, 3), width=4, depth=2)
    one_way = export.save({"translate_a_to_b": TranslatePart(g, "a_to_b")},
                          str(root / "one_way"))
    sampler = export.export_generator(dcgan_generator(4, (8, 8, 1), width=4),
                                      str(root / "sampler"), 4)
    x = np.random.default_rng(0).integers(0, 256, (5, 8, 8)).astype(np.uint8)
    folder = root / "in"
    folder.mkdir()
    for i, im in enumerate(x):
        Image.fromarray(im).save(folder / f"img{i}.png")
    npz = str(root / "in.npz")
    np.savez(npz, a=x[..., None])
    rgb = str(root / "rgb.npz")
    np.savez(rgb, images=np.zeros((2, 8, 8, 3), np.uint8))
    return dict(root=root, g=g, one_way=one_way, sampler=sampler, x=x,
                folder=str(folder), npz=npz, rgb=rgb)


def test_translates_folders_and_npz_files(setup):
    root, want = setup["root"], setup["g"](setup["x"][..., None] / 127.5 - 1.0,
                                           training=False).numpy()
    out_png, out_npz = str(root / "out_png"), str(root / "out_npz")
    kept = root / "out_npz_again"
    kept.mkdir()
    (kept / "mine.txt").write_text("keep")
    m = f"--model={setup['one_way']}"
    results = run_tool_cases("tools/translate.py", [
        [m, f"--input={setup['folder']}", f"--out={out_png}"],
        [m, "--direction=a2b", f"--input={setup['npz']}", f"--out={out_npz}", "--grid=3"],
        [m, f"--input={setup['npz']}", f"--out={kept}", "--overwrite"],
    ], ROOT)
    for r in results:
        assert r["code"] in (0, None), r["stderr"][-2000:]
    assert sorted(os.listdir(out_png)) == ["grid.png"] + [f"img{i}.png" for i in range(5)]
    png = np.asarray(Image.open(os.path.join(out_png, "img3.png")))
    assert png.shape == (8, 8, 3)
    np.testing.assert_allclose(png / 127.5 - 1.0, want[3], atol=1.5 / 127.5)
    np.testing.assert_allclose(np.load(os.path.join(out_npz, "translated.npz"))["images"],
                               want, atol=1e-5)
    grid = np.asarray(Image.open(os.path.join(out_npz, "grid.png")))
    assert grid.shape == (2 * 9 + 1, 3 * 9 + 1, 3)  # inputs above outputs, 3 columns
    assert sorted(os.listdir(kept)) == ["grid.png", "mine.txt", "translated.npz"]
    assert (kept / "mine.txt").read_text() == "keep"


def test_bad_requests_are_one_line_errors(setup):
    root = setup["root"]
    existing = root / "existing"
    existing.mkdir()
    (existing / "old.txt").write_text("keep")
    m, fresh = f"--model={setup['one_way']}", f"--out={root / 'never'}"
    cases = [
        ([f"--model={setup['sampler']}", f"--input={setup['npz']}", fresh],
         ["no 'translate' part", "translation model"]),
        ([m, "--direction=b2a", f"--input={setup['npz']}", fresh],
         ["no translate part for direction b_to_a", "--direction=a2b"]),
        ([m, f"--input={setup['rgb']}", fresh], ["8x8x3", "translates 8x8x1"]),
        ([m, f"--input={setup['npz']}", f"--out={existing}"], ["exists", "--overwrite"]),
        ([m, f"--input={root / 'nothing.npz'}", fresh], ["does not exist"]),
        ([f"--model={root / 'no_model'}", f"--input={setup['npz']}", fresh],
         ["no saved_model.pb"]),
    ]
    results = run_tool_cases("tools/translate.py", [a for a, _ in cases], ROOT)
    for (args, fragments), result in zip(cases, results):
        assert_one_line_error(result, *fragments)
    assert not os.path.exists(root / "never")
    assert sorted(os.listdir(existing)) == ["old.txt"]
