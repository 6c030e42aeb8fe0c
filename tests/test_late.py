"""The late-interaction stage: word pieces kept at build time, MaxSim over the best candidates; it reorders them
and a close match makes a hit surer, never less sure."""

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from indexformat import store
from indexformat.errors import GlossarySearchError
from indexformat.late import PIECES, LateVectors, content_pieces
from indexformat.reader import IndexReader
from ranking.late import maxsim, rerank, sureness


def unit(*rows) -> np.ndarray:
    m = np.asarray(rows, dtype=np.float32)
    return m / np.linalg.norm(m, axis=1, keepdims=True)


def test_content_pieces_keep_words_and_their_continuations_only():
    pieces = ["[CLS]", "the", "tokeni", "##zer", "splits", ",", "words", "[SEP]", "[PAD]"]
    special = [1, 0, 0, 0, 0, 0, 0, 1, 1]
    assert [pieces[i] for i in content_pieces(pieces, special)] == ["tokeni", "##zer", "splits", "words"]


def test_content_pieces_are_capped():
    pieces = [f"word{i}" for i in range(3 * PIECES)]
    assert content_pieces(pieces, [0] * len(pieces)) == list(range(PIECES))


def test_late_vectors_keep_each_entrys_rows():
    a, b = unit([1, 0], [0, 1]), unit([1, 1])
    late = LateVectors.stack([a, np.empty((0, 2)), b], 2)
    assert late.entries == 3 and late.data.dtype == np.float16
    assert np.allclose(late.of(0), a, atol=1e-3) and len(late.of(1)) == 0 and np.allclose(late.of(2), b, atol=1e-3)


def test_maxsim_is_the_mean_best_cosine():
    question = unit([1, 0], [0, 1])
    entry = unit([1, 0], [1, 1])
    assert maxsim(question, entry) == pytest.approx((1.0 + 2 ** -0.5) / 2, abs=1e-6)
    assert maxsim(question, np.empty((0, 2), dtype=np.float32)) == 0.0


def test_rerank_moves_the_best_matched_candidate_up_and_leaves_the_rest():
    question = unit([1, 0, 0])
    late = LateVectors.stack([unit([0, 1, 0]), unit([1, 0, 0]), unit([0, 0, 1]), unit([1, 0, 0])], 3)
    key = np.array([0.60, 0.55, 0.50, -np.inf], dtype=np.float32)
    before = key.copy()
    rerank(key, question, late, depth=2, weight=0.8)
    assert key[1] > key[0]  # entry 1's pieces match the question's, entry 0's do not
    assert key[2] == before[2] and key[3] == -np.inf  # outside the depth, or never a candidate: untouched
    assert key[0] + key[1] == pytest.approx(before[0] + before[1], abs=1e-6)  # centred on the candidates' mean


def test_rerank_needs_two_candidates_and_a_question():
    late = LateVectors.stack([unit([1, 0])], 2)
    key = np.array([0.5], dtype=np.float32)
    rerank(key, unit([1, 0]), late, depth=20, weight=0.8)
    assert key[0] == pytest.approx(0.5)


def test_an_index_built_without_pieces_ranks_without_the_stage(fake_index, fake_encoder):
    from search import open_index

    assert IndexReader.live(fake_index).late(47) is None
    engine = open_index(fake_index, encoder=fake_encoder)
    assert engine.loaded.ranker.pieces is None
    assert engine.search("how do I stop my model memorising the training data", 3).hits


def test_real_build_keeps_unit_pieces_for_every_entry(real_index):
    reader = IndexReader.live(real_index)
    late = reader.late(reader.manifest.entries)
    assert late is not None and late.entries == reader.manifest.entries
    lengths = np.diff(late.rows)
    assert lengths.min() > 0 and lengths.max() <= PIECES
    assert np.allclose(np.linalg.norm(late.data.astype(np.float32), axis=1), 1.0, atol=1e-2)


def test_pieces_come_from_the_same_run_as_the_vectors(real_engine):
    encoder = real_engine.loaded.encoder
    texts = ["how do I stop my model memorising the training data", "dropout"]
    vectors, pieces = encoder.encode_with_pieces(texts)
    assert np.allclose(vectors, encoder.encode(texts), atol=1e-5)
    assert len(pieces[0]) > len(pieces[1]) >= 1  # a sentence's content words against one word
    assert all(np.allclose(np.linalg.norm(p, axis=1), 1.0, atol=1e-5) for p in pieces)


def test_only_describing_questions_are_reranked_and_scores_stay_fused(real_engine):
    ranker = real_engine.loaded.ranker
    assert ranker.signals("what is dropout").pieces is None  # naming: the name is the answer
    assert ranker.signals("dropout vs batch normalization").pieces is None  # a comparison keeps the order asked
    describing = "a layer that randomly switches off some units while training so the net cannot lean on any one"
    assert ranker.signals(describing).pieces is not None
    config = ranker.config
    try:
        with_stage = ranker.rank(describing, 20)
        ranker.config = replace(config, late_weight=0.0)
        without = ranker.rank(describing, 20)
    finally:
        ranker.config = config
    fused = {s.entry: s.fused for s in without.scored}
    assert all(s.fused == pytest.approx(fused[s.entry]) for s in with_stage.scored if s.entry in fused)


def test_a_damaged_pieces_file_is_a_clear_error(tmp_path, real_index):
    import shutil

    from search import open_index

    copy = tmp_path / "index"
    shutil.copytree(real_index, copy)
    version = Path(IndexReader.live(copy).path(store.LATE_ROWS))
    np.save(version, np.zeros(3, dtype=np.int64))
    with pytest.raises(GlossarySearchError, match="rebuild-index"):
        open_index(copy)


