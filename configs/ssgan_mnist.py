"""Semi-supervised GAN on MNIST with 100 labels (10 per class).

Salimans et al. 2016, Sec. 5 and their released code (permutation-invariant
MNIST): 100 labelled examples chosen class-balanced from the seed
(``data.labelled_examples``), the rest of the training set unlabelled;
a discriminator MLP (1000, 500, 250, 250, 250) with Gaussian noise
(σ 0.3 on the input, 0.5 on hidden layers) and K = 10 logits; a generator
MLP 100 → 500 → 500 → 784; feature matching for the generator; Adam with
β1 = 0.5, batch 100. Their weight normalisation and learning-rate decay are
left out, and with them their learning rate 3e-3 (without weight
normalisation the feature-matching loss starts in the thousands at that
rate); 1e-3 is the rate ``bench/ssgan.py`` measured. They train 300 epochs
(180,000 steps); ``steps`` here is 50 epochs.
"""

from tfgen import config


def get_config():
    c = config.base_config("ssgan")
    c.data.name = "mnist"
    c.data.batch_size = 100
    c.data.labelled_examples = 100
    c.net.latent_dim = 100
    config.set_network(c, "generator", "ssgan_generator", hidden=(500, 500))
    config.set_network(c, "discriminator", "ssgan_discriminator",
                       hidden=(1000, 500, 250, 250, 250), input_noise=0.3,
                       hidden_noise=0.5)
    c.model.generator_loss = "feature_matching"
    c.model.unsupervised_weight = 1.0
    c.optim.g_lr = c.optim.d_lr = 1e-3
    c.optim.beta1 = 0.5
    c.train.steps = 30_000
    c.train.checkpoint_every = 1000
    c.train.sample_every = 1000
    return c
