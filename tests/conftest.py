"""Test set-up: two logical CPU devices so multi-replica code runs without GPUs."""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import pytest  # noqa: E402
import tensorflow as tf  # noqa: E402

from tfgen import distribute  # noqa: E402

# TFGEN_TEST_DEVICE=gpu runs the replica tests on two logical GPUs of the
# first GPU (see BUILD.md, "One GPU"); the default is two logical CPUs.
DEVICE = os.environ.get("TFGEN_TEST_DEVICE", "cpu").lower()
if DEVICE == "gpu":
    if not tf.config.list_physical_devices("GPU"):
        raise RuntimeError("TFGEN_TEST_DEVICE=gpu but TensorFlow sees no GPU; "
                           "unset it to test on the CPU")
    # Exact replica comparisons: TF32 matmuls would differ at ~1e-3.
    tf.config.experimental.enable_tensor_float_32_execution(False)
    distribute.split_gpu(2)
else:
    distribute.split_cpu(2)

SHARED_DATA = os.path.abspath(
    os.path.join(os.path.dirname(__file__), "..", "..", "shared", "data"))


# Session-scoped: several MirroredStrategy objects in one process can collide
# on collective instance keys ("Shape mismatch in the collective instance").
@pytest.fixture(scope="session")
def two_replicas():
    """A MirroredStrategy over two logical CPU (or GPU) devices."""
    if DEVICE == "gpu":
        return distribute.make_strategy()
    return distribute.make_strategy(cpu_replicas=2)


@pytest.fixture(scope="session")
def one_device():
    """A MirroredStrategy over a single device (same code path, 1 replica)."""
    return tf.distribute.MirroredStrategy(["/gpu:0" if DEVICE == "gpu" else "/cpu:0"])


@pytest.fixture
def shared_data():
    """Path of ../shared/data (MNIST, Fashion-MNIST, CIFAR-10 JPEG)."""
    if not os.path.isdir(SHARED_DATA):
        pytest.fail(f"shared data not found at {SHARED_DATA}")
    return SHARED_DATA
