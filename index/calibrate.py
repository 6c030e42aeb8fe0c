"""The no-match line, calibrated for each glossary when the index is built.

Positives are questions generated from the glossary itself (each name, "what is <name>", each definition
sentence with the entry's names taken out); negatives are a fixed list of everyday off-topic questions that
belongs to no glossary (index/offtopic.py). Both go through the real ranking; the line sits between the
two score distributions, much nearer the negatives, because real questions score lower than generated ones.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from index.entry import Entry
from index.text import bare_name, sentences

FILE = "calibration.json"
SCHEME = 2  # bump when the name table or the calibration changes; a rebuild then redoes them
NEGATIVE_QUANTILE = 0.95  # the line starts above this share of the off-topic list's scores...
POSITIVE_QUANTILE = 0.05  # ...and moves GAP_SHARE of the way to this low quantile of the generated questions'
GAP_SHARE = 0.06  # off-topic rejection is flat from 0.05 to 0.15 on both sets; false refusals grow with it
# Each generated question is one full ranking query, whose cost grows with the glossary: past this many
# entries an evenly spaced sample stands for the rest, so calibration stays bounded on large glossaries.
SAMPLE_ENTRIES = 400


@dataclass(frozen=True)
class Calibration:
    no_match_below: float
    positives: int
    negatives: int
    positive_rejected: float  # shares of each set the line refuses
    negative_rejected: float

    def to_json(self) -> dict:
        return asdict(self)


def generated_questions(entries: list[Entry]) -> list[str]:
    """Questions the glossary answers, made from its own text (from a sample of a large glossary)."""
    found = []
    step = -(-len(entries) // SAMPLE_ENTRIES)  # ceiling division: 1 up to SAMPLE_ENTRIES entries
    for entry in entries[::step]:
        names = [bare_name(entry.term), *entry.aliases]
        found.append(bare_name(entry.term))
        found.append(f"what is {bare_name(entry.term)}")
        alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
        pattern = re.compile(rf"\b(?:{alternatives})\b", re.IGNORECASE)
        for sentence in sentences(entry.text)[:2]:
            stripped = " ".join(pattern.sub(" ", sentence).split())
            if len(stripped.split()) >= 4:
                found.append(stripped)
    return found


class _Batched:
    """The build's encoder with the calibration questions embedded in one batch up front."""

    def __init__(self, encoder, texts: list[str]):
        self.name, self._encoder = encoder.name, encoder
        unique = list(dict.fromkeys(texts))
        self._known = dict(zip(unique, encoder.encode(unique), strict=True))

    def encode(self, texts, progress: bool = False) -> np.ndarray:
        missing = [t for t in texts if t not in self._known]
        if missing:
            self._known.update(zip(missing, self._encoder.encode(missing), strict=True))
        return np.stack([self._known[t] for t in texts])


def write_ranking_files(
    folder: Path, entries: list[Entry], passages, faiss_index, encoder, dim: int
) -> Calibration:
    """Build time: the name table, then the no-match line measured through the real ranking."""
    from index.aliases import build_lexicon, write_lexicon
    from index.offtopic import OFF_TOPIC
    from search.rank import Ranker

    lexicon = build_lexicon(entries)
    write_lexicon(lexicon, folder)
    batched = _Batched(encoder, generated_questions(entries) + list(OFF_TOPIC))
    calibration = calibrate(Ranker(entries, passages, faiss_index, batched, dim, lexicon), entries)
    write_calibration(calibration, folder)
    return calibration


def calibrate(ranker, entries: list[Entry]) -> Calibration:
    from index.offtopic import OFF_TOPIC

    positives = generated_questions(entries)
    pos = np.array([ranker.rank(q, 1).confident for q in positives])
    neg = np.array([ranker.rank(q, 1).confident for q in OFF_TOPIC])
    # Generated questions quote the glossary, so they score far higher than real ones: the line stays
    # near the negatives, moved a small share of the gap towards the positives.
    low, high = float(np.quantile(neg, NEGATIVE_QUANTILE)), float(np.quantile(pos, POSITIVE_QUANTILE))
    line = low + GAP_SHARE * (high - low) if high > low else high
    return Calibration(
        round(line, 4),
        len(pos),
        len(neg),
        round(float((pos < line).mean()), 4),
        round(float((neg < line).mean()), 4),
    )


def write_calibration(calibration: Calibration, folder: Path) -> None:
    (folder / FILE).write_text(json.dumps(calibration.to_json(), indent=2), encoding="utf-8")


def read_threshold(folder: Path) -> float | None:
    """The calibrated line in `folder`, or None for an index built without one."""
    path = folder / FILE
    if not path.is_file():
        return None
    try:
        return float(json.loads(path.read_text(encoding="utf-8"))["no_match_below"])
    except (ValueError, KeyError, TypeError):
        return None
