"""Glossaries as their projects publish them (issue 20): bad entries as warnings and --strict, names as
written, links by their target, term-folder pages with documentation macros, JSON front matter; then the real
NumPy, MDN and FORRT glossaries from ../shared (skipped when absent)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from index import build_index
from index import cli as index_cli
from index.formats.macros import expand_macros
from index.formats.markdown import parse_markdown
from index.formats.markup import front_matter
from index.sources import glossary_files, load_glossary
from indexformat.errors import GlossaryWarningsError
from tests.conftest import REAL_GLOSSARIES, FakeEncoder, by_term

NUMPY = REAL_GLOSSARIES / "numpy" / "glossary.rst"
MDN = REAL_GLOSSARIES / "mdn"
FORRT = REAL_GLOSSARIES / "forrt"
LEFTOVERS = re.compile(r"\{\{|\[!NOTE\]|\[!WARNING\]|\{%")


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


BAD_MARKDOWN = ("# Terms\n\n### Alpha\n\n### Beta\nSee [Gamma](#gamma).\n\n"
                "### Endian\nSee [Endianness](https://en.wikipedia.org/wiki/Endianness).\n\n### Delta\nFourth.\n")


def test_one_empty_entry_and_one_see_link_build_with_two_warnings_and_fail_strict(tmp_path, capsys):
    path = write(tmp_path, "g.md", BAD_MARKDOWN)
    report = build_index([path], tmp_path / "ix", encoder=FakeEncoder())
    assert report.manifest.entries == 3  # Beta and Endian read as written, Delta; Alpha left out
    assert report.warnings == [
        f"{path}:3: the entry 'Alpha' has an empty definition; skipped",
        f"{path}:5: 'Beta' redirects to 'Gamma', which is not defined; kept as an entry",
    ]
    with pytest.raises(GlossaryWarningsError) as err:
        build_index([path], tmp_path / "strict", encoder=FakeEncoder(), strict=True)
    assert err.value.warnings == report.warnings
    assert not (tmp_path / "strict" / "CURRENT").exists()  # nothing published

    args = ["--glossary", str(path), "--index-dir", str(tmp_path / "cli")]
    index_cli.build_index = _fake_build(index_cli.build_index)
    try:
        assert index_cli.main([*args, "--strict"]) == 1
        lines = capsys.readouterr().err.strip().splitlines()
        assert lines == [f"rebuild-index: error: {w}" for w in report.warnings]  # one line per problem
        assert index_cli.main(args) == 0
        err = capsys.readouterr().err
        assert err.count("warning: ") == 2
    finally:
        index_cli.build_index = build_index


def _fake_build(real):
    def build(*args, **kwargs):
        return real(*args, encoder=FakeEncoder(), **kwargs)

    return build


def test_see_external_link_is_an_entry_with_its_sentence():
    glossary = parse_markdown(BAD_MARKDOWN, "g.md")
    endian = by_term(glossary, "Endian")
    assert endian.text == "See Endianness." and endian.related == () and endian.unresolved == ()


def test_names_differing_in_case_are_two_entries_each_found_by_its_spelling(tmp_path):
    from search import open_index

    path = write(tmp_path, "git.md", "# Git\n\n### HEAD\nThe commit the working tree is based on.\n\n"
                 "### head\nA named reference to the commit at the tip of a branch.\n\n"
                 "### detached\nWhen [HEAD](#HEAD) names a commit, not a [branch head](#head).\n")
    glossary = load_glossary(path)
    assert [e.term for e in glossary.entries] == ["HEAD", "head", "detached"]
    assert glossary.warnings == []  # two names, not a duplicate
    build_index([path], tmp_path / "ix", encoder=FakeEncoder())
    engine = open_index(tmp_path / "ix", encoder=FakeEncoder())
    assert engine.lookup("HEAD").term == "HEAD" and engine.lookup("head").term == "head"
    assert engine.lookup("Head") is not None  # another case still finds one
    assert engine.search("HEAD", 2).hits[0].term == "HEAD"
    assert engine.search("head", 2).hits[0].term == "head"


def test_repeated_anchors_are_numbered_as_github_does():
    glossary = parse_markdown("### HEAD\nThe current commit.\n### head\nA branch tip.\n"
                              "### detached\nWhen [HEAD](#head) is not a [head](#head-1).\n", "g.md")
    assert [e.anchor for e in glossary.entries] == ["head", "head-1", "detached"]
    assert by_term(glossary, "detached").related == ("HEAD", "head")


def test_a_sense_beside_its_bare_name_keeps_no_alias_and_no_warning():
    glossary = parse_markdown("### Block\nMay mean several things.\n### Block (CSS)\nA box of the layout.\n",
                              "g.md")
    block = by_term(glossary, "Block (CSS)")
    assert block.aliases == () and block.qualifier == "CSS" and glossary.warnings == []


def test_duplicate_spelled_the_same_is_a_warning_not_an_error():
    glossary = parse_markdown("### Bank\nWhere money is kept.\n### Bank\nThe side of a river.\n", "g.md")
    assert [e.term for e in glossary.entries] == ["Bank", "Bank (2)"]
    assert len(glossary.warnings) == 1 and "kept apart as 'Bank (2)'" in glossary.warnings[0]


def test_links_resolve_by_target_and_text_only_without_one():
    glossary = parse_markdown("### Parent\nA commit before.\n### Commit\nHas [parents](#parent) and a "
                              "[Parent](#nowhere) and a [Commit](#commit).\n", "g.md")
    commit = by_term(glossary, "Commit")
    assert commit.related == ("Parent",)  # by the anchor "parent", not the text "parents"
    assert commit.unresolved == ("Parent",)  # a target that exists nowhere is not rescued by the link's text
    assert glossary.warnings == ["g.md:3: 'Commit' refers to 'Parent', which is not defined"]


def test_bold_lead_ins_are_no_references():
    glossary = parse_markdown("### Print\n**In printouts**, the page. See **Page**.\n### Page\nA sheet.\n", "g.md")
    assert glossary.warnings == [] and by_term(glossary, "Print").related == ("Page",)


def test_parenthesis_naming_another_entry_is_a_qualifier_and_an_alias_naming_one_is_dropped(tmp_path):
    glossary = parse_markdown("### DOM (Document Object Model)\nThe page as objects.\n"
                              "### Node (DOM)\nOne point of the DOM tree.\n", "g.md")
    node = by_term(glossary, "Node (DOM)")
    assert node.aliases == () and node.qualifier == "DOM" and glossary.warnings == []
    assert by_term(glossary, "DOM (Document Object Model)").aliases == ("DOM", "Document Object Model")
    path = write(tmp_path, "g.json", json.dumps([
        {"term": "Loss", "definition": "What training lowers.", "aliases": ["Cost"]},
        {"term": "Cost", "definition": "Money spent."}]))
    loaded = load_glossary(path)
    assert by_term(loaded, "Loss").aliases == ()
    assert loaded.warnings == [f"{path}:1: 'Loss' has the alias 'Cost', which is an entry of its own ({path}:1);"
                               " the alias is dropped"]


def test_kumascript_hugo_and_callouts_read_as_their_text():
    linked: list[str] = []
    text = ('> [!NOTE]\n> The {{Glossary("HTTP")}} {{Glossary("TCP", "protocol")}} and {{domxref("Window.fetch()")}}'
            ' with {{cssxref("color")}}, {{HTMLElement("video")}}, {{jsxref("Promise", "promises")}}, '
            '{{HTTPHeader("Accept")}}, {{RFC(9110)}}, {{Unknown("shown", "better")}}{{GlossarySidebar}}'
            '{{EmbedLiveSample("Examples")}} {{< glossary_tooltip text="nodes" term_id="node" >}}.\n')
    out = expand_macros(text, linked.append, lambda name, attrs: attrs.get("text", ""))
    assert out == ("> \n> The HTTP protocol and `Window.fetch()` with `color`, `<video>`, `promises`, `Accept`, "
                   "RFC 9110, better nodes.\n")
    assert linked == ["HTTP", "TCP"]


def test_json_and_toml_front_matter():
    meta, body = front_matter('{\n  "title": "Bias",\n  "definition": "A lean."\n}\nBody.\n')
    assert meta == {"title": "Bias", "definition": "A lean."} and body == "\n\n\n\nBody.\n"
    meta, body = front_matter('+++\ntitle = "Bias"\n+++\nBody.\n')
    assert meta == {"title": "Bias"} and body.endswith("Body.\n")


def _term_folder(root: Path) -> Path:
    folder = root / "glossary"
    page = "---\ntitle: {title}\nslug: Glossary/{slug}\npage-type: {kind}\n---\n\n{body}\n"
    write(folder, "index.md", page.format(title="Web terms", slug="", kind="landing-page", body="Welcome."))
    write(folder, "http/index.md", page.format(title="HTTP", slug="HTTP", kind="glossary-definition", body=(
        "The {{Glossary(\"Protocol\", \"protocol\")}} of the {{Glossary(\"World_Wide_Web\", \"Web\")}}.\n\n"
        "## Versions\n\nSee {{Glossary(\"Node\")}}.\n\n> [!NOTE]\n> Text stays.\n\n"
        "## See also\n\n- [Protocol](/en-US/docs/Glossary/Protocol)\n- [Spec](https://example.org/http)\n")))
    write(folder, "protocol/index.md", page.format(title="Protocol", slug="Protocol", kind="glossary-definition",
                                                   body="Rules for data between computers."))
    write(folder, "world_wide_web/index.md", page.format(title="World Wide Web", slug="World_Wide_Web",
                                                         kind="glossary-definition", body="Linked pages."))
    write(folder, "node/index.md", page.format(title="Node", slug="Node", kind="glossary-disambiguation",
                                               body="**Node** may mean:\n\n{{GlossaryDisambiguation}}"))
    write(folder, "node/dom/index.md", page.format(title="Node (DOM)", slug="Node/DOM", kind="glossary-definition",
                                                   body="A point of the {{Glossary(\"DOM\")}} tree."))
    write(folder, "dom/index.md", page.format(title="DOM", slug="DOM", kind="glossary-definition",
                                              body="The document as objects."))
    return folder


def test_term_folders_read_as_one_glossary_with_their_report(tmp_path):
    folder = _term_folder(tmp_path)
    assert glossary_files([tmp_path]) == [folder]  # the folder of term folders is one glossary
    glossary = load_glossary(folder)
    assert glossary.title == "Web terms"
    assert [e.term for e in glossary.entries] == ["DOM", "HTTP", "Node (DOM)", "Protocol", "World Wide Web"]
    http = by_term(glossary, "HTTP")
    assert http.text == "The protocol of the Web. Versions See Node. Text stays."  # sub-headings kept
    assert http.related == ("Protocol", "World Wide Web")  # by slug; "See also" links to entries too
    node = by_term(glossary, "Node (DOM)")
    assert node.qualifier == "DOM" and node.aliases == () and node.related == ("DOM",)
    assert glossary.warnings == []
    assert glossary.report.skipped == (
        f"{folder / 'index.md'}:1: a landing page, not a term",
        f"{folder / 'node' / 'index.md'}:1: 'Node' is a disambiguation page, not a term; its meanings are "
        "entries: 'Node (DOM)'",
    )
    assert glossary.report.related == 3
    assert not any(LEFTOVERS.search(e.definition) or LEFTOVERS.search(e.text) for e in glossary.entries)


def test_rebuild_prints_and_returns_what_each_glossary_skipped(tmp_path, capsys):
    folder = _term_folder(tmp_path)
    index_cli.build_index = _fake_build(index_cli.build_index)
    try:
        assert index_cli.main(["--glossary", str(folder), "--index-dir", str(tmp_path / "ix")]) == 0
        captured = capsys.readouterr()
        assert f"skipped: {folder / 'index.md'}:1: a landing page, not a term" in captured.err.splitlines()
        assert captured.out.startswith("Read 7 pages -> 5 entries, ")
        assert index_cli.main(["--glossary", str(folder), "--index-dir", str(tmp_path / "ix"), "--json"]) == 0
        read = json.loads(capsys.readouterr().out)["glossaries"][0]["read"]
        assert (read["entries"], read["related"], len(read["skipped"])) == (5, 3, 2)
    finally:
        index_cli.build_index = build_index


def test_json_front_matter_pages_with_a_section_page(tmp_path):
    folder = tmp_path / "forrt"
    write(folder, "_index.md", "---\ntitle: Open terms\n---\nIntro.\n")
    write(folder, "references/index.md", "---\ntitle: List of References\n---\nA list.\n")
    write(folder, "bias.md", json.dumps({"title": "Bias", "definition": "A systematic lean.",
                                         "related_terms": ["Open data", "Topic without entry"],
                                         "alt_related_terms": [None], "references": ["Someone (2020)"]}))
    write(folder, "open-data.md", json.dumps({"title": "Open data", "definition": "Data anyone may use.",
                                              "related_terms": [], "alt_definition": "Free data."}))
    glossary = load_glossary(folder)
    assert glossary.title == "Open terms" and [e.term for e in glossary.entries] == ["Bias", "Open data"]
    assert by_term(glossary, "Bias").related == ("Open data",) and glossary.warnings == []
    assert by_term(glossary, "Open data").text == "Data anyone may use. Free data."
    assert [s.split(":1:")[0] for s in glossary.report.skipped] == [str(folder / "_index.md"),
                                                                   str(folder / "references" / "index.md")]


# The real glossaries, as published (../shared/real-glossaries), with no --format.

def _real(path: Path):
    if not path.exists():
        pytest.skip(f"{path} is not here")
    (found,) = glossary_files([path])
    return load_glossary(found)


def test_numpy_reads_with_no_warnings():
    glossary = _real(NUMPY)
    assert len(glossary.entries) >= 47 and glossary.warnings == []
    assert by_term(glossary, "big-endian").text.startswith("See Endianness")  # "See <external link>."
    assert "copy" in by_term(glossary, "view").aliases  # "See :term:`view`." is a redirect


def test_mdn_reads_its_term_folders_without_macros():
    glossary = _real(MDN)
    assert len(glossary.entries) >= 610
    assert not [e.term for e in glossary.entries if LEFTOVERS.search(e.definition) or LEFTOVERS.search(e.text)]
    node = by_term(glossary, "Node (DOM)")
    assert "DOM" not in node.aliases and node.qualifier == "DOM"
    http = by_term(glossary, "HTTP")
    assert {"Protocol", "World Wide Web", "REST"} <= set(http.related)
    # The nine pages marked `page-type: glossary-disambiguation`, and Engine, marked a definition but only
    # listing meanings ({{GlossaryDisambiguation}}).
    assert sum("disambiguation page" in s for s in glossary.report.skipped) == 10
    # Left: glossary links to pages this copy of MDN does not have (real broken links), each named.
    assert all("which is not defined" in w for w in glossary.warnings) and len(glossary.warnings) <= 10
    assert not any("**" in w or "'Engine'" in w for w in glossary.warnings)  # no bold, no disambiguation


def test_forrt_reads_its_json_pages():
    glossary = _real(FORRT)
    assert len(glossary.entries) == 261 and glossary.warnings == []
    assert len(glossary.report.skipped) == 2
    assert sum(len(e.related) for e in glossary.entries) > 261


@pytest.mark.real_model
def test_a_definition_question_answers_its_term_first_on_each_real_glossary(tmp_path):
    import shutil

    from indexformat.encoder import SentenceTransformerEncoder
    from search import open_index

    if not all(path.exists() for path in (NUMPY, MDN, FORRT)):
        pytest.skip("the real glossaries are not here")
    mdn = tmp_path / "mdn"  # MDN's landing page and its 70 "c" terms: the whole of it takes minutes to embed
    mdn.mkdir()
    shutil.copy(MDN / "index.md", mdn / "index.md")
    for folder in MDN.glob("c*"):
        shutil.copytree(folder, mdn / folder.name)
    forrt = tmp_path / "forrt"  # likewise FORRT's section page and its "p" terms
    forrt.mkdir()
    for page in [FORRT / "_index.md", *FORRT.glob("p*.md")]:
        shutil.copy(page, forrt / page.name)
    cases = [(NUMPY, "what is broadcasting in numpy?", "broadcast"),
             (mdn, "what is CORS?", "CORS"),
             (forrt, "what does preregistration mean?", "Preregistration")]
    encoder = SentenceTransformerEncoder()
    for n, (path, question, expected) in enumerate(cases):
        build_index([path], tmp_path / str(n), encoder=encoder)
        top = open_index(tmp_path / str(n), encoder=encoder).search(question, 3).hits[0].term
        assert top == expected, (path.name, question, top)