def test_a_clear_leader_the_question_names_is_not_reranked(real_engine):
    ranker = real_engine.loaded.ranker
    lead = ranker.config.late_named_lead
    key = np.array([0.70, 0.70 - 2 * lead, 0.10], dtype=np.float32)
    assert ranker._named_lead(key, {0})  # named and clearly first: kept
    assert not ranker._named_lead(key, {1})  # the question names another entry: reranked
    assert not ranker._named_lead(key, set())
    close = np.array([0.70, 0.70 - lead / 2, 0.10], dtype=np.float32)
    assert not ranker._named_lead(close, {0})  # named but close: the word pieces may decide
    assert not ranker._named_lead(np.array([0.7], dtype=np.float32), {0})  # one candidate: no lead to keep


QUESTIONS = (
    "how do I stop the gradients from getting tiny in a deep network",
    "how do I make training converge faster without tuning the step size by hand",
    "a penalty added to the loss so weights stay small",
    "how do I choose the kernel size for my images",
    "mean 0 variance 1",
    "best dropout rate for my wedding guest list",
    "how do i repot a plant into a bigger container",
    "where can i buy a cheap kernel for my popcorn machine",
)
REFUSED_OFF_TOPIC = QUESTIONS[-3:-1]  # everyday questions the fused score refuses


def ranked(ranker, config, questions=QUESTIONS):
    saved = ranker.config
    try:
        ranker.config = config
        return [ranker.rank(q, 5) for q in questions]
    finally:
        ranker.config = saved


def test_sureness_counts_only_above_the_floor():
    assert sureness(None, 0.4, 8.0) == 0.0  # a hit the stage did not score
    assert sureness(0.3, 0.4, 8.0) == 0.0  # a poor match never lowers a confidence
    assert sureness(0.5, 0.4, 8.0) == pytest.approx(0.8)
    assert sureness(0.6, 0.4, 8.0) > sureness(0.5, 0.4, 8.0)


def test_without_the_lift_the_stage_only_reorders(real_engine):
    ranker = real_engine.loaded.ranker
    quiet = replace(ranker.config, late_sure_lift=0.0)
    with_stage = ranked(ranker, quiet)
    without = ranked(ranker, replace(quiet, late_weight=0.0))
    assert any(a.scored[0].entry != b.scored[0].entry for a, b in zip(with_stage, without, strict=True))
    for q, a, b in zip(QUESTIONS, with_stage, without, strict=True):
        assert a.no_match == b.no_match, q
        assert a.scored[0].confidence == pytest.approx(b.scored[0].confidence), q


def test_word_pieces_never_refuse_and_never_lower_a_confidence(real_engine):
    ranker = real_engine.loaded.ranker
    lifted = ranked(ranker, ranker.config)
    plain = ranked(ranker, replace(ranker.config, late_sure_lift=0.0))
    for q, a, b in zip(QUESTIONS, lifted, plain, strict=True):
        assert a.no_match <= b.no_match, q  # accepted without the lift: accepted with it
        assert a.scored[0].confidence >= b.scored[0].confidence - 1e-9, q
        # over the no-match line at most, never up the bands
        assert a.scored[0].confidence <= max(b.scored[0].confidence, ranker.config.late_sure_cap) + 1e-9, q
        if q in REFUSED_OFF_TOPIC:
            assert b.no_match and a.no_match, q  # one shared word matches few pieces: still refused


def test_a_close_word_piece_match_lets_a_real_question_through(real_engine):
    ranker = real_engine.loaded.ranker
    question = ("mean 0 variance 1",)
    (plain,) = ranked(ranker, replace(ranker.config, late_sure_lift=0.0), question)
    (lifted,) = ranked(ranker, ranker.config, question)
    first = ranker.entries[lifted.scored[0].entry].term
    assert plain.no_match  # the fused score alone sits under the line
    assert not lifted.no_match and first.startswith("Batch Normalization")
    assert lifted.scored[0].confidence <= ranker.config.late_sure_cap  # a possible answer, not a strong one


def test_a_close_word_piece_match_is_no_word_used_in_another_sense(real_engine, monkeypatch):
    # The pieces are read in context: a question whose first hit's pieces match closely uses its words in the
    # glossary's sense, whatever the homonym test says of its rest.
    ranker = real_engine.loaded.ranker
    monkeypatch.setattr(ranker, "_homonym", lambda signals, first: True)  # as if every tie were another sense
    question = ("a penalty added to the loss so weights stay small",)
    (lifted,) = ranked(ranker, ranker.config, question)
    (plain,) = ranked(ranker, replace(ranker.config, late_sure_lift=0.0), question)
    assert plain.no_match and plain.scored[0].confidence == pytest.approx(ranker.config.homonym_cap)
    assert not lifted.no_match


def test_how_to_questions_weigh_their_word_pieces_more(real_engine, monkeypatch):
    import ranking.rank

    ranker = real_engine.loaded.ranker
    weights = {}
    real_rerank = ranking.rank.late.rerank

    def spy(key, question, pieces, depth, weight):
        weights[asked] = weight
        return real_rerank(key, question, pieces, depth, weight)

    monkeypatch.setattr(ranking.rank.late, "rerank", spy)
    for asked in ("how do I make training converge faster without tuning the step size by hand",
                  "a penalty added to the loss so weights stay small"):
        ranker.rank(asked, 5)
    config = ranker.config
    assert config.late_weight_howto > config.late_weight
    assert list(weights.values()) == [config.late_weight_howto, config.late_weight]
