"""Property tests: any text in -> a well-formed answer or one of the library's own errors, nothing else."""

from __future__ import annotations

import math
import os
import unicodedata

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from index.formats.markdown import parse_markdown
from indexformat.errors import GlossaryParseError, QueryError
from search import open_index
from tests.conftest import FakeEncoder

# In CI the examples are fixed (derandomize) so a landing never hangs on a new random find; locally each run
# explores new ones.
PROPERTY = settings(max_examples=150, deadline=None, derandomize=bool(os.environ.get("CI")),
                    suppress_health_check=[HealthCheck.function_scoped_fixture])

# Text that looks like a glossary often enough to reach the deep parts of the parser.
markdown_bits = st.sampled_from([
    "# Title\n", "## ", "### ", "#### ", "\n", "\n\n", "See [Loss Function](#loss-function).", "See **X**.",
    "See Y.", "**Bold**", "[link](#anchor)", "[ext](http://x)", "(Alias)", " (SGD)",
    "Adaptive Moment Estimation. ",
    "- item\n", "```\ncode\n```\n", "<b>html</b>", "<script>x</script>", "| a | b |\n|---|---|\n",
    "> quote\n", "\ufeff", "\u200b", "\x00", "\r\n",
])
loose_text = st.lists(st.one_of(markdown_bits, st.text(max_size=30)), max_size=40).map("".join)
words = st.text(alphabet=st.characters(categories=["L", "N"]), min_size=1, max_size=12)
names = st.one_of(words, st.text(max_size=20), st.sampled_from(
    ["Dropout", "Loss Function", "Stochastic Gradient Descent (SGD)", "Cost Function", "Adam", "A", "ReLU"]))
definitions = st.lists(st.one_of(words, words, markdown_bits, names, st.text(max_size=40)), min_size=1,
                       max_size=6)
entries = st.tuples(st.sampled_from(["## ", "### "]), names, definitions.map(" ".join)).map(
    lambda e: f"{e[0]}{e[1]}\n{e[2]}\n\n")
documents = st.lists(entries, min_size=1, max_size=12).map(lambda es: "# Fuzz Glossary\n\n" + "".join(es))
glossary_text = st.one_of(loose_text, documents)


def check_parse(text: str) -> None:
    try:
        glossary = parse_markdown(text, "fuzz.md")
    except GlossaryParseError as err:
        assert str(err).startswith("fuzz.md") and "\n" not in str(err)
        event("parse error")
        return
    event("entries")
    assert glossary.entries
    terms = [e.term for e in glossary.entries]
    assert len(set(terms)) == len(terms)
    for entry in glossary.entries:
        assert entry.term.strip() and entry.definition.strip()
        assert entry.term not in entry.related  # an entry is not related to itself
        assert set(entry.related) <= set(terms)


@PROPERTY
@given(text=st.one_of(loose_text, st.text()))
def test_parser_on_any_text_gives_entries_or_a_parse_error(text):
    check_parse(text)


@PROPERTY
@given(text=documents)
def test_parser_on_glossary_shaped_text_gives_entries_or_a_parse_error(text):
    check_parse(text)


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    from index import build_index
    from tests.conftest import SEED

    index_dir = tmp_path_factory.mktemp("props") / "index"
    build_index(SEED, index_dir, encoder=FakeEncoder())
    return open_index(index_dir, encoder=FakeEncoder())


any_k = st.one_of(
    st.integers(min_value=-10, max_value=10**12), st.floats(allow_nan=True), st.text(max_size=5), st.none(),
    st.booleans(),
)
questions = st.one_of(st.text(), st.text(alphabet=st.characters(codec="utf-8"), max_size=3000),
                      st.sampled_from(["dropout", "what is sgd", "  ", "<img src=x onerror=alert(1)>"]))


def visible(query: str) -> bool:
    """Whether the question has a character a person can see (control, zero-width, bidi and unassigned ones
    are not)."""
    return any(not ch.isspace() and unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Cn") for ch in query)


def usable_k(k) -> int | None:
    """k as the documented API reads it: a whole number >= 1, as an int, a float like 5.0 or a string; else None."""
    if isinstance(k, float):
        return int(k) if math.isfinite(k) and k.is_integer() and k >= 1 else None
    if isinstance(k, bool) or k is None:
        return None
    try:
        value = int(str(k).strip())
    except ValueError:
        return None
    return value if value >= 1 else None


def check_search(engine, query, k) -> None:
    """Only a question with nothing visible or a k that is no whole number >= 1 may be refused, in one line."""
    asked = usable_k(k)
    try:
        result = engine.search(query, k)
    except QueryError as err:
        assert str(err) and "\n" not in str(err)
        assert asked is None or not visible(query), f"refused a good question: {err}"
        event(f"refused: {'k' if asked is None else 'question'}")
        return
    event("hits")
    assert asked is not None and visible(query)
    hits = result.hits
    assert 1 <= len(hits) <= asked
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True) and all(0.0 <= s <= 1.0 for s in scores)
    assert len({h.term for h in hits}) == len(hits)
    assert result.query and len(result.query) <= 1000 and result.query == result.query.strip()
    assert isinstance(result.no_match, bool)


@PROPERTY
@given(query=questions, k=st.integers(min_value=1, max_value=60))
def test_search_on_any_question_gives_ranked_unique_hits_or_a_library_error(engine, query, k):
    check_search(engine, query, k)


@PROPERTY
@given(query=st.one_of(questions, st.just("how do I avoid overfitting")), k=any_k)
def test_search_with_any_k_gives_ranked_unique_hits_or_a_library_error(engine, query, k):
    check_search(engine, query, k)
