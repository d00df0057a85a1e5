"""Distribution helpers shared by every method.

One place for the three things a custom ``train_step`` gets wrong under
``tf.distribute.MirroredStrategy`` (see ``../shared/NOTES-keras3.md``):

* choosing the strategy (all visible GPUs, or N logical CPU devices for tests);
* scaling a per-replica mean loss so that summed replica gradients equal the
  single-device gradient of the global batch;
* drawing random numbers that differ per replica *and* reproduce the
  single-device draw exactly.

For the last point we draw the noise of the whole global batch from a
stateless seed that every replica shares, and each replica keeps its own
contiguous slice. ``MirroredStrategy`` hands replica ``r`` the contiguous
slice ``r`` of the global batch, so replica ``r``'s noise lines up with its
data, and one step on N replicas equals one step on one device with the same
global batch. Folding the replica id into the seed (the other usual recipe)
also gives distinct streams but breaks that equality.
"""

from __future__ import annotations

import json
import os
import platform

import tensorflow as tf

# Pinned so that a seed gives the same numbers on every device kind. (XLA
# still transforms the bits to normals its own way: jit_compile=True and
# False runs draw different, equally valid, noise from one seed.)
RNG_ALG = "philox"


def device_name() -> str:
    """The first GPU's name, or the CPU's model and core count (for benchmark JSON)."""
    gpus = tf.config.list_physical_devices("GPU")
    if gpus:
        return tf.config.experimental.get_device_details(gpus[0]).get("device_name", "GPU")
    model = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            model = next(line.split(":", 1)[1].strip() for line in f
                         if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return f"CPU: {model} ({os.cpu_count()} cores visible)"


def split_cpu(num_devices: int) -> None:
    """Split the host CPU into ``num_devices`` logical devices.

    Must run before TensorFlow initialises its devices (before any op runs).
    Lets multi-replica code run and be tested without GPUs.
    """
    if num_devices <= 1:
        return
    cpus = tf.config.list_physical_devices("CPU")
    try:
        tf.config.set_logical_device_configuration(
            cpus[0], [tf.config.LogicalDeviceConfiguration()] * num_devices)
    except RuntimeError as err:  # devices already initialised
        have = len(tf.config.list_logical_devices("CPU"))
        if have != num_devices:
            raise RuntimeError(
                f"cannot split the CPU into {num_devices} devices after "
                f"TensorFlow started (it has {have}); call split_cpu first"
            ) from err


def split_gpu(num_devices: int, memory_limit_mib: int = 8192) -> None:
    """Split the first GPU into ``num_devices`` logical GPUs.

    Runs multi-replica GPU code on a machine with one GPU (the replicas then
    reduce through one device: NCCL needs distinct physical GPUs). Must run
    before TensorFlow initialises its devices. No-op without a GPU.
    """
    gpus = tf.config.list_physical_devices("GPU")
    if num_devices <= 1 or not gpus:
        return
    tf.config.set_logical_device_configuration(
        gpus[0], [tf.config.LogicalDeviceConfiguration(memory_limit=memory_limit_mib)]
        * num_devices)


STRATEGIES = ("auto", "mirrored", "multi_worker", "tpu", "one_device")


def cluster_workers() -> int:
    """Workers named by ``TF_CONFIG`` (0 when it is unset or names none)."""
    raw = os.environ.get("TF_CONFIG")
    if not raw:
        return 0
    try:
        cluster = json.loads(raw).get("cluster", {})
    except ValueError as err:
        raise ValueError(f"TF_CONFIG is not valid JSON ({err}); see BUILD.md, "
                         "'Several machines'") from err
    return len(cluster.get("worker", [])) + len(cluster.get("chief", []))


def make_strategy(cpu_replicas: int = 0, kind: str = "auto") -> tf.distribute.Strategy:
    """Returns the strategy for training.

    Args:
      cpu_replicas: if > 1, mirror over that many logical CPU devices (call
        :func:`split_cpu` first); used to test multi-replica code on a CPU.
      kind: one of :data:`STRATEGIES`. ``auto``: multi-worker when
        ``TF_CONFIG`` names several workers, else mirrored over the local
        GPUs when there are two or more, else the default strategy (one GPU
        or the CPU). ``multi_worker``: ``MultiWorkerMirroredStrategy`` from
        ``TF_CONFIG``; ``tpu``: ``TPUStrategy`` on the Cloud TPU the
        environment names; ``one_device``: the first GPU, else the CPU.
    """
    if kind not in STRATEGIES:
        raise ValueError(f"unknown --strategy {kind!r}; valid: {', '.join(STRATEGIES)}")
    if kind == "auto":
        kind = "multi_worker" if cluster_workers() > 1 else "mirrored"
    if kind == "multi_worker":
        if cluster_workers() < 1:
            raise ValueError("--strategy=multi_worker needs TF_CONFIG naming the "
                             "cluster's workers; see BUILD.md, 'Several machines'")
        return tf.distribute.MultiWorkerMirroredStrategy()
    if kind == "tpu":
        resolver = tf.distribute.cluster_resolver.TPUClusterResolver()
        tf.config.experimental_connect_to_cluster(resolver)
        tf.tpu.experimental.initialize_tpu_system(resolver)
        return tf.distribute.TPUStrategy(resolver)
    if kind == "one_device":
        gpus = tf.config.list_logical_devices("GPU")
        return tf.distribute.OneDeviceStrategy(gpus[0].name if gpus else "/cpu:0")
    if cpu_replicas > 1:
        devices = [d.name for d in tf.config.list_logical_devices("CPU")]
        if len(devices) < cpu_replicas:
            raise ValueError(
                f"asked for {cpu_replicas} CPU replicas but only {len(devices)} "
                "logical CPU devices exist; pass --cpu_replicas before any "
                "TensorFlow op runs")
        return tf.distribute.MirroredStrategy(devices[:cpu_replicas])
    gpus = tf.config.list_logical_devices("GPU")
    if len(gpus) > 1:
        return tf.distribute.MirroredStrategy()
    return tf.distribute.get_strategy()


def is_multi_worker(strategy) -> bool:
    return (isinstance(strategy, tf.distribute.MultiWorkerMirroredStrategy)
            and strategy.extended._in_multi_worker_mode())  # noqa: SLF001


def worker(strategy) -> tuple:
    """(this worker's index, number of workers, whether it is the chief).

    The chief (worker 0, or the ``chief`` task) writes checkpoints, logs,
    samples and exports; the others write only to temporary locations.
    """
    if not is_multi_worker(strategy):
        return 0, 1, True
    resolver = strategy.cluster_resolver
    task, index = resolver.task_type, int(resolver.task_id)
    spec = resolver.cluster_spec().as_dict()
    count = len(spec.get("worker", [])) + len(spec.get("chief", []))
    chief = task == "chief" or (task == "worker" and index == 0 and "chief" not in spec)
    if task == "worker" and "chief" in spec:
        index += 1
    return index, count, chief


def num_replicas() -> int:
    """Replicas in sync for the current strategy (1 outside any)."""
    return tf.distribute.get_strategy().num_replicas_in_sync


def replica_id() -> tf.Tensor:
    """Id of the current replica (0 in cross-replica or default context)."""
    ctx = tf.distribute.get_replica_context()
    if ctx is None:
        return tf.constant(0, tf.int32)
    rid = ctx.replica_id_in_sync_group
    return tf.cast(rid, tf.int32)


def scale_loss(loss: tf.Tensor) -> tf.Tensor:
    """Divides a per-replica mean loss by the number of replicas.

    The optimizer sums replica gradients; with this scaling the sum is the
    gradient of the global-batch mean. Report the *unscaled* loss to metrics.
    """
    return loss / tf.cast(num_replicas(), loss.dtype)


def all_reduce_sum(value: tf.Tensor) -> tf.Tensor:
    """Sums ``value`` over replicas (identity on one device).

    Differentiable: gradients flow back to every replica's contribution.
    """
    ctx = tf.distribute.get_replica_context()
    if ctx is None or ctx.num_replicas_in_sync == 1:
        return value
    return ctx.all_reduce(tf.distribute.ReduceOp.SUM, value)


def step_seed(base_seed: int, step: tf.Tensor, stream: int) -> tf.Tensor:
    """A stateless seed (shape [2], int32) for one draw at one training step.

    Args:
      base_seed: the experiment seed.
      step: an integer tensor that advances every train step.
      stream: distinguishes independent draws inside one step.
    """
    seed = tf.stack([tf.constant(base_seed, tf.int32),
                     tf.constant(stream, tf.int32)])
    return tf.random.experimental.stateless_fold_in(
        seed, tf.cast(step, tf.int32))


def gather_global(local_tensor: tf.Tensor) -> tf.Tensor:
    """The global batch: every replica's ``local_tensor`` concatenated in
    replica order along axis 0 (identity on one device). Pair with
    :func:`local_slice` to compute something over the global batch and keep
    this replica's rows."""
    ctx = tf.distribute.get_replica_context()
    if ctx is None or num_replicas() == 1:
        return local_tensor
    return ctx.all_gather(local_tensor, axis=0)


def local_slice(global_tensor: tf.Tensor) -> tf.Tensor:
    """This replica's contiguous slice of a tensor drawn for the global batch."""
    n = num_replicas()
    if n == 1:
        return global_tensor
    local = tf.shape(global_tensor)[0] // n
    start = replica_id() * local
    return global_tensor[start:start + local]


def replica_normal(shape, seed, dtype=tf.float32) -> tf.Tensor:
    """Standard normal noise of local ``shape`` (leading dim = local batch).

    The global batch's noise is drawn from ``seed`` and sliced, so N replicas
    reproduce the single-device draw (see module docstring).
    """
    global_shape = _globalize(shape)
    return local_slice(tf.random.stateless_normal(global_shape, seed, dtype=dtype,
                                                  alg=RNG_ALG))


def replica_uniform(shape, seed, minval=0.0, maxval=1.0,
                    dtype=tf.float32) -> tf.Tensor:
    """Uniform noise of local ``shape``; see :func:`replica_normal`."""
    global_shape = _globalize(shape)
    return local_slice(tf.random.stateless_uniform(
        global_shape, seed, minval=minval, maxval=maxval, dtype=dtype,
        alg=RNG_ALG))


def _globalize(shape) -> tf.Tensor:
    """Local shape (list of ints/tensors or a shape tensor) -> global shape."""
    if isinstance(shape, tf.Tensor):
        dims = tf.unstack(tf.cast(shape, tf.int32))
    else:
        dims = [tf.cast(d, tf.int32) for d in shape]
    dims[0] = dims[0] * num_replicas()
    return tf.stack(dims)
