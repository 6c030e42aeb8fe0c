"""YAML glossaries: the list form is in test_formats' table of formats; here the other forms and errors."""

import pytest

from index.sources import load_glossary
from indexformat.errors import GlossaryParseError


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_mapping_from_term_to_definition(tmp_path):
    path = write(tmp_path, "g.yml", "Alpha: The first letter.\n\nBeta:\n  definition: The second letter.\n"
                 "  aliases: [B]\n  related: [Alpha]\n")
    alpha, beta = load_glossary(path).entries
    assert (alpha.term, alpha.text, alpha.line) == ("Alpha", "The first letter.", 1)
    assert (beta.term, beta.aliases, beta.related, beta.line) == ("Beta", ("B",), ("Alpha",), 3)


def test_list_under_a_terms_key(tmp_path):
    path = write(tmp_path, "g.yaml", "terms:\n  - term: Alpha\n    definition: One.\n  - term: Beta\n"
                 "    definition: See Alpha.\n")
    glossary = load_glossary(path)
    assert [(e.term, e.aliases, e.line) for e in glossary.entries] == [("Alpha", ("Beta",), 2)]
    assert glossary.report.redirects == 1


@pytest.mark.parametrize(
    "content, line, message",
    [
        ("- term: Alpha\n  definition: [unclosed\n", 3, "not valid YAML"),
        ("", None, "no glossary entries"),
        ("just text\n", 1, "expected a list of objects"),
        ("- term: Alpha\n  definition: One.\n- term: Beta\n  notes: Two.\n", 3, "missing the 'definition' field"),
        ("- term: Alpha\n  definition: 3\n", 1, "'definition' must be text"),
        ("Alpha: {aliases: [A]}\n", 1, "missing the 'definition' field"),
    ],
)
def test_errors_name_file_and_line(tmp_path, content, line, message):
    path = write(tmp_path, "bad.yaml", content)
    with pytest.raises(GlossaryParseError) as err:
        load_glossary(path)
    assert message in str(err.value) and err.value.line == line


def test_one_block_per_language_is_read_as_a_concept(tmp_path):
    """Glosario's layout: a key, related keys, and one block per language with term, acronym and definition."""
    path = write(tmp_path, "glosario.yml", """
- slug: abstract_syntax_tree
  ref: [parse]
  en: {term: abstract syntax tree, acronym: AST, def: "A nested [data structure](#data_structure) for a program."}
  fr: {term: arbre syntaxique abstrait, def: "Une structure de données."}
- slug: data_structure
  en: {term: data structure, def: "A way of laying out data."}
- slug: parse
  en: {term: parse, def: "To turn text into a tree."}
""")
    entries = {e.term: e for e in load_glossary(path).entries}
    ast = entries["abstract syntax tree"]
    assert ast.text == "A nested data structure for a program." and ast.language == "en"
    assert {"AST", "arbre syntaxique abstrait"} <= set(ast.aliases)
    assert set(ast.related) == {"data structure", "parse"}
    assert ast.translations == (("fr", "arbre syntaxique abstrait", "Une structure de données."),)
