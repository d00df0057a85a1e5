"""SeqGAN on the LSTM-oracle data, scaled to a 2-core CPU.

The paper's synthetic experiment (Yu et al. 2017, Sec. 5 and Appendix):
oracle LSTM with N(0, 1) parameters, 10,000 training sequences of length
20, generator embedding and hidden size 32, Adam with learning rate 0.01
for the generator (the authors' code), N = 16 rollouts, roll-out update
rate 0.8, batch 64, and a CNN discriminator with widths 1..10, 15, 20.

Scaled here (docs/benchmarks/seqgan.md): the vocabulary is 500 instead of
5,000 (``lstm_oracle``; ``lstm_oracle_paper`` has the paper's 5,000), the
discriminator has widths (2, 3, 4, 5) with 32 filters each, maximum
likelihood runs 25 epochs (250,000 sequences) instead of 120, the
discriminator pre-trains on 64,000 sequences, and the adversarial stage
runs for the remaining steps, one round per step.
"""

from tfgen import config


def get_config():
    c = config.base_config("seqgan")
    c.data.name = "lstm_oracle"
    c.data.batch_size = 64
    config.set_network(c, "generator", "lstm_generator", embed_dim=32, hidden=32)
    config.set_network(c, "discriminator", "cnn_discriminator", embed_dim=64,
                       widths=(2, 3, 4, 5), filters=(32, 32, 32, 32), dropout=0.25)
    c.model.mle_examples = 250_000
    c.model.d_pretrain_examples = 64_000
    c.model.num_rollouts = 16
    c.model.rollout_update_rate = 0.8
    c.optim.g_lr = 1e-2
    c.optim.d_lr = 1e-4
    c.optim.beta1 = 0.9
    c.train.steps = 6000  # ~3,900 MLE + 1,000 D + ~1,100 adversarial rounds
    return c
