"""Every glossary format, folders, bundled names, errors with file:line, several glossaries in one index."""

import json

import pytest

from index import build_index
from index import cli as index_cli
from index.sources import glossary_files, load_glossaries, load_glossary
from indexformat.errors import GlossaryParseError, QueryError
from search import cli as search_cli
from search import open_index
from tests.conftest import ROOT

# The same three terms in every format. Line numbers of each term are noted per format below.
ROWS = [
    (
        "Stochastic Gradient Descent (SGD)",
        "Updates the weights from one mini-batch at a time.",
        "online GD",
        "Loss",
    ),
    ("Loss Function", "Measures how wrong the model's predictions are.", "cost function; objective", ""),
    ("Dropout", 'Randomly zeroes activations during training, a "regulariser".', "", "SGD | Loss Function"),
]

SAMPLES = {
    "g.csv": (
        "term,definition,aliases,related\n"
        + "".join(f'"{t}","{d.replace(chr(34), chr(34) * 2)}",{a},{r}\n' for t, d, a, r in ROWS),
        [2, 3, 4],
    ),
    "g.tsv": (
        "Term\tDefinition\tAliases\tRelated\n" + "".join("\t".join(row) + "\n" for row in ROWS),
        [2, 3, 4],
    ),
    "g.json": (
        "[\n"
        + ",\n".join(
            json.dumps(
                {"term": t, "definition": d, "aliases": a.split("; ") if a else [], "related": r}, indent=1
            )
            for t, d, a, r in ROWS
        )
        + "\n]\n",
        [2, 10, 19],  # where each "{" opens
    ),
    "g.yaml": (
        "- term: Stochastic Gradient Descent (SGD)\n"
        "  definition: Updates the weights from one mini-batch at a time.\n"
        "  aliases: online GD\n"
        "  related: Loss\n"
        "- term: Loss Function\n"
        "  definition: \"Measures how wrong the model's predictions are.\"\n"
        "  aliases: [cost function, objective]\n"
        "- term: Dropout\n"
        "  definition: 'Randomly zeroes activations during training, a \"regulariser\".'\n"
        "  related: SGD | Loss Function\n",
        [1, 5, 8],
    ),
    "g.jsonl": (
        "".join(
            json.dumps({"term": t, "definition": d, "aliases": a, "related": r}) + "\n\n"
            for t, d, a, r in ROWS
        ),
        [1, 3, 5],
    ),
}


def write(folder, name, text):
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_every_format_reads_the_same_entries(tmp_path, name):
    text, lines = SAMPLES[name]
    glossary = load_glossary(write(tmp_path, name, text))
    assert glossary.title == "g"
    assert [e.term for e in glossary.entries] == [row[0] for row in ROWS]
    assert [e.line for e in glossary.entries] == lines
    sgd, loss, dropout = glossary.entries
    assert sgd.aliases == ("Stochastic Gradient Descent", "SGD", "online GD")  # heading parentheses too
    assert loss.aliases == ("cost function", "objective")
    assert dropout.related == ("Stochastic Gradient Descent (SGD)", "Loss Function")  # by alias and by term
    assert (
        dropout.definition == ROWS[2][1]
        and dropout.source == "g"
        and sgd.anchor == "stochastic-gradient-descent-sgd"
    )
    assert sgd.unresolved == ("Loss",)
    assert glossary.warnings == [
        f"{tmp_path / name}:{lines[0]}: '{sgd.term}' refers to 'Loss', which is not defined"
    ]


def test_csv_quoted_definition_over_several_lines_keeps_line_numbers(tmp_path):
    path = write(
        tmp_path, "g.csv", 'term,definition\nAlpha,"first line\nsecond line"\nBeta,two\nBeta,again\n'
    )
    glossary = load_glossary(path)  # the second Beta, another meaning, is kept apart: lines name both
    assert glossary.report.kept_apart == (f"{path}:5: 'Beta' is also defined at {path}:4 with another meaning;"
                                          " kept apart as 'Beta (2)'",)
    path.write_text('term,definition\nAlpha,"first line\nsecond line"\nBeta,two\n', encoding="utf-8")
    alpha, beta = load_glossary(path).entries
    assert alpha.text == "first line second line" and beta.line == 4


