"""Answer quality: each ranking component alone (fake encoder), then floors on labelled sets (real model)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from index import build_index
from index.aliases import build_lexicon
from index.passages import passages_for
from index.questions import generated_questions
from indexformat import store
from indexformat.entry import Entry
from indexformat.errors import IndexCorruptError, QueryError
from indexformat.lexicon import INITIALS, JOINED, WRITTEN, Lexicon, initials
from indexformat.reader import IndexReader
from indexformat.text import bare_name, sentences
from ranking import rules
from ranking.intent import howto_target, read_intent
from ranking.lexical import Lexical
from ranking.spell import Speller
from search import open_index
from search.eval import DenseBaseline, Outcome, Question, check_labels, evaluate, main, metrics, read_questions
from tests.conftest import REAL_GLOSSARIES, ROOT, FakeEncoder

DL_SET = ROOT / "data" / "eval" / "deep_learning.jsonl"
ASTRO_SET = ROOT / "data" / "eval" / "astronomy.jsonl"
ASTRO = ROOT / "data" / "astronomy_glossary.md"
PY_SET = ROOT / "data" / "eval" / "python.jsonl"


def entry(term: str, text: str, aliases: tuple[str, ...] = ()) -> Entry:
    return Entry(term=term, definition=text, text=text, aliases=aliases)


@pytest.fixture
def engine(fake_index):
    return open_index(fake_index, encoder=FakeEncoder())


# The name table (index/aliases.py).


@pytest.mark.parametrize("name, expected", [
    ("Internal Covariate Shift", ["ics"]),
    ("Multi-Head Attention", ["mha"]),
    ("Speed of Light", ["sl", "sol"]),
    ("Dropout", []),
    ("ConfigMap", ["cm"]),  # CamelCase: the words run together
    ("CustomResourceDefinition", ["crd"]),
    ("XMLHttpRequest", ["xhr"]),
    ("OAuth", []),  # a capital after capitals starts no word
])
def test_initials(name, expected):
    assert initials(name) == expected


def test_lexicon_holds_written_joined_and_generated_names():
    entries = [entry("Multi-Layer Perceptron (MLP)", "A network.", ("Multi-Layer Perceptron", "MLP")),
               entry("Internal Covariate Shift", "A drift.")]
    names = build_lexicon(entries).names
    assert names["mlp"] == [(0, WRITTEN)]
    assert names["multilayer perceptron"] == [(0, JOINED)]
    assert names["ics"] == [(1, INITIALS)]


def test_a_camel_case_name_is_found_by_its_initials():
    names = build_lexicon([entry("ConfigMap", "An API object that stores settings."),
                           entry("Dropout", "Randomly ignored neurons.")]).names
    assert names["cm"] == [(0, INITIALS)]
    assert not [n for n, found in names.items() if (1, INITIALS) in found]


def test_a_written_name_beats_someone_elses_initials():
    entries = [entry("Artificial Neural Network (ANN)", "A model.", ("ANN",)),
               entry("Adaptive Nearest Neighbours", "Another thing.")]
    assert build_lexicon(entries).names["ann"] == [(0, WRITTEN)]


def test_lexicon_round_trips_through_json(tmp_path):
    lexicon = build_lexicon([entry("Learning Rate", "A hyperparameter that controls the step size.")])
    assert Lexicon.from_json(json.loads(json.dumps(lexicon.to_json()))) == lexicon
    with pytest.raises(IndexCorruptError, match="no name table"):  # an index built before the table existed
        IndexReader(tmp_path).lexicon()


# Passages and text helpers.


def test_each_sentence_gets_a_passage_with_its_subject():
    e = entry("Dropout", "A regularization technique. This helps prevent overfitting.")
    kinds = [(p.kind, p.text) for p in passages_for(3, e)]
    assert ("sentence", "Dropout: This helps prevent overfitting.") in kinds
    assert ("name", "Dropout") in kinds and all(p.entry == 3 for p in passages_for(3, e))
    assert not [p for p in passages_for(0, entry("Epoch", "One pass over the data.")) if p.kind == "sentence"]


def test_sentences_keep_abbreviations_whole():
    text = "A downsampling (e.g., Max Pooling) that reduces size. Heads capture syntactic vs. semantic ties."
    assert len(sentences(text)) == 2
    assert bare_name("Kernel (Filter)") == "Kernel"


# Typos (search/spell.py).


@pytest.fixture(scope="module")
def speller():
    entries = [entry("Dropout", "Randomly ignored neurons prevent overfitting."),
               entry("Learning Rate", "The step size."), entry("Gradient Descent", "Steps down the slope.")]
    return Speller(build_lexicon(entries).vocab, names=[e.term for e in entries])


@pytest.mark.parametrize("typed, fixed", [
    ("dropuot", "dropout"),  # swapped letters count as one edit
    ("how to avoid overfiting", "how to avoid overfitting"),
    ("a rat in the kitchen", "a rat in the kitchen"),  # "rat" is English and short: left alone
    ("learning rat too high", "learning rate too high"),  # but beside "learning" it stands in "Learning Rate"
    ("leaning rate", "learning rate"),  # the same before the name's other word
    ("elarning rate", "learning rate"),  # a swap at the first letter, which the word alone never gets
    ("gradient decent is slow", "gradient descent is slow"),
    ("a decent learning rate", "a decent learning rate"),  # "decent" is not next to "gradient"
    ("best bread recipe", "best bread recipe"),  # English words are never "corrected" into glossary words
])
def test_speller(speller, typed, fixed):
    assert speller.correct(typed)[0] == fixed


# Question intent (search/intent.py).


@pytest.mark.parametrize("question, target", [
    ("how do I avoid overfitting", "overfitting"),
    ("ways to prevent vanishing gradients during training", "vanishing gradients"),
    ("how can I make gradient descent converge faster", "gradient descent converge faster"),
    ("what is overfitting", None),
    ("how do I make a cake", None),
])
def test_howto_target(question, target):
    assert howto_target(question) == target


@pytest.mark.parametrize("question, parts, by_or", [
    ("encoder vs decoder", ("encoder", "decoder"), False),
    ("sigmoid or tanh?", ("sigmoid", "tanh"), True),
    ("difference between a meteor, a meteoroid and a meteorite", ("meteor", "meteoroid", "meteorite"), False),
    ("open cluster compared with globular cluster", ("open cluster", "globular cluster"), False),
    ("what is dropout", (), False),
    ("is it better to use a very small learning rate or to train for many more epochs with a big one", (), False),
])
def test_comparison_parts(question, parts, by_or):
    intent = read_intent(question)
    assert (intent.parts, intent.by_or) == (parts, by_or)


@pytest.mark.parametrize("question, compared", [
    ("encoder or decoder", True),  # both sides are names
    ("a layer that drops neurons or units", False),  # "or" inside a description
])
def test_or_is_a_comparison_only_between_names(engine, question, compared):
    whys = [h.why for h in engine.search(question, 3).hits]
    assert any(w.startswith("compared:") for w in whys) == compared


# Keywords (search/lexical.py).


def test_keyword_scores_are_calibrated_shares_of_the_question():
    lexical = Lexical([entry("Kernel", "A small matrix of weights."), entry("Pooling", "Downsampling.")])
    alone, stems = lexical.scores("kernel")
    diluted, _ = lexical.scores("linux kernel panic on boot")
    assert stems == ["kernel"] and 0.0 <= diluted[0] < alone[0] <= 1.0 and alone[1] == 0.0
    assert lexical.scores("capital of france")[1] == []


# The ranking end to end, with the fake encoder (search/rank.py).


@pytest.mark.parametrize("question, first, why", [
    ("ICS", "Internal Covariate Shift", "acronym: ICS = Internal Covariate Shift"),
    ("BN layer", "Batch Normalization", "acronym: BN"),
    ("batchnorm", "Batch Normalization", "short for: Batch Normalization"),
    ("dropuot", "Dropout", "typo: dropuot → dropout"),
    ("how do I avoid overfitting", "Dropout", "how-to: overfitting — This helps prevent overfitting."),
    ("cost function", "Loss Function", "alias: Cost Function"),
])
def test_ranking_components(engine, question, first, why):
    hit = engine.search(question, 5).hits[0]
    assert hit.term == first and hit.why.startswith(why)


def test_howto_ranks_the_remedy_above_the_problem(engine):
    terms = [h.term for h in engine.search("how do I avoid overfitting", 5).hits]
    assert terms.index("Dropout") < terms.index("Overfitting")


def test_comparison_brings_both_sides_in_the_order_asked(engine):
    assert [h.term for h in engine.search("encoder vs decoder", 5).hits[:2]] == ["Encoder", "Decoder"]
    filtered = engine.search("encoder vs decoder", 5, source="Deep Learning Glossary").hits
    assert [h.term for h in filtered[:2]] == ["Encoder", "Decoder"]


@pytest.mark.parametrize("question", ["encoder vs decoder", "how do I avoid overfitting", "ICS", "dropuot",
                                      "what is the capital of France", "a " * 400 + "question?"])
def test_scores_are_bounded_and_never_increase(engine, question):
    hits = engine.search(question, 10).hits
    scores = [h.score for h in hits]
    assert all(0.0 <= s <= 1.0 for s in scores) and scores == sorted(scores, reverse=True)
    assert len({h.term for h in hits}) == len(hits) and all(h.why for h in hits)


def test_howto_moves_the_remedy_up_without_raising_its_score(engine):
    """The rule re-orders: Dropout comes first with its own score; Overfitting, now below it, is capped by it."""
    hits = engine.search("how do I avoid overfitting", 10).hits
    terms = [h.term for h in hits]
    assert terms.index("Dropout") < terms.index("Overfitting")
    assert hits[terms.index("Overfitting")].score <= hits[terms.index("Dropout")].score <= 1.0


def test_off_topic_is_below_the_calibrated_line(engine, fake_index):
    calibration = json.loads((store.live_version(fake_index) / "ranking.json").read_text())["calibration"][0]
    # Generated describing questions may score as low as everyday ones under the fake encoder: the line keeps
    # refusing the everyday list, and a name is never refused.
    assert calibration["negative_rejected"] >= 0.9 and calibration["positive_rejected"] <= 0.5
    result = engine.search("what is the capital of France", 3)
    assert result.no_match and result.hits and result.hits[0].score < 0.5
    assert not engine.search("dropout", 3).no_match


def test_generated_questions_leave_the_names_out():
    questions = generated_questions([entry("Protostar", "A very young star. A Protostar hides in dust.")])
    texts = [q.text for q in questions]
    assert "Protostar" in texts and {q.entry for q in questions} == {0}
    assert any(q.kind == "what-is" and "Protostar" in q.text and q.text != "Protostar" for q in questions)
    describing = [q for q in questions if q.group != "naming" and q.kind != "typo"]
    assert describing and {q.kind for q in describing} >= {"paraphrase"}
    assert not any("protostar" in q.text.casefold() for q in describing)


# The harness (search/eval.py).


def outcome(relevant, terms, no_match=False, kind="definition") -> Outcome:
    q = Question("q", "question", tuple(relevant), relevant[0] if relevant else None, kind)
    return Outcome(q, tuple(terms), tuple(1.0 - 0.1 * i for i in range(len(terms))), no_match, 0.001)


def test_metrics_by_hand():
    m = metrics([outcome(["A"], ["A", "B"]), outcome(["B"], ["A", "C", "B"]),
                 outcome(["C"], ["A"], no_match=True),
                 outcome([], ["A"], no_match=True, kind="offtopic"), outcome([], ["A"], kind="offtopic")])
    assert m["hit@1"] == pytest.approx(1 / 3) and m["recall@5"] == pytest.approx(2 / 3)
    assert m["mrr@10"] == pytest.approx((1 + 1 / 3) / 3)
    assert m["false_rejection"] == pytest.approx(1 / 3) and m["offtopic_rejection"] == 0.5


def test_bad_question_files_are_one_line_errors(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": 1, "query": "x"}\n')
    with pytest.raises(QueryError, match="bad.jsonl:1"):
        read_questions(bad)
    with pytest.raises(QueryError, match="Dropuot"):
        check_labels([Question("1", "x", ("Dropuot",), None, "typo")], {"Dropout"})
    assert main([str(tmp_path / "missing.jsonl"), "--index-dir", str(tmp_path)]) in (1, 2)


def test_harness_reports_per_kind_and_misses(engine, tmp_path):
    questions = tmp_path / "q.jsonl"
    questions.write_text("\n".join(json.dumps(r) for r in [
        {"id": "1", "query": "ICS", "relevant": ["Internal Covariate Shift"], "kind": "abbreviation"},
        {"id": "2", "query": "weather tomorrow in Berlin", "relevant": [], "kind": "offtopic"},
    ]))
    data = evaluate(questions, engine)
    assert set(data["per_kind"]) == {"abbreviation", "offtopic"} and data["overall"]["hit@1"] == 1.0
    # The off-topic question is refused or listed as a miss with what came back instead.
    assert data["overall"]["offtopic_rejection"] == 1.0 or [m["id"] for m in data["misses"]] == ["2"]


# Floors with the real model: fail when answer quality drops.


@pytest.mark.real_model
def test_quality_floor_deep_learning(real_engine):
    m = evaluate(DL_SET, real_engine)["overall"]
    assert m["hit@1"] >= 0.88 and m["recall@5"] >= 0.96 and m["mrr@10"] >= 0.92, m
    assert m["offtopic_rejection"] >= 0.88 and m["false_rejection"] <= 0.03, m


@pytest.mark.real_model
def test_quality_floor_second_glossary(tmp_path_factory, real_engine):
    """The same design on a glossary from another field, with its own questions."""
    index_dir = tmp_path_factory.mktemp("astro") / "index"
    build_index(ASTRO, index_dir, encoder=real_engine.encoder)  # the session's loaded model
    m = evaluate(ASTRO_SET, open_index(index_dir, encoder=real_engine.encoder))["overall"]
    assert m["hit@1"] >= 0.9 and m["recall@5"] >= 0.95 and m["mrr@10"] >= 0.93, m
    assert m["offtopic_rejection"] >= 0.9 and m["false_rejection"] <= 0.03, m



@pytest.mark.real_model
def test_quality_floor_on_a_real_glossary_read_as_published(tmp_path_factory, real_engine):
    """The Python docs' Sphinx glossary, read from its reST, with questions written by someone who saw only it:
    the ranking must beat plain dense retrieval over the same index by 5 points."""
    rst = REAL_GLOSSARIES / "python" / "glossary.rst"
    if not rst.is_file():
        pytest.skip("the shared real glossaries are not beside this checkout")
    index_dir = tmp_path_factory.mktemp("python") / "index"
    build_index(rst, index_dir, encoder=real_engine.encoder)
    engine = open_index(index_dir, encoder=real_engine.encoder)
    ours = evaluate(PY_SET, engine)["overall"]
    dense = evaluate(PY_SET, DenseBaseline(engine))["overall"]
    assert ours["hit@1"] >= 0.8 and ours["hit@1"] >= dense["hit@1"] + 0.05 and ours["false_rejection"] <= 0.03, \
        (ours, dense)


@pytest.mark.parametrize("acronym, parts, expected", [
    ("snr", ["supernova", "remnant"], True),  # "nova" starts inside "supernova"
    ("ics", ["internal", "covariate", "shift"], True),
    ("div", ["dictionary", "view"], False),  # "ictionary" is no word: a letter from the middle does not count
    ("ppp", ["precautionary", "principle"], False),
    ("dc", ["droop", "control"], True),
])
def test_acronym_letters_come_from_words(acronym, parts, expected):
    from ranking.names import abbreviates

    words = {"nova", "view", "remnant"}
    assert abbreviates(acronym, parts, lambda w: w in words) == expected


def test_other_language_names_are_names_but_get_no_vector():
    from index.aliases import build_lexicon

    house = Entry(term="house", definition="A building to live in.", text="A building to live in.",
                  aliases=("home", "Haus"), translations=(("de", "Haus", "Ein Gebäude zum Wohnen."),))
    assert [p.text for p in passages_for(0, house) if p.kind == "alias"] == ["home"]
    assert build_lexicon([house]).names["haus"] == [(0, WRITTEN)]


def test_a_name_after_in_is_the_setting_not_the_subject():
    """ "a neuron in (the) deep learning": the setting's name counts half, with or without an article."""
    from ranking.config import DEFAULT
    from ranking.names import NameMatcher

    entries = [entry("Neuron", "A unit that sums its inputs."), entry("Deep Learning", "Learning with many layers.")]
    matcher = NameMatcher(entries, build_lexicon(entries), lambda w: True, lambda w: False, DEFAULT, str.split)
    plain, _ = matcher.score("what is a neuron in deep learning")
    article, _ = matcher.score("what is a neuron in the deep learning")
    subject, _ = matcher.score("what is deep learning and a neuron")
    assert plain[0] > plain[1] and list(article) == list(plain)
    assert subject[1] == pytest.approx(2 * plain[1])  # as a subject it counts in full


