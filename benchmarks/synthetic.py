"""Synthetic data for scale runs: glossaries of any size and clustered unit vectors.

    python -m benchmarks.synthetic 100000 > big_glossary.md

Glossary entries look like the seed glossary's: two- or three-word terms, a fifth with an acronym alias,
definitions of two or three sentences (median ~23 words, as in data/deep_learning_glossary.md), built from a
machine-learning vocabulary so that embeddings cluster by topic the way real ones do.
"""

from __future__ import annotations

import random
import sys

import numpy as np

ADJECTIVES = (
    "adaptive sparse residual recurrent convolutional gated stochastic bayesian contrastive causal dense "
    "hierarchical latent variational spectral temporal graph attention-based multi-head quantized federated "
    "distilled robust differentiable probabilistic self-supervised masked generative discriminative linear "
    "nonlinear cross-entropy batch layer group instance weighted kernel deep shallow dropout-free low-rank "
    "mixture-of-experts autoregressive bidirectional convex online offline meta active curriculum"
).split()
NOUNS = (
    "network encoder decoder transformer embedding optimizer regularizer scheduler gradient loss pooling "
    "normalization activation attention kernel filter tokenizer sampler estimator classifier regressor "
    "autoencoder policy critic memory buffer head layer block unit gate module projection objective metric "
    "initialization clipping pruning search ensemble distillation augmentation alignment retrieval ranking"
).split()
SUBJECTS = (
    "the model",
    "the network",
    "each layer",
    "the optimizer",
    "training",
    "the encoder",
    "the decoder",
    "the loss",
    "each mini-batch",
    "the learning rate",
    "the hidden state",
    "the attention weights",
)
VERBS = (
    "reduces",
    "stabilizes",
    "accelerates",
    "regularizes",
    "estimates",
    "approximates",
    "normalizes",
    "projects",
    "aggregates",
    "samples",
    "encodes",
    "decodes",
    "penalizes",
    "rescales",
    "selects",
)
OBJECTS = (
    "the variance of the gradients",
    "overfitting on small datasets",
    "the input sequence",
    "noisy labels",
    "the distribution of activations",
    "long-range dependencies",
    "the number of parameters",
    "the output probabilities",
    "the feature maps of an image",
    "rare tokens in the vocabulary",
    "the error between predictions and targets",
    "redundant features",
    "the representation space",
    "computation at inference time",
    "the contribution of each example",
)
OPENERS = (
    "A technique in which",
    "A method where",
    "An approach in deep learning where",
    "A component that",
    "A training procedure in which",
    "An architecture in which",
)
EXTRAS = (
    "It is widely used in natural language processing.",
    "It is common in computer vision models.",
    "It often improves generalization.",
    "It trades a little accuracy for speed.",
    "It was popularized by large language models.",
    "It requires careful tuning of hyperparameters.",
)


def glossary_text(entries: int, seed: int = 0, title: str = "Synthetic Glossary") -> str:
    rng = random.Random(seed)
    lines = [f"# {title}", "", f"A generated glossary of {entries} terms for scale benchmarks.", ""]
    seen: set[str] = set()
    for n in range(entries):
        term = f"{rng.choice(ADJECTIVES).title()} {rng.choice(NOUNS).title()}"
        if rng.random() < 0.4:
            term = f"{rng.choice(ADJECTIVES).title()} {term}"
        if term in seen:
            term = f"{term} {n}"  # keep terms distinct, as a real glossary's are
        seen.add(term)
        if rng.random() < 0.2:
            acronym = "".join(w[0] for w in term.replace("-", " ").split() if w[0].isalpha()).upper()
            term = f"{term} ({acronym}{n})"
        sentences = [
            f"{rng.choice(OPENERS)} {rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}.",
            f"It {rng.choice(VERBS)} {rng.choice(OBJECTS)} using {rng.choice(ADJECTIVES)} "
            f"{rng.choice(NOUNS)}s.",
        ]
        if rng.random() < 0.5:
            sentences.append(rng.choice(EXTRAS))
        lines += [f"### {term}", " ".join(sentences), ""]
    return "\n".join(lines)


def clustered_vectors(
    n: int, dim: int = 384, seed: int = 0, noise_seed: int | None = None, topics: int = 256
) -> np.ndarray:
    """Unit vectors around `topics` centres grouped in 16 themes, like sentence embeddings of a corpus.

    The same `seed` gives the same centres; a different `noise_seed` draws new points around them (held-out
    queries for a recall check).
    """
    rng = np.random.default_rng(seed)
    themes = rng.standard_normal((16, dim), dtype=np.float32)
    centres = themes[rng.integers(0, 16, topics)] + rng.standard_normal((topics, dim), dtype=np.float32)
    points = np.random.default_rng(seed + 1 if noise_seed is None else noise_seed + 10_000)
    out = np.empty((n, dim), dtype=np.float32)
    for start in range(0, n, 100_000):  # in chunks: 1M x 384 temporaries would double peak memory
        size = min(100_000, n - start)
        chunk = centres[points.integers(0, topics, size)]
        chunk += 1.5 * points.standard_normal((size, dim), dtype=np.float32)
        out[start : start + size] = chunk / np.linalg.norm(chunk, axis=1, keepdims=True)
    return out


if __name__ == "__main__":
    sys.stdout.write(glossary_text(int(sys.argv[1]) if len(sys.argv) > 1 else 1000))
