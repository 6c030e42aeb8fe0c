"""End to end: an index built from AsciiDoc, DocBook and HTML glossaries with no format named, each file read by
the reader its content calls for, and searched."""

from __future__ import annotations

from index import build_index
from search import open_index
from tests.test_readers_asciidoc import TINY as ASCIIDOC
from tests.test_readers_docbook import TINY as DOCBOOK
from tests.test_readers_html import PAGE as HTML


def test_index_from_each_new_format_without_a_format(tmp_path, fake_encoder):
    files = {"glossary.txt": ASCIIDOC, "terms.xml": DOCBOOK, "saved-page.html": HTML}
    paths = []
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        paths.append(tmp_path / name)
    report = build_index(paths, tmp_path / "index", encoder=fake_encoder)
    reads = dict(report.reads)
    assert [reads[g].entries for g in ("Tiny Glossary", "Tiny Widget Glossary", "Glossary")] == [4, 3, 3]
    engine = open_index(tmp_path / "index", encoder=fake_encoder)
    by_source = {}
    for entry in engine.entries:
        by_source.setdefault(entry.source, []).append(entry.term)
    assert by_source == {"Tiny Glossary": ["alpha", "beta", "gamma", "delta"],
                         "Tiny Widget Glossary": ["Atomic commit", "Rollback", "Transaction"],
                         "Glossary": ["Loss", "Gradient", "Epoch"]}
    hits = engine.search("vector of partial derivatives of the loss", k=3).hits
    assert hits[0].term == "Gradient"
    assert engine.search("unit of work", k=1).hits[0].term == "Transaction"  # a See entry is a name
