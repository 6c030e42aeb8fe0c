"""One bad entry is a warning, never a failed read: what the AsciiDoc, DocBook and HTML readers share.

A record with no term or no definition is left out with a "file:line: what was done" warning, so that the rest
of the glossary is read; the shared resolver then never sees it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from index.formats.records import Record, glossary_from_records
from index.parse import Glossary


def usable(records: Sequence[Record], path: Path, notes: list[str]) -> list[Record]:
    """The records that can be entries; each other one adds a warning to `notes`."""
    kept = []
    for record in records:
        where = f"{record.file or path}:{record.line}"
        if not record.term:
            notes.append(f"{where}: an entry has an empty term; left out")
        elif not record.definition and not record.redirect:
            notes.append(f"{where}: the entry '{record.term}' has an empty definition; left out")
        else:
            kept.append(record)
    return kept


def glossary_with_notes(records: Sequence[Record], path: Path, title: str, kind: str,
                        notes: Sequence[str], left_out: int = 0) -> Glossary:
    """`glossary_from_records` on the usable records, the reader's own warnings first in the report.
    `left_out` counts the items the reader itself left out (each with a note), so the report counts them read."""
    notes = list(notes)
    kept = usable(records, path, notes)
    glossary = glossary_from_records(kept, path, title, kind=kind)
    if notes or left_out:
        glossary.warnings[:0] = notes
        glossary.report = replace(glossary.report, items=glossary.report.items + len(records) - len(kept) + left_out,
                                  warnings=(*notes, *glossary.report.warnings))
    return glossary
