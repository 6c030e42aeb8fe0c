"""Markdown definition lists (kramdown, PHP Markdown Extra, MkDocs `def_list`, Pandoc):

    Term
    Other name
    :   The definition, which may go on
        over indented lines and paragraphs.
    :   A second definition of the same term.

The first term line is the entry, the others are aliases. Text outside the lists (a title, a preamble) is not
an entry; the first `#` heading or the front matter's `title` names the glossary.
"""

from __future__ import annotations

import re
from pathlib import Path

from index.formats.macros import drop_templates
from index.formats.markdown import markdown_text
from index.formats.markup import drop_citations, front_matter
from index.formats.records import Record, glossary_from_records
from index.parse import Glossary, read_text
from indexformat.errors import GlossaryParseError

_DEFINITION = re.compile(r"^ {0,3}:(?:[ \t]+|$)(?P<text>.*)$")
_HEADING = re.compile(r"^ {0,3}(?P<marks>#{1,6})[ \t]+(?P<text>.*?)[ #]*$")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")


def is_deflist(text: str) -> bool:
    """More definition-list items than `##`/`###` headings: the file is a definition list."""
    lines = text.splitlines()
    items = sum(1 for n, line in enumerate(lines) if _DEFINITION.match(line) and _term_above(lines, n))
    headings = sum(1 for line in lines if (m := _HEADING.match(line)) and len(m["marks"]) in (2, 3))
    return items > 0 and items > headings


def _term_above(lines: list[str], n: int) -> bool:
    """A term line sits right above a definition (or one blank line above, kramdown's paragraph form)."""
    for back in (1, 2):
        if n - back < 0:
            return False
        above = lines[n - back]
        if above.strip():
            return not _DEFINITION.match(above) and not above.startswith((" ", "\t")) or back == 1
    return False


def parse_deflist(path: Path) -> Glossary:
    meta, text = front_matter(read_text(path))
    lines = drop_citations(drop_templates(text)).split("\n")
    title = meta.get("title", "") if meta and isinstance(meta.get("title"), str) else ""
    records: list[Record] = []
    in_fence = False
    n = 0
    pending_terms: list[tuple[int, str]] = []  # (line, text) of the paragraph just read
    while n < len(lines):
        line = lines[n]
        if _FENCE.match(line):
            in_fence = not in_fence
        if in_fence:
            n += 1
            pending_terms = []
            continue
        if (heading := _HEADING.match(line)) is not None:
            title = title or (heading["text"] if len(heading["marks"]) == 1 else "")
            pending_terms = []
            n += 1
            continue
        match = _DEFINITION.match(line)
        if match is None or not pending_terms and not (records and _continues(lines, n)):
            if not line.strip():
                if n + 1 < len(lines) and _DEFINITION.match(lines[n + 1]):
                    n += 1  # kramdown: a blank line between the term and its definition
                    continue
                pending_terms = []
            elif not line.startswith((" ", "\t")):
                pending_terms.append((n + 1, line.strip()))
            n += 1
            continue
        definitions, n = _definitions(lines, n)
        if pending_terms:
            names = [markdown_text(t)[0] or t for _, t in pending_terms]
            records.append(Record(line=pending_terms[0][0], term=names[0], definition="", aliases=tuple(names[1:])))
            pending_terms = []
        body = "\n\n".join(d for d in definitions if d)
        last = records[-1]
        definition = f"{last.definition}\n\n{body}".strip()
        plain, refs = markdown_text(definition)
        records[-1] = Record(line=last.line, term=last.term, definition=definition, aliases=last.aliases,
                             related=tuple(refs), text=plain)
    if not records:
        raise GlossaryParseError(path, None, "no glossary entries found (expected 'Term' lines, then ': definition')")
    return glossary_from_records(records, path, title.strip() or path.stem, kind="terms")


def _continues(lines: list[str], n: int) -> bool:
    """A `:` line after a definition (no new term between) is another definition of the same term."""
    k = n - 1
    while k >= 0 and not lines[k].strip():
        k -= 1
    return k >= 0 and (bool(_DEFINITION.match(lines[k])) or lines[k].startswith((" ", "\t")))


def _definitions(lines: list[str], n: int) -> tuple[list[str], int]:
    """One `:` definition from line n with its indented (or lazy) continuation; returns it and the next line."""
    body = [_DEFINITION.match(lines[n])["text"]]
    n += 1
    while n < len(lines):
        line = lines[n]
        if not line.strip():
            nxt = next((x for x in lines[n + 1:] if x.strip()), "")
            if nxt.startswith(("    ", "\t")) and not _DEFINITION.match(nxt):
                body.append("")
                n += 1
                continue
            break
        if _DEFINITION.match(line) or _HEADING.match(line):
            break
        body.append(line)
        n += 1
    indent = min((len(x) - len(x.lstrip()) for x in body[1:] if x.strip()), default=0)
    text = "\n".join([body[0], *(x[indent:] for x in body[1:])]).strip()
    return [text], n
