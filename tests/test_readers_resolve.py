"""What every format shares after reading: redirects, duplicates, aliases that clash, problems in one run."""

import json

import pytest

from index.formats.markdown import parse_markdown
from index.sources import load_glossary


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def csv(tmp_path, rows, header="term,definition"):
    return write(tmp_path, "g.csv", header + "\n" + "".join(f"{row}\n" for row in rows))


@pytest.mark.parametrize("name", ["g.json", "g.csv", "g.yaml", "g.md"])
def test_see_redirects_are_aliases_in_every_format(tmp_path, name):
    rows = [("global interpreter lock", "The lock that lets one thread run Python bytecode at a time."),
            ("GIL", "See global interpreter lock.")]
    text = {
        "g.json": json.dumps([{"term": t, "definition": d} for t, d in rows]),
        "g.csv": "term,definition\n" + "".join(f'"{t}","{d}"\n' for t, d in rows),
        "g.yaml": "".join(f"- term: {t}\n  definition: {d}\n" for t, d in rows),
        "g.md": "".join(f"### {t}\n{d}\n\n" for t, d in rows),
    }[name]
    glossary = load_glossary(write(tmp_path, name, text))
    assert [(e.term, e.aliases) for e in glossary.entries] == [("global interpreter lock", ("GIL",))]
    assert glossary.report.redirects == 1 and glossary.report.entries == 1 and glossary.report.items == 2


def test_redirect_to_a_redirect_and_plain_see_text(tmp_path):
    path = csv(tmp_path, ["Alpha,The first letter.", "A,See Alpha.", "Alef,See A.",
                          "Beta,See the chapter on letters."])
    glossary = load_glossary(path)
    assert [(e.term, e.aliases) for e in glossary.entries] == [("Alpha", ("A", "Alef")), ("Beta", ())]
    assert f"{path}:5: 'Beta' reads like a redirect to 'the chapter on letters', which is not defined; " \
           "kept as an entry" in glossary.warnings


def test_versions_of_one_concept_are_merged(tmp_path):
    path = csv(tmp_path, ['Alpha,"The first letter of the Greek alphabet."',
                          'Beta,"The second letter."',
                          'ALPHA,"The first letter of the Greek alphabet, written α."'], "term,definition")
    glossary = load_glossary(path)
    assert [e.term for e in glossary.entries] == ["Alpha", "Beta"]
    assert glossary.entries[0].text == "The first letter of the Greek alphabet, written α."  # the fuller one
    assert glossary.report.merged == (f"{path}:4: 'ALPHA' is also defined at {path}:2 with the same meaning; "
                                      "merged into one entry",)


def test_different_senses_are_kept_apart_with_a_qualifier(tmp_path):
    path = csv(tmp_path, ['Bank,"The land alongside a river or lake."', 'Bank,"A company that keeps money safe."'])
    glossary = load_glossary(path)
    first, second = glossary.entries
    assert (first.term, first.qualifier, first.aliases) == ("Bank", "", ())
    assert (second.term, second.qualifier, second.aliases) == ("Bank (2)", "2", ("Bank",))
    assert glossary.report.kept_apart == (f"{path}:3: 'Bank' is also defined at {path}:2 with another meaning;"
                                          " kept apart as 'Bank (2)'",)
    assert glossary.warnings == list(glossary.report.kept_apart)  # no note about the shared name


def test_a_redirect_and_a_definition_of_one_name_keep_the_definition(tmp_path):
    glossary = parse_markdown("### Loss\nHow wrong a model is.\n### Cost\nSee **Loss**.\n### Cost\nMoney spent.\n",
                              "g.md")
    assert [(e.term, e.aliases) for e in glossary.entries] == [("Loss", ()), ("Cost", ())]
    assert glossary.report.merged == ("g.md:3: 'Cost' redirects, but is also defined at g.md:5; "
                                      "the definition is kept",)


def test_an_alias_that_is_another_entrys_name_is_dropped_and_reported(tmp_path):
    path = write(tmp_path, "g.json", json.dumps([
        {"term": "Loss", "definition": "How wrong a model is.", "aliases": ["Cost", "Error"]},
        {"term": "Cost", "definition": "Money spent on training."},
    ]))
    glossary = load_glossary(path)
    assert [(e.term, e.aliases) for e in glossary.entries] == [("Loss", ("Error",)), ("Cost", ())]
    assert glossary.warnings == [f"{path}:1: 'Loss' has the alias 'Cost', which is an entry of its own "
                                 f"({path}:1); the alias is dropped"]


def test_every_problem_is_a_warning_and_the_rest_is_read():
    text = "### Alpha\n\n### Beta\nSee [Gamma](#gamma).\n### Delta\n\n### Epsilon\nFine.\n"
    glossary = parse_markdown(text, "g.md")
    assert [e.term for e in glossary.entries] == ["Beta", "Epsilon"]  # Beta reads as it is written
    assert glossary.warnings == [
        "g.md:1: the entry 'Alpha' has an empty definition; skipped",
        "g.md:5: the entry 'Delta' has an empty definition; skipped",
        "g.md:3: 'Beta' redirects to 'Gamma', which is not defined; kept as an entry",
    ]