def test_the_keyword_index_saved_by_the_build_scores_as_one_built_at_load(fake_index):
    from indexformat import store
    from ranking.lexical import Lexical

    version = store.live_version(fake_index)
    entries = open_index(fake_index, encoder=FakeEncoder()).entries
    saved, built = Lexical.load(version / store.BM25, entries), Lexical(entries)
    for question in ("how do I avoid overfitting", "linear threshold unit", "kernel"):
        a, b = saved.scores(question), built.scores(question)
        assert a[1] == b[1] and a[0].tolist() == pytest.approx(b[0].tolist())
        rows = np.arange(len(entries))
        assert saved.phrases(question, rows).tolist() == built.phrases(question, rows).tolist()


# Query understanding (ranking/understand.py): naming or describing.


@pytest.mark.parametrize("question, form", [
    ("what is dropout", "naming"), ("define dropout", "naming"), ("dropout", "naming"),
    ("what is dropout in deep learning", "naming"),
    ("randomly ignoring neurons so the network does not memorise", "describing"),
    ("how do I avoid overfitting", "how-to"), ("encoder vs decoder", "comparison"),
])
def test_understanding_tells_naming_from_describing(engine, question, form):
    understood = engine.loaded.ranker.signals(question).understanding
    assert understood.form == form
    assert understood.naming == (form == "naming")


