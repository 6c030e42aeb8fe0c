"""Query understanding, the stage between analysis and features: does the question NAME an entry or DESCRIBE one?

"what is a decorator", "GIL", "define overfitting" or a typo of a name name the answer; "program to process
data" or "how do I keep three copies of my app running" describe it, and the entry names they happen to hold
("process", "app") are context, not the answer. The name matcher runs here once per question; its scores are
handed on to the features, and the form picks which fitted weight vector fuses them (`RankingConfig.weights`
for naming questions, `RankingConfig.describing` for the rest).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from indexformat.text import content_words
from ranking.features import setting_apart
from ranking.names import NameMatcher, NameScores


class Form(StrEnum):
    NAMING = "naming"  # the question is a name, maybe inside "what is"/"define"/"X meaning", a typo, an acronym
    DESCRIBING = "describing"  # it says more than any one name: a reverse-dictionary question, a pasted message
    HOWTO = "how-to"  # describing, aimed at acting on something ("how do I avoid X")
    COMPARISON = "comparison"  # "A vs B": each side is understood on its own


@dataclass(frozen=True)
class Understanding:
    form: Form
    coverage: float  # share of the question's subject (its content words, a setting "in X" aside) the best name covers
    named: tuple[int, ...]  # entries whose name covers the whole subject: what a naming question asks about
    rest: tuple[str, ...]  # the subject's content words left once the best name is taken out
    names: NameScores  # the whole question's name scores (the features' `name` column)
    target_names: NameScores | None  # how-to: the name scores of what the asker wants to act on
    sides: tuple[NameScores, ...]  # comparison: each side's name scores, in the order asked
    lone: bool  # describing, several words, and at most one the glossary uses: off-topic unless it scores high

    @property
    def naming(self) -> bool:
        return self.form is Form.NAMING


def understand(text: str, names: NameMatcher, target: str | None, parts: tuple[str, ...], min_coverage: float,
               knows, lone_words: int, field) -> Understanding:
    """`knows(word)`: does the glossary use the word; `lone_words`: a describing question this long whose words
    the glossary uses at most one of is `lone` (its one tie to the glossary may be a common word); `field(word)`:
    the word names the glossary's field ("git" in a Git glossary), so "git submodule" asks about Submodule."""
    score, matches = names.score(text)
    asked = set(content_words(text))
    ties = sum(1 for w in asked if knows(w))
    # "a neuron in deep learning": the setting is the glossary's field, not part of what is asked; "the shape of
    # a rugby ball" has no setting the glossary knows, so all of it is asked.
    before, setting = setting_apart(text)
    subject = content_words(before if any(knows(w) for w in content_words(setting)) else text)
    subject = [w for w in subject if not field(w)] or subject
    best_cover, best_rest, named = 0.0, tuple(subject), []
    for row, match in matches.items():
        said = set(content_words(match.words))
        if not subject or not said:
            continue
        covered = sum(w in said for w in subject) / len(subject)
        if covered >= min_coverage:
            named.append(row)
        if covered > best_cover:
            best_cover, best_rest = covered, tuple(w for w in subject if w not in said)
    named.sort(key=lambda r: -float(score[r]))
    target_names = NameScores(*names.score(target)) if target else None
    sides = tuple(NameScores(*names.score(part)) for part in parts)
    if parts:
        form = Form.COMPARISON
    elif target:
        form = Form.HOWTO
    elif named:
        form = Form.NAMING
    else:
        form = Form.DESCRIBING
    lone = form in (Form.DESCRIBING, Form.HOWTO) and len(asked) >= lone_words and ties <= 1
    return Understanding(form, round(best_cover, 4), tuple(named), best_rest, NameScores(score, matches),
                         target_names, sides, lone)
