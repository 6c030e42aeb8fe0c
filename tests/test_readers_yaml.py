"""YAML glossaries: the list form is in test_formats' table of formats; here the other forms and errors."""

import pytest

from index.errors import GlossaryParseError
from index.sources import load_glossary


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
        ("- term: Alpha\n  definition: One.\n- term: Beta\n  meaning: Two.\n", 3, "unknown field 'meaning'"),
        ("- term: Alpha\n  definition: 3\n", 1, "'definition' must be text"),
        ("Alpha: {aliases: [A]}\n", 1, "missing the 'definition' field"),
    ],
)
def test_errors_name_file_and_line(tmp_path, content, line, message):
    path = write(tmp_path, "bad.yaml", content)
    with pytest.raises(GlossaryParseError) as err:
        load_glossary(path)
    assert message in str(err.value) and err.value.line == line
