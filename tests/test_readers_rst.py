"""The Sphinx glossary reader, on a hand-checked fixture and on the Python glossary as published."""

from pathlib import Path

import pytest

from index.sources import load_glossary
from tests.conftest import REAL_GLOSSARIES, by_term

FIXTURES = Path(__file__).parent / "fixtures"
PYTHON = REAL_GLOSSARIES / "python" / "glossary.rst"


@pytest.fixture(scope="module")
def tiny():
    return load_glossary(FIXTURES / "sphinx_glossary.rst")


def test_items_terms_and_lines(tiny):
    assert tiny.title == "Tiny Glossary"
    assert [e.term for e in tiny.entries] == [">>>", "interpreter", "statement"]  # `stmt` redirects
    lines = (FIXTURES / "sphinx_glossary.rst").read_text().splitlines()
    assert [lines[e.line - 1].strip() for e in tiny.entries] == ["``>>>``", "interpreter", "statement"]


def test_second_term_line_and_redirect_are_aliases(tiny):
    assert by_term(tiny, "interpreter").aliases == ("REPL",)
    assert by_term(tiny, "statement").aliases == ("stmt",)


def test_roles_become_their_text(tiny):
    interpreter = by_term(tiny, "interpreter")
    assert interpreter.text.startswith(
        "A program that runs code from Compile objects, one statement at a time; see exec() and PEP 8."
    )
    assert "`Compile`" in interpreter.definition and ":class:" not in interpreter.definition
    assert "index" not in interpreter.text and "eval" not in interpreter.text  # `.. index::` ignored
    assert "```\n>>> 1 + 1\n```" in interpreter.definition and ">>> 1" not in interpreter.text
    assert by_term(tiny, "statement").text == "Part of a suite, such as an if block or a loop."


def test_term_roles_are_related_terms(tiny):
    assert by_term(tiny, ">>>").related == ("interpreter",)
    assert by_term(tiny, "interpreter").related == ("statement",)
    statement = by_term(tiny, "statement")
    assert statement.related == () and statement.unresolved == ("loop",)
    assert any("'statement' refers to 'loop'" in w for w in tiny.warnings)


@pytest.fixture(scope="module")
def python():
    if not PYTHON.is_file():
        pytest.skip("the shared real glossaries are not here")
    return load_glossary(PYTHON)


def test_python_glossary_reads_as_published(python):
    redirects = ["GIL", "keyword argument", "MRO", "positional argument", "provisional package"]
    assert len(python.entries) == 123 - len(redirects)
    assert python.title == "Glossary"
    assert python.warnings == []  # every :term: reference names a term of the glossary
    assert by_term(python, "global interpreter lock").aliases == ("GIL",)
    assert by_term(python, "method resolution order").aliases == ("MRO",)
    assert set(by_term(python, "argument").aliases) == {"keyword argument", "positional argument"}


def test_python_glossary_exact_entries(python):
    lock = by_term(python, "global interpreter lock")
    assert lock.text.startswith("The mechanism used by the CPython interpreter to assure that only one thread")
    assert lock.related[:2] == ("CPython", "bytecode")
    abc = by_term(python, "abstract base class")
    assert "hasattr() would be clumsy" in abc.text and "magic methods)" in abc.text  # :ref:`text <label>`
    assert abc.related == ("duck-typing",)
    iterable = by_term(python, "iterable")
    assert "sequence" in iterable.related and "iterator" in iterable.related
    assert [e.term for e in python.entries][:3] == [">>>", "...", "2to3"]
