"""Declaration of SeqGAN (Yu et al. 2017) on token data.

``model.*`` fields (``SeqGANModel.hparams``): ``mle_examples`` and
``d_pretrain_examples`` (the lengths of the maximum-likelihood and
discriminator pre-training stages, in real sequences), ``num_rollouts``
(N, 16 in the paper), ``rollout_update_rate`` (the roll-out policy's
delay, 0.8 in the authors' code), ``d_steps`` (discriminator updates per
adversarial round) and ``reward`` (``discriminator``, or ``constant``: the
control with reward 1). ``net.generator`` is a ``sequence_generator``,
``net.discriminator`` a ``sequence_critic``; both are built for the data's
vocabulary and length. Adam for both players (``g_lr``, ``d_lr``). On a
``text:PATH`` corpus the model's export carries the corpus's vocabulary.
"""

from __future__ import annotations

from tfgen.builders.spec import Method, optimizer
from tfgen.data import text_corpus
from tfgen.models.seqgan import SeqGANModel
from tfgen.networks import entry

def optimizers(config, model) -> dict:
    """Adam for both players; a text corpus's vocabulary goes to the export."""
    name = config.data.name
    if name.startswith(text_corpus.PREFIX):
        model.vocabulary = tuple(text_corpus.vocabulary(name))
        model.separator = text_corpus.parse(name).separator
    mp = config.train.mixed_precision
    return {"generator": optimizer(config.optim, config.optim.g_lr, mp),
            "discriminator": optimizer(config.optim, config.optim.d_lr, mp)}


SEQGAN = Method(
    name="seqgan", model=SeqGANModel,
    slots={"generator": "sequence_generator", "discriminator": "sequence_critic"},
    networks={"generator": entry("lstm_generator"),
              "discriminator": entry("cnn_discriminator")},
    lr={"generator": "g_lr", "discriminator": "d_lr"}, optimizers=optimizers,
    summary="SeqGAN: a sequence generator trained by policy gradient with rollouts "
            "(Yu et al. 2017)")