def test_the_glossarys_field_word_leaves_the_name_asked(tmp_path, fake_encoder):
    from index import build_index

    rows = [("Submodule", "A repository inside another git repository."), ("Commit", "A git snapshot."),
            ("Branch", "A line of git commits."), ("Tag", "A git ref to one commit."),
            ("Remote", "Another git repository you fetch from.")]
    glossary = tmp_path / "git.jsonl"
    glossary.write_text("".join(json.dumps({"term": t, "definition": d}) + "\n" for t, d in rows))
    build_index(glossary, tmp_path / "index", encoder=fake_encoder)
    ranker = open_index(tmp_path / "index", encoder=fake_encoder).loaded.ranker
    # every definition says "git", and no entry is called that: it names the field, not what is asked
    assert ranker.signals("git submodule").understanding.named == (0,)
    # "commit" is as common, but it is an entry's name: a question holding it and another name asks for more
    assert not ranker.signals("commit submodule").understanding.naming


def test_a_describing_question_is_fused_by_the_describing_weights(engine):
    ranker = engine.loaded.ranker
    signals = ranker.signals("neurons randomly switched off while training a network with dropout")
    assert not signals.understanding.naming
    assert ranker.config.weights_for(False) == ranker.config.describing != ranker.config.weights_for(True)