def test_format_override(tmp_path):
    path = write(tmp_path, "terms.txt", SAMPLES["g.csv"][0])
    with pytest.raises(GlossaryParseError, match="no glossary entries"):
        load_glossary(path)  # .txt is markdown by default
    assert len(load_glossary(path, "csv").entries) == 3


def test_format_override_applies_to_every_file_of_a_folder(tmp_path):
    write(tmp_path / "f", "a.txt", "term,definition\nAlpha,One.\n")
    write(tmp_path / "f", "b.dat", "term,definition\nBeta,Two.\n")
    assert glossary_files([tmp_path / "f"]) == [tmp_path / "f" / "a.txt"]  # .txt is markdown, .dat unknown
    files = glossary_files([tmp_path / "f"], "csv")
    assert [e.term for g in load_glossaries(files, "csv") for e in g.entries] == ["Alpha", "Beta"]


def test_unknown_extension_asks_for_format(tmp_path):
    with pytest.raises(GlossaryParseError, match="use --format"):
        load_glossary(write(tmp_path, "terms.dat", "x"))


def test_folder_reads_every_glossary_file(tmp_path):
    folder = tmp_path / "many"
    write(folder, "a.csv", "term,definition\nAlpha,The first letter.\n")
    write(folder, "sub/b.jsonl", '{"term": "Beta", "definition": "The second letter."}\n')
    write(folder, "c.md", "# Greek\n\n### Gamma\nThe third letter.\n")
    write(folder, ".hidden.csv", "not a glossary")
    write(folder, "notes.pdf", "not a glossary")
    files = glossary_files([folder])
    assert [f.relative_to(folder).as_posix() for f in files] == ["a.csv", "c.md", "sub/b.jsonl"]
    assert [g.title for g in load_glossaries(files)] == ["a", "Greek", "b"]
    once = glossary_files([folder / "c.md", folder, folder / "c.md"])
    assert once == [folder / "c.md", folder / "a.csv", folder / "sub" / "b.jsonl"]
    with pytest.raises(GlossaryParseError, match="no glossary files"):
        glossary_files([write(tmp_path, "empty/x.pdf", "").parent])


def test_bundled_name_resolves_to_packaged_glossary():
    assert glossary_files(["astronomy"]) == [ROOT / "data" / "astronomy_glossary.md"]
    assert glossary_files(["deep-learning"]) == [ROOT / "data" / "deep_learning_glossary.md"]
    with pytest.raises(GlossaryParseError, match="no such glossary"):
        glossary_files(["astrology"])


def test_astronomy_glossary_parses():
    glossary = load_glossary(ROOT / "data" / "astronomy_glossary.md")
    assert glossary.title == "Astronomy Glossary" and len(glossary.entries) >= 100


BAD_UTF8 = "term,definition\nAlpha,One.\nCaf\xe9,Two.\n".encode("latin-1")


