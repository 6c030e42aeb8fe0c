"""The AsciiDoc, DocBook and HTML readers' own warnings ("file:line: what was done") put in front of the shared
resolver's, which leaves out a record with no term or no definition (one bad entry never fails a read)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from index.formats.records import Record, glossary_from_records
from index.parse import Glossary


def glossary_with_notes(records: Sequence[Record], path: Path, title: str, kind: str,
                        notes: Sequence[str], left_out: int = 0) -> Glossary:
    """`glossary_from_records` on the usable records, the reader's own warnings first in the report.
    `left_out` counts the items the reader itself left out (each with a note), so the report counts them read."""
    glossary = glossary_from_records(records, path, title, kind=kind)  # it leaves out empty records, warning
    if notes or left_out:
        glossary.warnings[:0] = notes
        glossary.report = replace(glossary.report, items=glossary.report.items + left_out,
                                  warnings=(*notes, *glossary.report.warnings))
    return glossary
