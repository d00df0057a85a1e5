"""SeqGAN on the LSTM oracle: NLL-oracle of MLE alone, SeqGAN and a constant reward.

    .venv/bin/python bench/seqgan.py --seeds=0,1,2 --out=bench/results/seqgan.json

For each seed, one generator is pre-trained by maximum likelihood on the
``lstm_oracle`` training set (V = 500, T = 20, 10,000 sequences; see
``tfgen/data/lstm_oracle.py``); three copies of it then continue for the
same number of generator updates: ``mle`` (more maximum likelihood),
``seqgan`` (discriminator pre-training, then adversarial rounds with N
rollouts) and ``constant`` (the same policy gradient with reward 1, no
discriminator). NLL-oracle (per token, nats) of ``--eval_num`` generated
sequences is recorded along the way. ``--throughput`` times the compiled
rollout sampler against a plain Python loop in eager mode (one prefix
length and one rollout at a time, the network stepped token by token).
Prints one JSON object (and writes it to --out).
"""

import argparse
import json
import os
import sys
import time

import keras
import numpy as np
import tensorflow as tf

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from tfgen import builders, data  # noqa: E402
from tfgen.atomic_write import refuse_existing, write_text  # noqa: E402
from tfgen import config as config_lib  # noqa: E402
from tfgen.data import lstm_oracle  # noqa: E402
from tfgen.samplers import rollout  # noqa: E402

import figures  # noqa: E402  (bench/figures.py, beside this script)

NAME = "lstm_oracle"


def eager_rollouts(net, sequences, num_rollouts, seed):
    """The plain version: Python loops over rollouts, prefixes and positions."""
    sequences = tf.constant(sequences, tf.int32)
    batch, length = sequences.shape
    vocab = net.output_shape[0][-1]
    width = net.input_shape[1][-1]
    out = np.empty((batch, num_rollouts, length - 1, length), np.int32)
    for n in range(num_rollouts):
        for t in range(1, length):
            h = c = tf.zeros([batch, width])
            prev = tf.fill([batch], vocab)
            row = []
            for p in range(length):
                logits, h, c = net([prev, h, c], training=False)
                if p < t:
                    prev = sequences[:, p]
                else:
                    prev = tf.cast(tf.random.stateless_categorical(
                        logits, 1, [seed, n * length * length + t * length + p])[:, 0],
                        tf.int32)
                row.append(prev)
            out[:, n, t - 1] = tf.stack(row, axis=1).numpy()
    return out


def throughput(args):
    keras.utils.set_random_seed(0)
    c = config(args)
    info = data.info_for("tokens", NAME)
    model, _ = builders.build(c, info)
    seqs = model.generate(args.batch, seed=0)
    n = args.rollouts
    per_call = args.batch * n * (model.length - 1)
    out = {"batch": args.batch, "rollouts": n, "sequences_per_call": per_call}
    rollout.compiled_rollouts(model.generator, seqs, n, tf.constant([0, 1]))  # trace
    t0 = time.perf_counter()
    for i in range(args.repeats):
        rollout.compiled_rollouts(model.generator, seqs, n, tf.constant([i, 1])).numpy()
    out["compiled_seq_per_s"] = per_call * args.repeats / (time.perf_counter() - t0)
    t0 = time.perf_counter()
    eager_rollouts(model.generator, seqs.numpy(), n, 0)
    out["eager_loop_seq_per_s"] = per_call / (time.perf_counter() - t0)
    out["speedup"] = out["compiled_seq_per_s"] / out["eager_loop_seq_per_s"]
    return out


def config(args, reward="discriminator", mle=10**12, dpre=0):
    c = config_lib.base_config("seqgan")
    c.data.name = NAME
    c.data.batch_size = args.batch
    config_lib.set_network(c, "discriminator", "cnn_discriminator",
                           widths=(2, 3, 4, 5), filters=(32, 32, 32, 32), dropout=0.25)
    c.model.update(mle_examples=mle, d_pretrain_examples=dpre,
                   num_rollouts=args.rollouts, reward=reward)
    c.optim.update(g_lr=1e-2, d_lr=1e-4, beta1=0.9)
    return c


def fresh(args, seed, **kw):
    keras.utils.set_random_seed(seed)
    c = config(args, **kw)
    c.seed = seed
    model, opts = builders.build(c, data.info_for("tokens", NAME))
    model.compile(opts)
    return model


