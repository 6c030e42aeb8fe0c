"""Read a markdown glossary into entries, laid out in one of the ways markdown glossaries are:

- one entry per `##`/`###` heading (the seed's format);
- a table, `| Term | Definition |` (a header the spreadsheet reader knows, or two columns of names and text);
- lines of list items or paragraphs that open with the term, in bold (`- **Latency**: the time a request
  waits`) or in plain text before a colon or a spaced dash (`Latency - ...`, as a `.txt` glossary often is).

The layout that gives the most entries wins, headings on a tie (a heading glossary may bold its first words);
a table or lead layout needs MIN_LEADS entries.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token

from index.formats.macros import drop_templates
from index.formats.markup import drop_citations, front_matter
from index.formats.records import Record, glossary_from_records
from index.formats.table import document_table
from index.parse import Glossary, Link, bold_lead, read_text
from indexformat.errors import GlossaryParseError

MIN_LEADS = 2  # a page read as a table or as lines led by terms needs this many entries


def parse_file(path: str | Path, source: str | None = None) -> Glossary:
    path = Path(path)
    try:
        text = read_text(path)
    except OSError as err:
        raise GlossaryParseError(path, None, f"cannot read the glossary ({err.strerror})") from None
    return parse_markdown(text, path, source)


def parse_markdown(text: str, path: str | Path = "<glossary>", source: str | None = None) -> Glossary:
    meta, text = front_matter(text)
    text = drop_citations(drop_templates(text))
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    lines = re.split(r"\r\n?|\n", text)  # markdown-it's line breaks (splitlines() also breaks on \x85...)
    title, records, skipped, notes = _split_entries(tokens, lines, path)
    kind = "headings"
    for other, found in (("table rows", _table_records(tokens, path)), ("items", _lead_records(tokens))):
        # one "Note: ..." line in a page of prose is no glossary: a layout needs MIN_LEADS entries
        if len(found) >= MIN_LEADS and len(found) > len([r for r in records if r.definition]):
            kind, records, skipped, notes = other, found, [], []
    if not records:
        raise GlossaryParseError(path, None, "no glossary entries found (expected '## Term' headings, a "
                                 "'| Term | Definition |' table or '- **Term**: definition' items)")
    if meta and isinstance(meta.get("title"), str) and meta["title"].strip():
        title = meta["title"].strip()
    title = title or Path(str(path)).stem
    glossary = glossary_from_records(records, Path(str(path)), source or title, kind=kind, skipped=skipped)
    if notes:
        glossary.warnings[:0] = notes
        glossary.report = replace(glossary.report, warnings=(*notes, *glossary.report.warnings))
    return replace(glossary, title=title)


def _split_entries(tokens: list[Token], lines: list[str], path):
    """Group block tokens under their headings. A heading followed directly by a deeper one is a section.

    Returns (title, records, skipped, notes). The first `#` heading before any entry names the glossary; one
    after entries is an entry too (with a note), never a silent second title.
    """
    title = ""
    headings = [i for i, t in enumerate(tokens) if t.type == "heading_open"]
    if headings and headings[0] > 0:  # preamble: its first line names the glossary
        first_inline = next((t for t in tokens[: headings[0]] if t.type == "inline"), None)
        if first_inline:
            title = first_inline.content.splitlines()[0].strip()
    records, skipped, notes = [], [], []
    for n, start in enumerate(headings):
        end = headings[n + 1] if n + 1 < len(headings) else len(tokens)
        level = int(tokens[start].tag[1])
        term = " ".join(tokens[start + 1].content.split())
        line = tokens[start].map[0] + 1
        body = tokens[start + 3 : end]
        has_body = any(t.type == "inline" and t.content.strip() for t in body)
        next_level = int(tokens[end].tag[1]) if end < len(tokens) else 0
        if level == 1 and not records:  # before any entry: the glossary's title (its text is an introduction)
            title = title or term
            continue
        if not has_body and next_level > level:
            continue  # a section heading such as "## A"
        if level == 1:
            if not has_body:
                skipped.append(f"{path}:{line}: '# {term}' is a top-level heading with no text")
                continue
            notes.append(f"{path}:{line}: '# {term}' is a top-level heading among the entries; read as an entry")
        if not has_body:
            records.append(Record(line=line, term=term, definition=""))
            continue
        blocks = [t for t in body if t.map and t.level == 0]
        first, last = blocks[0].map[0], blocks[-1].map[1]
        definition = "\n".join(lines[first:last]).strip()
        inlines = [t for t in body if t.type == "inline"]
        plain = " ".join(_plain(t) for t in inlines).strip()
        refs = [r for t in inlines for r in _references(t)]
        records.append(Record(line=line, term=term, definition=definition, related=tuple(refs), text=plain))
    return title, records, skipped, notes


def _table_records(tokens: list[Token], path) -> list[Record]:
    """The records of every glossary table in the page (`document_table`), cells read as plain text."""
    found, rows, row = [], [], None
    for token in tokens:
        if token.type == "table_open":
            rows = []
        elif token.type == "tr_open":
            row = (token.map[0] + 1 if token.map else 0, [])
            rows.append(row)
        elif token.type == "inline" and row is not None and token.level > 0:
            row[1].append(_plain(token))
        elif token.type == "table_close":
            found += document_table(Path(str(path)), rows, header_row=True)
            row = None
    return found


def _lead_records(tokens: list[Token]) -> list[Record]:
    """Lines of paragraphs and list items that open with a term and go on with its definition: the term in bold
    (`**Latency**: ...`) or, in plain text, before a colon or a spaced dash (`Latency: ...`, `Latency - ...`)."""
    found = []
    for at, token in enumerate(tokens):
        if token.type != "inline" or tokens[at - 1].type != "paragraph_open" or not token.children:
            continue
        first = token.map[0] + 1 if token.map else 0
        current: Record | None = None  # a lead line's record, which the paragraph's next plain lines continue
        for offset, children in enumerate(_lines(token.children)):
            plain = _words(children)
            if (lead := _bold_lead(children)) is None:
                match = _PLAIN_LEAD.match(plain)
                lead = bold_lead(match["term"], match["rest"]) if match else None
                rest = children
            else:
                lead, rest = lead
            related = tuple(_references(replace(token, children=rest)))
            if lead is not None:
                current = Record(line=first + offset, term=lead[0], definition=lead[1], related=related,
                                 text=lead[1])
                found.append(current)
            elif current is not None:
                joined = f"{current.text} {plain}"
                current = found[-1] = replace(current, definition=joined, text=joined,
                                              related=current.related + related)
    return found


# A term in plain text at the start of a line: a few words without sentence punctuation, then ":" or " - ".
_PLAIN_LEAD = re.compile(r"^(?P<term>[^:.!?()\[\]]{1,60}?)(?P<rest>(?::|\s[-\u2013\u2014])\s+\S.*)$")


def _words(children: list[Token]) -> str:
    """Plain text of a run of an inline's children, as `_plain` reads a whole inline."""
    return _plain(Token("inline", "", 0, children=children))


