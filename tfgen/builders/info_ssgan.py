"""InfoGAN and the semi-supervised GAN (issue 11): their declarations.

* ``infogan`` (``tfgen.models.infogan.InfoGAN``): ``model.*`` = ``loss``,
  ``info_weight`` (λ, categorical code), ``continuous_weight`` (λ,
  continuous codes), ``learn_std``, ``prior`` (normal), ``ema_decay``. The
  code sizes are fields of ``net.discriminator`` (``categorical``,
  ``continuous``); ``net.latent_dim`` is noise + codes (74 on MNIST).
* ``ssgan`` (``tfgen.models.ssgan.SemiSupervisedGAN``): trains on the
  ``semi_supervised`` data kind (``data.labelled_examples``, e.g. 100 =
  10 per class); ``model.*`` = ``unsupervised_weight``,
  ``generator_loss`` (feature_matching, non_saturating, both), ``prior``, ``ema_decay``.

Optimizers: the generator reads ``optim.g_lr``, the discriminator (and,
for InfoGAN, its Q head) ``optim.d_lr``.
"""

from tfgen.builders.spec import Method
from tfgen.models.infogan import InfoGAN
from tfgen.models.ssgan import SemiSupervisedGAN
from tfgen.networks import entry

INFOGAN = Method(
    name="infogan", model=InfoGAN,
    slots={"generator": "generator", "discriminator": "critic"},
    networks={"generator": entry("infogan_generator"),
              "discriminator": entry("infogan_discriminator")},
    lr={"generator": "g_lr", "discriminator": "d_lr"},
    summary="InfoGAN: categorical and continuous codes recovered by a Q head on D")

SSGAN = Method(
    name="ssgan", model=SemiSupervisedGAN,
    slots={"generator": "generator", "discriminator": "classifying_critic"},
    networks={"generator": entry("ssgan_generator"),
              "discriminator": entry("ssgan_discriminator")},
    lr={"generator": "g_lr", "discriminator": "d_lr"},
    summary="semi-supervised GAN: a K-class discriminator, labels on a subset only")