@pytest.mark.parametrize(
    "name, content, line, message",
    [
        ("e.csv", "", None, "no glossary entries"),
        ("h.csv", "term,definition\n", None, "no glossary entries"),
        ("m.csv", "term,aliases\nAlpha,A\n", 1, "missing the 'definition' field"),
        ("x.csv", "term,definition\nAlpha,One.\nBeta,Two.,extra\n", 3, "3 fields but the header names 2"),
        ("q.csv", 'term,definition\nAlpha,One.\nBeta,"unclosed\n', 3, "not valid CSV"),
        ("enc.csv", BAD_UTF8, 3, "not valid UTF-8"),
        ("semi.csv", "term;definition\nAlpha;One.\n", 1, "separate the columns with commas"),
        ("comma.tsv", "term,definition\nAlpha,One.\n", 1, "separate the columns with tabs"),
        ("u.tsv", "term\tnotes\n", 1, "missing the 'definition' field"),
        ("e.json", "[]", None, "no glossary entries"),
        ("s.json", '[\n {"term": "Alpha", "definition": "One."}\n {"term": "Beta"}\n]', 3, "not valid JSON"),
        ("o.json", '{"term": "Alpha", "definition": "One."}', 1, "expected a JSON list"),
        ("i.json", '[\n {"term": "Alpha", "definition": "One."},\n "Beta"\n]', 3, "expected an object"),
        (
            "f.json",
            '[\n {"term": "Alpha", "definition": "One."},\n\n {"term": "B", "definition": "x", "see": 1}\n]',
            4,
            "'related' must be a list",
        ),
        ("n.json", '[{"term": "Alpha"}]', 1, "missing the 'definition' field"),
        ("ty.json", '[{"term": "Alpha", "definition": 3}]', 1, "'definition' must be text"),
        (
            "al.json",
            '[{"term": "Alpha", "definition": "x", "aliases": {"a": 1}}]',
            1,
            "'aliases' must be a list",
        ),
        ("e.jsonl", "\n\n", None, "no glossary entries"),
        ("s.jsonl", '{"term": "Alpha", "definition": "One."}\n{"term": "Beta",\n', 2, "not valid JSON"),
        ("u.jsonl", '{"term": "Alpha", "notes": "One."}\n', 1, "missing the 'definition' field"),
        (
            "enc.jsonl",
            '{"term": "Alpha", "definition": "One."}\n{"term": "Caf\xe9"}\n'.encode("latin-1"),
            2,
            "not valid UTF-8",
        ),
    ],
)
def test_errors_name_file_and_line(tmp_path, name, content, line, message):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    with pytest.raises(GlossaryParseError) as err:
        load_glossary(path)
    assert message in str(err.value)
    assert err.value.line == line
    assert str(err.value).startswith(f"{path}:{line}: " if line else f"{path}: ")


@pytest.mark.parametrize(
    "name, content, line, message",
    [
        ("d.csv", "term,definition\nAlpha,One.\nBeta,\n", 3, "the entry 'Beta' has an empty definition; skipped"),
        ("t.csv", "term,definition\nAlpha,One.\n,Two.\n", 3, "an entry has an empty term; skipped"),
        ("d.tsv", "term\tdefinition\nAlpha\tOne.\nBeta\t \n", 3, "the entry 'Beta' has an empty definition; skipped"),
        ("d.jsonl", '{"term": "Alpha", "definition": "One."}\n\n{"term": "Beta", "definition": " "}\n', 3,
         "the entry 'Beta' has an empty definition; skipped"),
    ],
)
def test_one_bad_record_is_a_warning_with_file_and_line(tmp_path, name, content, line, message):
    path = write(tmp_path, name, content)
    glossary = load_glossary(path)
    assert [e.term for e in glossary.entries] == ["Alpha"]
    assert glossary.warnings == [f"{path}:{line}: {message}"]


def test_rebuild_cli_error_is_one_line_with_file_and_line(tmp_path, capsys):
    bad = write(tmp_path, "bad.tsv", "term\tdefinition\nBeta\t\n")
    assert index_cli.main(["--glossary", str(bad), "--index-dir", str(tmp_path / "ix")]) == 1
    assert (
        capsys.readouterr().err.strip()
        == f"rebuild-index: error: {bad}:2: the entry 'Beta' has an empty definition"
    )
    assert (
        index_cli.main(["--glossary", str(tmp_path / "missing.csv"), "--index-dir", str(tmp_path / "ix")])
        == 1
    )
    err = capsys.readouterr().err.strip()
    assert "missing.csv" in err and "no such glossary" in err and "\n" not in err
    assert (
        index_cli.main(["--glossary", str(bad), "--format", "json", "--index-dir", str(tmp_path / "ix")]) == 1
    )
    assert "not valid JSON" in capsys.readouterr().err


# Several glossaries in one index: "Pulsar" is defined in both, differently.
SPACE = (
    "term,definition\nPulsar,A rotating neutron star that sweeps beams of radio waves across the sky.\n"
    "Quasar,A very luminous galactic nucleus powered by a black hole.\n"
)
SIGNALS = (
    '[{"term": "Pulsar", "definition": "A generator that emits short square voltage pulses."},\n'
    ' {"term": "Chirp", "definition": "A signal whose frequency sweeps up or down over time."}]\n'
)


