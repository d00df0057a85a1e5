"""Two worker processes on 127.0.0.1 under MultiWorkerMirroredStrategy.

Each test starts ``tools/train.py --strategy=multi_worker`` twice, with one
``TF_CONFIG`` per process (ports chosen free at test time, one CPU device
each, loopback only) and a time limit, and stops both itself.
"""

import json
import os
import signal
import socket
import subprocess
import sys
import time

import numpy as np
import pytest
import tensorflow as tf

from tfgen import testing

pytestmark = [pytest.mark.slow, pytest.mark.multi_worker]
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

GAN = ["--config=configs/gan_ring8.py", "--config.data.batch_size=64"]
# Conditional CTRL: the all-reduced Z^T Z per class must stay exact across workers.
CTRL = ["--config=configs/ctrl_mnist.py", "--config.data.name=mnist5k",
        "--config.model.conditional=true", "--config.data.batch_size=32",
        "--config.net.latent_dim=16", "--config.net.encoder.width=8",
        "--config.net.generator.width=8"]
# The comparisons train with plain SGD. Adam (the configs' optimizer) steps
# by about lr * sign(g), so a gradient that is zero up to rounding (a bias in
# front of batch norm) moves by ±lr on a sign the summation order decides:
# with CTRL's Adam(1e-4, β1 = 0) two workers and one device ended 2e-4 apart
# in such biases, and 13% apart in Adam's moments, on an AVX-512 CPU. With
# SGD(0.01) they agree to 1.3e-6, while leaving the per-class statistics
# un-reduced (a replica's own Z^T Z) puts them 0.18 apart.
SGD = ["--config.optim.name=sgd", "--config.optim.g_lr=0.01", "--config.optim.d_lr=0.01"]


def free_ports(n):
    socks = [socket.socket() for _ in range(n)]
    for s in socks:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in socks]
    for s in socks:
        s.close()
    return ports


def launch(workdir, args, index=None, ports=None, tmp=None):
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    extra = []
    if ports is not None:
        env["TF_CONFIG"] = json.dumps({
            "cluster": {"worker": [f"127.0.0.1:{p}" for p in ports]},
            "task": {"type": "worker", "index": index}})
        extra = ["--strategy=multi_worker"]
    if tmp is not None:
        env["TMPDIR"] = str(tmp)
    return subprocess.Popen(
        [sys.executable, "tools/train.py", f"--workdir={workdir}", *args, *extra],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def run_cluster(workdir, args, tmp=None, timeout=300):
    ports = free_ports(2)
    procs = [launch(workdir, args, i, ports, tmp) for i in range(2)]
    try:
        outs = [p.communicate(timeout=timeout) for p in procs]
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
    for p, (out, err) in zip(procs, outs):
        assert p.returncode == 0, err[-3000:]
    return outs


@pytest.mark.parametrize("name,args", [("gan", GAN + SGD), ("ctrl", CTRL + SGD)])
def test_two_workers_equal_one_device(tmp_path, name, args):
    steps = ["--config.train.steps=2", "--config.train.checkpoint_every=2",
             "--config.train.sample_every=0", "--config.export.enabled=false"]
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    run_cluster(tmp_path / "two", args + steps, tmp=scratch)
    one = launch(tmp_path / "one", args + steps)
    _, err = one.communicate(timeout=300)
    assert one.returncode == 0, err[-3000:]
    a = testing.checkpoint_values(str(tmp_path / "two" / "checkpoints" / "ckpt-2"))
    b = testing.checkpoint_values(str(tmp_path / "one" / "checkpoints" / "ckpt-2"))
    assert a.keys() == b.keys()
    for k in a:
        if np.issubdtype(np.asarray(a[k]).dtype, np.floating):
            np.testing.assert_allclose(a[k], b[k], rtol=1e-4, atol=1e-5, err_msg=k)
        else:
            np.testing.assert_array_equal(a[k], b[k], err_msg=k)
    # Only the chief wrote to the workdir; the other worker's saves are gone.
    assert sorted(os.listdir(tmp_path / "two" / "checkpoints")) == sorted(
        os.listdir(tmp_path / "one" / "checkpoints"))
    assert os.listdir(scratch) == []


def test_kill_a_worker_and_restart_both(tmp_path):
    w = tmp_path / "w"
    args = GAN + ["--config.train.steps=40", "--config.train.checkpoint_every=10",
                  "--config.train.sample_every=0"]
    ports = free_ports(2)
    procs = [launch(w, args, i, ports) for i in range(2)]
    state = w / "checkpoints" / "checkpoint"
    deadline = time.time() + 240
    try:
        while time.time() < deadline and not state.exists():
            time.sleep(0.1)
        assert state.exists(), "no checkpoint before the deadline"
        procs[1].send_signal(signal.SIGKILL)  # a worker dies mid-run
        procs[1].wait(timeout=60)
        # Its peer cannot go on alone; the launcher stops it too.
        procs[0].send_signal(signal.SIGKILL)
        procs[0].wait(timeout=60)
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
    saved = tf.train.latest_checkpoint(str(w / "checkpoints"))
    step = int(saved.rsplit("-", 1)[1])
    assert 10 <= step < 40
    outs = run_cluster(w, args)
    assert f"Resuming from step {step}" in outs[0][0]
    final = tf.train.latest_checkpoint(str(w / "checkpoints"))
    assert final.endswith("ckpt-40")
    from tfgen import trainer

    model, _ = trainer.restore(str(w))
    assert int(model.step_counter.numpy()) == 40
    assert (w / "export" / "saved_model.pb").exists()
    log = (w / "log.txt").read_text()
    assert f"resumed from step {step}" in log and "trained to step 40" in log
