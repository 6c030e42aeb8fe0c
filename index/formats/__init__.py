"""Glossary file formats. Each reader turns one file into a `Glossary`; `index.sources` picks the reader."""

from index.formats.records import Record, glossary_from_records, split_names

__all__ = ["Record", "glossary_from_records", "split_names"]
