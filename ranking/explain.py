"""Why an entry matched, as data; `why_text` is the one place the readable line is made from it."""

from __future__ import annotations

from dataclasses import asdict, dataclass

# Kinds of explanation, strongest evidence first.
NAME, ALIAS, ACRONYM, SHORT_FOR = "name", "alias", "acronym", "short for"
KEYWORDS, HOWTO, COMPARED, SENTENCE, DEFINITION = "keywords", "how-to", "compared", "sentence", "definition"


@dataclass(frozen=True)
class Why:
    kind: str  # one of the kinds above
    matched: str = ""  # what the question matched: a name, an acronym, keywords, the side compared
    passage: str = ""  # the entry's sentence that holds the match (the page marks it)
    typos: tuple[tuple[str, str], ...] = ()  # the question's typo fixes, (as typed, fixed)

    def to_json(self) -> dict:
        data = asdict(self)
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
    if why.typos:
        body = "typo: " + ", ".join(f"{a} → {b}" for a, b in why.typos) + "; " + body
    return body
