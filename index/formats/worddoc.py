"""Word documents (`.docx`, read with python-docx), in the three ways people lay a glossary out in one:

- a table: a header row naming a term and a definition column (`Term | Definition | Synonyms`, the names the
  spreadsheet reader knows), or, with no such header, two columns whose first holds short names;
- paragraphs that open with the term in bold: "**Latency** - the time a request waits";
- headings: one per term, the paragraphs under it its definition; the terms are the heading level that most
  often has text under it, so a title heading is not a term.

The layout that gives the most entries wins, since a document often mixes them (a heading "Glossary" above a
table, a bold "Note:" in the introduction). A record's line is its paragraph's number in the document (each
table row counts as one). Headings of one letter ("A", "B") are sections, not terms.
"""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from index.formats.records import Record, glossary_from_records
from index.formats.table import document_table
from index.parse import NAME_WORDS, Glossary, bold_lead
from indexformat.errors import GlossaryParseError


@dataclass
class _Layouts:
    """Every record each layout found, in document order."""

    table: list[Record] = field(default_factory=list)
    bold: list[Record] = field(default_factory=list)
    headings: list[Record] = field(default_factory=list)


def parse_docx(path: Path) -> Glossary:
    import docx  # only for a Word document: most builds never import it
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as err:
        raise GlossaryParseError(path, None, f"not a readable .docx document ({err}); save it as .docx again"
                                 ) from None
    layouts = _read(path, document)
    name, records = max((("table", layouts.table), ("bold", layouts.bold), ("headings", layouts.headings)),
                        key=lambda kv: len([r for r in kv[1] if r.definition]))
    if not any(r.definition for r in records):
        raise GlossaryParseError(path, None, "no glossary entries found (no term/definition table, no paragraphs "
                                 "opening with a bold term, no headings with text under them)")
    kind = {"table": "table rows", "bold": "paragraphs", "headings": "headings"}[name]
    title = document.core_properties.title or path.stem
    return glossary_from_records(records, path, title, kind=kind)


def _read(path: Path, document) -> _Layouts:
    from docx.table import Table

    layouts = _Layouts()
    sections: list[tuple[int, int, str, list[str]]] = []  # (number, level, heading, paragraphs under it)
    number = 0
    for block in document.iter_inner_content():
        number += 1
        if isinstance(block, Table):
            rows = [[cell.text.strip() for cell in row.cells] for row in block.rows]
            layouts.table += document_table(path, [(number + i, row) for i, row in enumerate(rows)])
            number += max(len(rows) - 1, 0)
            continue
        text = " ".join(block.text.split())
        if not text:
            continue
        if (level := _heading_level(block)) is not None:
            sections.append((number, level, text, []))
            continue
        if sections:
            sections[-1][3].append(text)
        if (lead := _bold_lead(block)) is not None:
            layouts.bold.append(Record(line=number, term=lead[0], definition=lead[1]))
    # Terms are the headings of the level that most often has text under it; one letter is a section ("A").
    named = [s for s in sections if len(s[2]) > 1 and len(s[2].split()) <= NAME_WORDS]
    levels = Counter(level for _, level, _, body in named if body)
    if levels:
        level = levels.most_common(1)[0][0]
        layouts.headings = [Record(line=n, term=text, definition="\n\n".join(body))
                            for n, lv, text, body in named if lv == level]
    return layouts


def _heading_level(paragraph) -> int | None:
    """1 for "Heading 1" (and "Title": 0), None for body text."""
    style = (paragraph.style.name if paragraph.style is not None else "") or ""
    if style == "Title":
        return 0
    match = re.fullmatch(r"Heading (\d)", style)
    return int(match.group(1)) if match else None


def _bold_lead(paragraph) -> tuple[str, str] | None:
    """("Latency", "the time a request waits") for a paragraph opening with a bold "Latency:" and going on in
    plain text; None otherwise."""
    runs = [r for r in paragraph.runs if r.text]
    bold = []
    for run in runs:
        if not run.bold:
            break
        bold.append(run.text)
    return bold_lead("".join(bold), "".join(r.text for r in runs[len(bold):]))
