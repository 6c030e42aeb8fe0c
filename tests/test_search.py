import pytest

from index import build_index
from indexformat.errors import IndexCorruptError, IndexMismatchError, IndexNotFoundError, QueryError
from search import Hit, open_index
from tests.conftest import SEED, FakeEncoder


@pytest.fixture
def engine(fake_index):
    return open_index(fake_index, encoder=FakeEncoder())


def test_hits_are_ranked_unique_and_typed(engine):
    result = engine.search("what is the learning rate hyperparameter", k=5)
    assert 1 <= len(result.hits) <= 5 and all(isinstance(h, Hit) for h in result.hits)
    scores = [h.score for h in result.hits]
    assert scores == sorted(scores, reverse=True)
    assert len({h.term for h in result.hits}) == len(result.hits)
    assert result.hits[0].term == "Learning Rate"


def test_redirect_alias_returns_the_real_entry_once(engine):
    hits = engine.search("cost function", k=10).hits
    assert hits[0].term == "Loss Function" and "Cost Function" in hits[0].why
    assert [h.term for h in hits].count("Loss Function") == 1
    assert "Cost Function" not in [h.term for h in hits]


def test_json_shape(engine):
    data = engine.search("dropout", 2).to_json()
    assert set(data) == {"query", "no_match", "hits"}
    assert {"term", "score", "definition", "why", "aliases", "related"} <= set(data["hits"][0])


@pytest.mark.parametrize("query", ["", "   ", "\u200b\x00"])
def test_empty_question_is_an_error(engine, query):
    with pytest.raises(QueryError, match="empty"):
        engine.search(query)


@pytest.mark.parametrize("k", [0, -1, "many", None, 1.5])
def test_bad_k_is_an_error(engine, k):
    with pytest.raises(QueryError):
        engine.search("dropout", k)


def test_huge_k_is_capped_at_the_glossary_size(engine):
    assert len(engine.search("dropout", 10_000).hits) == 47


def test_missing_index(tmp_path):
    with pytest.raises(IndexNotFoundError, match="run rebuild-index"):
        open_index(tmp_path / "nothing", encoder=FakeEncoder())


def test_other_model_is_refused(fake_index):
    with pytest.raises(IndexMismatchError, match="fake-encoder"):
        open_index(fake_index, encoder=FakeEncoder(name="other-model"))


def test_garbage_faiss_file(fake_index):
    from indexformat import store

    (store.live_version(fake_index) / "index.faiss").write_bytes(b"not a faiss index")
    with pytest.raises(IndexCorruptError, match="damaged"):
        open_index(fake_index, encoder=FakeEncoder())


def test_stale_index_is_reported(tmp_path, fake_encoder):
    glossary = tmp_path / "g.md"
    glossary.write_text(SEED.read_text())
    build_index(glossary, tmp_path / "ix", encoder=fake_encoder)
    engine = open_index(tmp_path / "ix", encoder=FakeEncoder())
    assert engine.stale() == []
    glossary.write_text(SEED.read_text() + "\n### Zebra\nA striped animal.\n")
    assert engine.stale() == [str(glossary.resolve())]


def test_refresh_follows_a_rebuild(tmp_path, fake_index):
    engine = open_index(fake_index, encoder=FakeEncoder())
    assert not engine.refresh()
    glossary = tmp_path / "g.md"
    glossary.write_text(SEED.read_text() + "\n### Zebra\nA striped animal with black and white stripes.\n")
    build_index(glossary, fake_index, encoder=FakeEncoder())
    assert engine.refresh()
    assert engine.search("striped animal", 1).hits[0].term == "Zebra"


# The real model, end to end.


@pytest.mark.real_model
def test_real_overfitting_question_finds_dropout(real_engine):
    top3 = [h.term for h in real_engine.search("how do I avoid overfitting", 3).hits]
    assert "Dropout" in top3


@pytest.mark.real_model
def test_real_sgd_first(real_engine):
    assert real_engine.search("what is sgd", 5).hits[0].term == "Stochastic Gradient Descent (SGD)"


@pytest.mark.real_model
def test_real_cost_function_is_loss_function(real_engine):
    result = real_engine.search("cost function", 5)
    assert result.hits[0].term == "Loss Function" and not result.no_match


@pytest.mark.real_model
def test_real_off_topic_is_no_match_with_suggestions(real_engine):
    result = real_engine.search("what is the capital of France", 5)
    assert result.no_match and result.hits
