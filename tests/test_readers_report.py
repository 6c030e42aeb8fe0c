"""The read report: counts and file:line items on Glossary.report, in rebuild-index's summary line and --json."""

import functools
import json
from pathlib import Path

import pytest

from index import build_index
from index import cli as index_cli
from index.formats.markdown import parse_markdown
from index.parse import ReadReport
from tests.conftest import FakeEncoder

FIXTURES = Path(__file__).parent / "fixtures"


def test_summary_line_reads_like_the_issue_asks():
    report = ReadReport(items=450, kind="headings", entries=446, redirects=3,
                        skipped=("/data/terms.md:12: '# Appendix' is a top-level heading with no text",))
    assert report.summary() == ("450 headings -> 446 entries, 3 redirects, 1 skipped (terms.md:12: '# Appendix' is "
                                "a top-level heading with no text)")
    assert ReadReport(items=1, entries=1, aliases=1, warnings=("x",)).summary() == \
        "1 items -> 1 entry, 1 alias, 1 warning"
    assert ReadReport.from_json(json.loads(json.dumps(report.to_json()))) == report


def test_markdown_report_counts_headings_redirects_and_skips():
    text = "# T\n### Alpha (A)\nOne.\n### Beta\nSee **Alpha**.\n### Gamma\nThree, see [Delta](#delta).\n# End\n"
    report = parse_markdown(text, "g.md").report
    assert (report.items, report.kind, report.entries, report.redirects) == (4, "headings", 2, 1)
    assert report.aliases == 3  # "Alpha", "A" from the heading, "Beta" from the redirect
    assert report.skipped == ("g.md:8: '# End' is a top-level heading with no text",)
    assert report.warnings == ("g.md:6: 'Gamma' refers to 'Delta', which is not defined",)


@pytest.fixture
def cli(monkeypatch):
    """rebuild-index in-process with the fake encoder."""
    monkeypatch.setattr(index_cli, "build_index", functools.partial(build_index, encoder=FakeEncoder()))

    def run(*args):
        return index_cli.main(list(args))

    return run


def test_rebuild_summary_names_what_was_read_every_time(tmp_path, cli, capsys):
    args = ["--glossary", str(FIXTURES / "frontmatter"), "--index-dir", str(tmp_path / "ix")]
    assert cli(*args) == 0
    first = capsys.readouterr().out.strip()
    assert first.startswith("Read 5 pages -> 3 entries, 3 aliases, 3 related links, 2 skipped (_index.md:1: a"
                            " section page, not a term, ...), 1 warning. Indexed 3 terms as ")
    assert cli(*args) == 0  # up to date: the report of the build that made the index
    assert capsys.readouterr().out.startswith("Read 5 pages -> 3 entries, 3 aliases, 3 related links, 2 skipped (")


def test_rebuild_json_has_the_read_report_per_glossary(tmp_path, cli, capsys):
    rst = FIXTURES / "sphinx_glossary.rst"
    assert cli("--glossary", str(rst), "--glossary", str(FIXTURES / "deflist.md"), "--index-dir",
               str(tmp_path / "ix"), "--json", "-q") == 0
    out = json.loads(capsys.readouterr().out)
    assert [g["name"] for g in out["glossaries"]] == ["Tiny Glossary", "Tiny Definition List"]
    sphinx = out["glossaries"][0]["read"]
    assert (sphinx["items"], sphinx["entries"], sphinx["redirects"], sphinx["kind"]) == (4, 3, 1, "items")
    assert sphinx["warnings"] == [f"{rst}:26: 'statement' refers to 'loop', which is not defined"]
    assert out["entries"] == 6 and out["up_to_date"] is False
    assert out["summary"].startswith("Read Tiny Glossary: 4 items -> 3 entries")