def test_generated_questions_are_weighted_as_people_ask():
    from index.fit import Sample, mixed

    hit = np.array([[1.0, 1.0, 0, 0, 0], [0.0, 0.0, 0, 0, 0]])  # the answer (row 0) scores highest
    miss = hit[::-1].copy()
    # one paraphrase right and nine names wrong: the describing group (0.45) outweighs naming (0.25)
    samples = [Sample(hit, 0, "paraphrase", True, False)] + [Sample(miss, 0, "name", True, True)] * 9
    w = (0.5, 0.5, 0, 0, 0)
    assert mixed(samples, w, w) == pytest.approx(0.45 / 0.70)


def test_the_claimed_gain_leaves_out_quotes_and_counts_every_question_of_a_group():
    from index.fit import Sample, as_asked

    hit = np.array([[1.0, 1.0, 0, 0, 0], [0.0, 0.0, 0, 0, 0]])
    miss = hit[::-1].copy()
    w = (0.5, 0.5, 0, 0, 0)
    # Cuts quote the definition: however many it gets right, they do not move the claim.
    quotes = [Sample(hit, 0, "cut", True, False)] * 20 + [Sample(hit, 0, "mention", True, False)] * 20
    paraphrases = [Sample(miss, 0, "paraphrase", True, False)] * 2
    assert as_asked(quotes + paraphrases, w, w) == 0.0
    # In the "other" group one acronym right and nine typos wrong is 1 in 10, not the mean of 1.0 and 0.0.
    other = [Sample(hit, 0, "acronym", True, True)] + [Sample(miss, 0, "typo", True, True)] * 9
    assert as_asked(other, w, w) == pytest.approx(0.1)