@pytest.fixture
def two_glossaries(tmp_path, fake_encoder):
    paths = [write(tmp_path, "space.csv", SPACE), write(tmp_path, "signals.json", SIGNALS)]
    index_dir = tmp_path / "index"
    report = build_index(paths, index_dir, encoder=fake_encoder)
    assert [g.name for g in report.manifest.glossaries] == ["space", "signals"]
    return open_index(index_dir, encoder=fake_encoder)


def test_same_term_in_two_glossaries_stays_two_labelled_entries(two_glossaries):
    assert sorted((e.term, e.source) for e in two_glossaries.entries if e.term == "Pulsar") == [
        ("Pulsar", "signals"),
        ("Pulsar", "space"),
    ]
    hits = two_glossaries.search("pulsar", k=4).hits
    assert sorted(h.source for h in hits if h.term == "Pulsar") == ["signals", "space"]


def test_search_filters_by_source(two_glossaries):
    space = two_glossaries.search("pulsar", k=4, source="space").hits
    assert space and {h.source for h in space} == {"space"}
    assert [h.term for h in space] == ["Pulsar", "Quasar"]
    signals = two_glossaries.search("pulsar", k=4, source="SIGNALS").hits  # labels match whatever the case
    assert [(h.term, h.source) for h in signals][0] == ("Pulsar", "signals") and len(signals) == 2
    with pytest.raises(QueryError, match="no glossary 'radio'.*signals.*space"):
        two_glossaries.search("pulsar", source="radio")


@pytest.mark.real_model
def test_search_cli_source_option(real_index, capsys):
    args = ["--index-dir", str(real_index), "--json", "-k", "3"]
    assert search_cli.main([*args, "--source", "deep learning glossary", "dropout"]) == 0
    hits = json.loads(capsys.readouterr().out)["hits"]
    assert len(hits) == 3 and {h["source"] for h in hits} == {"Deep Learning Glossary"}
    assert search_cli.main([*args, "--source", "nowhere", "dropout"]) == 2
    err = capsys.readouterr().err.strip()
    assert "no glossary 'nowhere'" in err and "Deep Learning Glossary" in err and "\n" not in err


def test_duplicate_titles_get_distinct_labels(tmp_path):
    a = write(tmp_path, "a/terms.md", "# Terms\n\n### Alpha\nOne.\n")
    b = write(tmp_path, "b/terms.md", "# Terms\n\n### Alpha\nOther.\n")
    first, second = load_glossaries([a, b])
    assert first.entries[0].source == "Terms" and second.entries[0].source == "Terms (terms.md)"


@pytest.mark.parametrize("name, content", [
    ("s.csv", "Name,Description,Synonyms,Category\nAlpha,The first letter.,A; alef,letters\n"),
    ("s.tsv", "Word\tMeaning\tAKA\nAlpha\tThe first letter.\tA|alef\n"),
    ("s.json", '[{"title": "Alpha", "summary": "The first letter.", "acronym": "A", "aliases": ["alef"], "tags": 1}]'),
    ("s.jsonl", '{"label": "Alpha", "desc": "The first letter.", "synonyms": ["A", "alef"]}\n'),
])
def test_common_field_names_are_understood_and_other_columns_ignored(tmp_path, name, content):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    [entry] = load_glossary(path).entries
    assert (entry.term, entry.definition, set(entry.aliases)) == ("Alpha", "The first letter.", {"A", "alef"})


@pytest.mark.parametrize("name, content, message", [
    ("broken.xlsx", b"not a zip file", "not a readable .xlsx workbook"),
    ("broken.docx", b"not a zip", "not a readable .docx document"),
    ("old.xls", b"\xd0\xcf\x11\xe0", "save it as .xlsx"),
    ("sheet.ods", b"PK", "not a readable .ods spreadsheet"),
    ("sheet.numbers", b"PK", "export it as .xlsx"),
    ("old.doc", b"\xd0\xcf\x11\xe0", "save it as .docx"),
    ("text.odt", b"PK", "save it as .docx"),
    ("book.pdf", b"%PDF-1.4", "copy its glossary"),
])
def test_a_file_no_reader_reads_says_what_to_do_in_one_line(tmp_path, name, content, message):
    (tmp_path / name).write_bytes(content)
    with pytest.raises(GlossaryParseError, match=message) as err:
        load_glossary(tmp_path / name)
    assert "\n" not in str(err.value)