def _lines(children: list[Token]) -> list[list[Token]]:
    """An inline's children, one list per source line."""
    lines: list[list[Token]] = [[]]
    for child in children:
        if child.type in ("softbreak", "hardbreak"):
            lines.append([])
        else:
            lines[-1].append(child)
    return [line for line in lines if line]


def _bold_lead(children: list[Token]) -> tuple[tuple[str, str], list[Token]] | None:
    """((term, definition), the tokens after the bold term) for a line that opens with a bold term."""
    start = 1 if children[0].type == "text" and not children[0].content.strip() else 0
    if start >= len(children) or children[start].type != "strong_open":
        return None
    close = next((i for i in range(start, len(children)) if children[i].type == "strong_close"), None)
    if close is None:
        return None
    bold = "".join(c.content for c in children[start + 1:close] if c.type in ("text", "code_inline"))
    rest = children[close + 1:]
    lead = bold_lead(bold, _words(rest))
    return (lead, rest) if lead is not None else None


def markdown_text(text: str, target: Callable[[str], str | None] | None = None) -> tuple[str, list[Link]]:
    """Markdown -> (plain text, references), as the heading reader reads a definition. `target` says which
    link addresses point into the glossary, and at what (default: in-page anchors, `#loss` -> "loss")."""
    inlines = [t for t in MarkdownIt("commonmark").parse(text) if t.type == "inline"]
    return " ".join(_plain(t) for t in inlines).strip(), [r for t in inlines for r in _references(t, target)]


def _plain(inline: Token) -> str:
    parts = []
    for child in inline.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return " ".join("".join(parts).split())


def in_page(href: str) -> str | None:
    """`#loss-function` -> "loss-function"; None for a link out of the page."""
    return href[1:] if href.startswith("#") and len(href) > 1 else None


def _references(inline: Token, target: Callable[[str], str | None] | None = None) -> list[Link]:
    """In-page links [Name](#anchor), by their anchor, and **bold** names (mentions)."""
    target = target or in_page
    refs, stack = [], []
    for child in inline.children or []:
        if child.type == "strong_open":
            stack.append(([], Link("", mention=True)))
        elif child.type == "link_open":
            points = target(str(child.attrs.get("href", "")))
            stack.append(([], Link("", target=points) if points else None))
        elif child.type in ("strong_close", "link_close") and stack:
            words, link = stack.pop()
            text = " ".join("".join(words).split())
            if link is not None and (text or link.target):
                refs.append(replace(link, text=text))
        elif child.type in ("text", "code_inline") and stack:
            for words, _ in stack:
                words.append(child.content)
    return refs