def test_the_claim_by_group_of_kinds_adds_up_to_the_claim_as_people_ask():
    from index.fit import Sample, as_asked, by_group
    from index.questions import KIND_MIX

    hit = np.array([[1.0, 1.0, 0, 0, 0], [0.0, 0.0, 0, 0, 0]])
    miss = hit[::-1].copy()
    w = (0.5, 0.5, 0, 0, 0)
    samples = ([Sample(hit, 0, "name", True, True)] * 3 + [Sample(miss, 0, "what-is", True, True)]
               + [Sample(hit, 0, "paraphrase", True, False)] + [Sample(miss, 0, "paraphrase", True, False)] * 3
               + [Sample(hit, 0, "cut", True, False)] * 5)  # quotes: in no group's claim
    claims = by_group(samples, w, w)
    assert list(claims) == ["naming", "describing"]
    assert (claims["naming"].questions, claims["naming"].shipped) == (4, 0.75)
    assert (claims["describing"].questions, claims["describing"].shipped) == (4, 0.25)
    share = KIND_MIX["naming"] + KIND_MIX["describing"]
    mixed_back = (KIND_MIX["naming"] * 0.75 + KIND_MIX["describing"] * 0.25) / share
    assert as_asked(samples, w, w) == pytest.approx(mixed_back)