def nll(model, oracle, args, seed):
    return round(oracle.nll(model.generate(args.eval_num, seed=1000 + seed).numpy()), 4)


def run_seed(args, seed, oracle):
    done = {}  # model → batches read: each fit continues the data stream

    def steps(m, n):
        start = done.get(id(m), args.mle_steps if m is not mle else 0)
        ds = data.make("tokens", NAME, args.batch, seed=seed, start_batch=start)
        m.fit(ds, steps_per_epoch=n, epochs=1, verbose=0)
        done[id(m)] = start + n

    t0 = time.perf_counter()
    mle = fresh(args, seed)
    curve = [(0, nll(mle, oracle, args, seed))]
    for k in range(args.mle_steps // args.eval_every):
        steps(mle, args.eval_every)
        curve.append(((k + 1) * args.eval_every, nll(mle, oracle, args, seed)))
    out = {"pretrain": curve, "pretrain_s": round(time.perf_counter() - t0, 1)}
    print("pretrain", seed, curve, file=sys.stderr, flush=True)
    weights = mle.generator.get_weights()
    for name, kw in (("seqgan", dict(dpre=args.d_steps_pre * args.batch, mle=0)),
                     ("constant", dict(reward="constant", mle=0)),
                     ("mle", None)):
        t0 = time.perf_counter()
        if kw is None:
            model = mle
        else:
            model = fresh(args, seed, **kw)
            model.generator.set_weights(weights)
            for slow, w in zip(model.rollout_weights, model.generator.trainable_weights):
                slow.assign(w)
            if name == "seqgan":
                steps(model, args.d_steps_pre)
        curve = [(0, nll(model, oracle, args, seed))]
        for k in range(args.rounds // args.round_eval):
            steps(model, args.round_eval)
            curve.append(((k + 1) * args.round_eval, nll(model, oracle, args, seed)))
        out[name] = curve
        out[name + "_s"] = round(time.perf_counter() - t0, 1)
        print(name, seed, curve, file=sys.stderr, flush=True)
    return out


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--seeds", default="0,1,2")
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--rollouts", type=int, default=16)
    p.add_argument("--mle_steps", type=int, default=1500)
    p.add_argument("--eval_every", type=int, default=300)
    p.add_argument("--d_steps_pre", type=int, default=300)
    p.add_argument("--rounds", type=int, default=60)
    p.add_argument("--round_eval", type=int, default=10)
    p.add_argument("--eval_num", type=int, default=2000)
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--skip_oracle", action="store_true")
    p.add_argument("--skip_throughput", action="store_true")
    p.add_argument("--out", default="", help="also write the JSON (and its plots) here")
    p.add_argument("--overwrite", action="store_true", help="replace an existing --out")
    args = p.parse_args()
    try:
        refuse_existing(args.out, args.overwrite, siblings="_*.png")
    except FileExistsError as err:
        p.error(str(err))
    oracle = lstm_oracle.oracle(NAME)
    result = {"command": "python bench/seqgan.py " + " ".join(sys.argv[1:]),
              "data": {"name": NAME, "vocab": oracle.vocab_size, "length": oracle.length,
                       "train": lstm_oracle.NUM["train"]},
              "oracle_entropy": round(oracle.entropy(), 4),
              "random_generator_nll": None,
              "throughput": None if args.skip_throughput else throughput(args)}
    print(json.dumps(result["throughput"]), file=sys.stderr, flush=True)
    if not args.skip_oracle:
        rnd = np.random.default_rng(0).integers(0, oracle.vocab_size, (2000, oracle.length))
        result["uniform_tokens_nll"] = round(oracle.nll(rnd), 4)
        result["random_generator_nll"] = nll(fresh(args, 0), oracle, args, 0)
        result["runs"] = {s: run_seed(args, int(s), oracle) for s in args.seeds.split(",")}
        final = {k: [r[k][-1][1] for r in result["runs"].values()]
                 for k in ("mle", "seqgan", "constant")}
        result["final_nll"] = {k: {"mean": round(float(np.mean(v)), 4),
                                   "std": round(float(np.std(v)), 4), "per_seed": v}
                               for k, v in final.items()}
        result["pretrained_nll"] = [r["pretrain"][-1][1] for r in result["runs"].values()]
    text = json.dumps(result, indent=1)
    print(text)
    if args.out:
        write_text(args.out, text + "\n")
        figures.write(args.out, result, overwrite=True)  # oracle NLL curves beside the JSON


if __name__ == "__main__":
    main()
