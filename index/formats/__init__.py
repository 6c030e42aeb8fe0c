"""Glossary formats. Each reader turns one file (or, for folder formats, one folder) into `Record`s and ends in
`glossary_from_records`, which resolves them the same way for every format; `index.sources` picks the reader."""

from index.formats.records import Record, glossary_from_records, split_names

__all__ = ["Record", "glossary_from_records", "split_names"]
