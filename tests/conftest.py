"""Test set-up: two logical CPU devices so multi-replica code runs without GPUs."""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import pytest  # noqa: E402
import tensorflow as tf  # noqa: E402

from tfgen import distribute  # noqa: E402

distribute.split_cpu(2)

SHARED_DATA = os.path.abspath(
    os.path.join(os.path.dirname(__file__), "..", "..", "shared", "data"))


# Session-scoped: several MirroredStrategy objects in one process can collide
# on collective instance keys ("Shape mismatch in the collective instance").
@pytest.fixture(scope="session")
def two_replicas():
    """A MirroredStrategy over two logical CPU devices."""
    return distribute.make_strategy(cpu_replicas=2)


@pytest.fixture(scope="session")
def one_device():
    """A MirroredStrategy over a single CPU device (same code path, 1 replica)."""
    return tf.distribute.MirroredStrategy(["/cpu:0"])


@pytest.fixture
def shared_data():
    """Path of ../shared/data (MNIST, Fashion-MNIST, CIFAR-10 JPEG)."""
    if not os.path.isdir(SHARED_DATA):
        pytest.fail(f"shared data not found at {SHARED_DATA}")
    return SHARED_DATA