@pytest.mark.parametrize(("question", "how"), [
    ("how do I upload my commits", True), ("How can we share a branch?", True), ("ways to speed up training", True),
    ("what is the best way to tune a model", True), ("how can my app find its pod name", True),
    ("how does a pod work", False), ("how do controllers work", False), ("what is a pod", False),
    ("how many layers", False),
])
def test_a_how_to_is_read_from_its_wording_whatever_the_verb(question, how):
    from ranking.intent import asks_how

    assert asks_how(question) == how


def test_in_a_how_to_the_entries_it_names_step_back(engine):
    ranker = engine.loaded.ranker
    rows = {e.term: row for row, e in enumerate(engine.entries)}
    # "weights" says Weight in another form of the word; the task is what another entry does
    mentioned = ranker.names.mentioned("how do I keep the weights small")
    assert rows["Weight"] in mentioned and rows["Dropout"] not in mentioned
    signals = ranker.signals("how do I keep the weights small")
    key = np.zeros(len(engine.entries), dtype=np.float32)
    rules.task(signals.main, mentioned, key, ranker.config, 0.2)
    assert key[rows["Weight"]] < 0 and key[rows["Dropout"]] == 0


def test_in_a_describing_question_a_name_covering_little_of_it_steps_back(engine):
    ranker = engine.loaded.ranker
    rows = {e.term: row for row, e in enumerate(engine.entries)}
    question = "switching off random units while training so it does not memorise the examples in its neurons"
    signals = ranker.signals(question)
    assert signals.understanding.form.name == "DESCRIBING"
    key = np.zeros(len(engine.entries), dtype=np.float32)
    rules.context(signals.main, ranker.names.mentioned(question), key, ranker.config, 0.2)
    assert key[rows["Neuron"]] < 0 and key[rows["Dropout"]] == 0
    # A name that is most of the question is what it asks about: it keeps its place.
    signals = ranker.signals("neuron")
    key = np.zeros(len(engine.entries), dtype=np.float32)
    rules.context(signals.main, ranker.names.mentioned("neuron"), key, ranker.config, 0.2)
    assert key[rows["Neuron"]] == 0


