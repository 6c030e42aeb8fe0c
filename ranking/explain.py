"""Why an entry matched, as data; `why_text` is the one place the readable line is made from it."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum


class Kind(StrEnum):
    """Kinds of explanation, strongest evidence first."""

    NAME = "name"
    ALIAS = "alias"
    ACRONYM = "acronym"
    SHORT_FOR = "short for"
    KEYWORDS = "keywords"
    HOWTO = "how-to"
    COMPARED = "compared"
    SENTENCE = "sentence"
    DEFINITION = "definition"


# The kinds by their old module-level names, for the edges that read them.
NAME, ALIAS, ACRONYM, SHORT_FOR = Kind.NAME, Kind.ALIAS, Kind.ACRONYM, Kind.SHORT_FOR
KEYWORDS, HOWTO, COMPARED, SENTENCE, DEFINITION = (Kind.KEYWORDS, Kind.HOWTO, Kind.COMPARED, Kind.SENTENCE,
                                                    Kind.DEFINITION)


@dataclass(frozen=True)
class Why:
    kind: Kind
    matched: str = ""  # what the question matched: a name, an acronym, keywords, the side compared
    passage: str = ""  # the entry's sentence that holds the match (the page marks it)
    typos: tuple[tuple[str, str], ...] = ()  # the question's typo fixes, (as typed, fixed)

    def to_json(self) -> dict:
        data = asdict(self)
        data["kind"] = str(self.kind)
        data["typos"] = [list(pair) for pair in self.typos]
        return data


def why_text(why: Why) -> str:
    """ "typo: dropuot → dropout; name: Dropout", "keywords: velocity — <sentence>", "acronym: ICS = ..."."""
    if why.kind == ACRONYM:
        body = f"{why.kind}: {why.matched.upper()} = {why.passage}"
    elif why.kind in (KEYWORDS, HOWTO):
        body = f"{why.kind}: {why.matched} — {why.passage}"
    elif why.kind in (SENTENCE, DEFINITION):
        body = f"{why.kind}: {why.passage}"
    else:
        body = f"{why.kind}: {why.matched}"
    return with_typos(why, body)


def with_typos(why: Why, body: str) -> str:
    """`body` after the typo fixes that found it: "typo: dropuot → dropout; name: Dropout"."""
    if not why.typos:
        return body
    return "typo: " + ", ".join(f"{a} → {b}" for a, b in why.typos) + "; " + body
