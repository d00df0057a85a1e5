"""Export parts: what a trained method offers, one small tf.Module each.

A method describes its SavedModel as named parts (``model.export_parts()``)
and :func:`tfgen.export.save` writes them into one SavedModel. Each part has
a ``kind`` (one of :data:`KINDS`), fully specified ``tf.function`` input
signatures, a serving signature per function (:meth:`Part.signatures`) and a
JSON description for ``tfgen.json`` (:meth:`Part.describe`). Tools pick
their behaviour from the kinds an export holds.

Kinds:

* ``sample``: ``m(latents) -> images`` and ``m.sample(num, seed)``
  (:class:`SamplePart`), or only ``m.sample(num, seed)`` where a method has
  no latents (``latent_dim`` 0, :class:`LangevinSamplePart`).
* ``conditional_sample``: ``m(latents, labels)`` and ``m.sample(labels,
  seed)``, one image per label (:class:`ConditionalSamplePart`).
* ``translate``: images -> images, one part per direction (:class:`TranslatePart`).
* ``encode``: images -> features (:class:`EncodePart`).
* ``classify``: images -> logits (:class:`ClassifyPart`).
* ``generate_tokens``: ``m.generate_tokens(num, seed)`` and ``m.log_prob(tokens)``
  of a token sampler (:class:`GenerateTokensPart`, SeqGAN).

Modules: ``base`` (the :class:`Part` contract), ``sample`` (the sampling
parts) and ``images`` (the image-mapping parts).

Every sampling function draws from the stateless seed ``[seed, 0]``, so a
seed gives the same images in training previews (``preview``), in the
export and in ``tfgen.sampling``. Outputs are float32.
"""

from tfgen.export_parts.base import KINDS, SAMPLE_KINDS, Part
from tfgen.export_parts.images import ClassifyPart, EncodePart, TranslatePart
from tfgen.export_parts.tokens import GenerateTokensPart
from tfgen.export_parts.sample import (CLASS_SPHERE, ConditionalSamplePart,
                                       LangevinSamplePart, SamplePart)

__all__ = ["KINDS", "SAMPLE_KINDS", "CLASS_SPHERE", "Part", "SamplePart",
           "ConditionalSamplePart", "LangevinSamplePart", "TranslatePart",
           "EncodePart", "ClassifyPart", "GenerateTokensPart"]