@pytest.mark.parametrize(("question", "term"), [
    ("what are neurons", "Neuron"), ("activation functions", "Activation Function"),
    ("what are transformers", "Transformer"),
])
def test_a_plural_names_its_entry(engine, question, term):
    ranker = engine.loaded.ranker
    rows = {e.term: row for row, e in enumerate(engine.entries)}
    understood = ranker.signals(question).understanding
    assert understood.naming and rows[term] in understood.named


def test_a_word_ending_in_s_names_nothing_unless_its_singular_is_a_name(engine):
    ranker = engine.loaded.ranker
    assert ranker.names._singular("bias") == () and ranker.names._singular("gradients") == ()
    assert ranker.names._singular("neurons")


def test_a_lone_word_question_must_clear_a_higher_line():
    from dataclasses import replace

    from ranking.config import DEFAULT

    config = replace(DEFAULT, lines=(("", 0.4),), lone_margin=0.1)
    assert config.line(None, lone=True) == pytest.approx(0.5) and config.line(None) == pytest.approx(0.4)


def test_a_homonym_test_needs_few_ties_and_a_rest_the_glossary_never_talks_about():
    from ranking.config import DEFAULT
    from ranking.homonym import rest_without_ties

    stems = lambda word: [word]  # noqa: E731  each word its own stem
    knows = {"dropout", "rate", "training", "network", "units"}.__contains__
    question = "best dropout rate for my wedding guest list"
    assert rest_without_ties(question, ["dropout", "rate"], stems, knows, DEFAULT) == "best for my wedding guest list"
    assert rest_without_ties(question, [], stems, knows, DEFAULT) is None  # nothing ties it to the hit
    assert rest_without_ties("dropout rate units wedding guest list", ["dropout", "rate", "units"], stems, knows,
                             DEFAULT) is None  # three ties: the question is about the hit, not one shared word
    assert rest_without_ties("dropout rate during training network", ["dropout"], stems, knows,
                             DEFAULT) is None  # every word left is the glossary's own
    assert rest_without_ties("dropout wedding", ["dropout"], stems, knows, DEFAULT) is None  # too little left


@pytest.mark.real_model
def test_a_word_used_in_another_sense_is_off_topic(real_engine):
    assert real_engine.loaded.ranker.config.homonym_line > 0  # fitted by the build
    for question in ("best dropout rate for my wedding guest list",
                     "my grandma's sewing pattern has a dropout of stitches"):
        result = real_engine.search(question, 3)
        assert result.no_match and all(h.score < 0.5 for h in result.hits), (question, result.hits)
    # The same words in the glossary's own sense, beside words it never uses, are answered.
    for question, term in (("should I use dropout on a tiny tabular dataset", "Dropout"),
                           ("how do I choose the kernel size for my images", "Kernel (Filter)")):
        result = real_engine.search(question, 3)
        assert not result.no_match and result.hits[0].term == term, (question, result.hits)
