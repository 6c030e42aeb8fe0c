"""HTML glossary pages: the main content's definition lists (or tables, or headings), without the page's chrome."""

from __future__ import annotations

import pytest

from index.formats.htmlpage import parse_html
from index.sources import format_of, load_glossary
from indexformat.errors import GlossaryParseError
from tests.conftest import by_term

# A saved page in the shape Sphinx and MkDocs publish: navigation, a sidebar with its own list, a footer.
PAGE = """\
<!DOCTYPE html>
<html><head><title>Glossary &mdash; Tiny Docs 1.0</title>
<style>dt { font-weight: bold }</style><script>var terms = "<dl><dt>Fake</dt><dd>no</dd></dl>";</script></head>
<body>
<header><nav><a href="index.html">Home</a> <a href="faq.html">FAQ</a></nav></header>
<aside class="sidebar"><dl><dt>Version</dt><dd>1.0</dd><dt>Licence</dt><dd>MIT</dd></dl></aside>
<div role="main" class="document">
<h1>Glossary<a class="headerlink" href="#glossary" title="Permalink">¶</a></h1>
<dl class="glossary simple">
<dt id="term-loss">Loss<a class="headerlink" href="#term-loss">¶</a></dt>
<dt id="term-cost">Cost function</dt>
<dd><p>What training minimises; its <a class="reference internal" href="#term-gradient"><span>slope</span></a>
guides the <em>next</em> step<sup class="reference"><a href="#cite-1">[1]</a></sup>.</p>
<pre>loss = mean((y - p) ** 2)</pre></dd>
<dt id="term-gradient">Gradient</dt>
<dd>The vector of partial derivatives of the <a href="glossary.html#term-loss">loss</a>; see
<a href="https://en.wikipedia.org/wiki/Gradient">Wikipedia</a> and <code>grad()</code>.</dd>
<dt id="term-empty">Empty</dt>
<dd></dd>
<dt id="term-epoch">Epoch</dt>
<dd><ul><li>One pass over the data.</li><li>Counted from one.</li></ul></dd>
</dl>
</div>
<footer><p>&copy; 2024 Tiny Docs. Built with Sphinx.</p></footer>
</body></html>
"""


@pytest.fixture
def page(tmp_path):
    path = tmp_path / "glossary.html"
    path.write_text(PAGE, encoding="utf-8")
    return parse_html(path)


def test_entries_come_from_the_main_content_only(page):
    assert page.title == "Glossary"
    assert [e.term for e in page.entries] == ["Loss", "Gradient", "Epoch"]
    words = " ".join(e.term + " " + e.text for e in page.entries)
    for chrome in ("Version", "Licence", "Home", "FAQ", "Tiny Docs", "Fake", "font-weight", "¶", "[1]"):
        assert chrome not in words


def test_several_terms_for_one_definition_are_aliases(page):
    loss = by_term(page, "Loss")
    assert loss.aliases == ("Cost function",)
    assert loss.anchor == "term-loss"


def test_links_to_entry_anchors_are_related_terms(page):
    assert by_term(page, "Loss").related == ("Gradient",)  # "#term-gradient", whatever its text ("slope")
    assert by_term(page, "Gradient").related == ("Loss",)  # "glossary.html#term-loss": this page, saved
    assert not any(e.unresolved for e in page.entries)


def test_text_is_plain_and_code_blocks_stay_out_of_it(page):
    loss = by_term(page, "Loss")
    assert loss.text == "What training minimises; its slope guides the next step."
    assert "```\nloss = mean((y - p) ** 2)\n```" in loss.definition
    assert by_term(page, "Gradient").text == ("The vector of partial derivatives of the loss; see Wikipedia and "
                                              "grad().")
    assert by_term(page, "Epoch").definition == "- One pass over the data.\n- Counted from one."


def test_an_empty_definition_is_a_warning(page, tmp_path):
    assert page.warnings == [f"{tmp_path / 'glossary.html'}:18: the entry 'Empty' has an empty definition; skipped"]
    assert page.report.items == 4 and page.report.entries == 3


TABLE = """\
<html><body><main><h1>Terms</h1>
<table><thead><tr><th>Term</th><th>Definition</th><th>Synonyms</th></tr></thead>
<tbody><tr><td><strong>Bag</strong></td><td>A packaged set of files.</td><td>BagIt bag; package</td></tr>
<tr><td>Checksum</td><td>A fingerprint of a <a href="#bag">bag</a>'s file.</td><td></td></tr></tbody></table>
</main></body></html>
"""


def test_a_table_with_term_and_definition_columns(tmp_path):
    path = tmp_path / "terms.htm"
    path.write_text(TABLE, encoding="utf-8")
    glossary = load_glossary(path)
    assert [e.term for e in glossary.entries] == ["Bag", "Checksum"]
    assert by_term(glossary, "Bag").aliases == ("BagIt bag", "package")
    assert by_term(glossary, "Checksum").text == "A fingerprint of a bag's file."


HEADINGS = """\
<html><body><article><h1>Glossary</h1><p>Words we use.</p>
<h2 id="alpha">Alpha</h2><p>The first letter.</p><p>Also a <a href="#beta">beta</a> neighbour.</p>
<h2 id="beta">Beta</h2><p>The second letter.</p>
</article></body></html>
"""


def test_headings_and_paragraphs_when_there_is_no_list(tmp_path):
    path = tmp_path / "page"  # no extension: the content says HTML
    path.write_text(HEADINGS, encoding="utf-8")
    assert format_of(path) == "html"
    glossary = load_glossary(path)
    assert [e.term for e in glossary.entries] == ["Alpha", "Beta"]
    alpha = by_term(glossary, "Alpha")
    assert alpha.text == "The first letter. Also a beta neighbour." and alpha.related == ("Beta",)


def test_a_page_without_a_glossary_is_one_clear_error(tmp_path):
    path = tmp_path / "about.html"
    path.write_text("<html><body><main><p>Nothing to define.</p></main></body></html>", encoding="utf-8")
    with pytest.raises(GlossaryParseError, match="no glossary entries found"):
        load_glossary(path)
