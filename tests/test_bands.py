"""Confidence bands: "strong" means "answers the question", so only the first hit can be strong (search/results.py;
calibrated on the eval sets, docs/quality.md "Confidence bands")."""

from __future__ import annotations

import pytest

from search.bands import band_metrics
from search.eval import Outcome, Question
from search.results import CONFIDENCE_BANDS, STRONG_FLOOR, TIED_FLOOR, Hit, SearchResult, band_of

ORDER = [name for _, name in CONFIDENCE_BANDS]  # strongest first


def test_only_the_first_hit_can_be_strong():
    assert band_of(0.97, 1) == "strong"
    assert band_of(0.97, 2) == "possible"  # as sure, but below the first: a related entry, most of the time
    assert band_of(TIED_FLOOR, 2) == "good"  # a second name the question says
    assert band_of(STRONG_FLOOR - 0.01, 1) == "good" and band_of(0.3, 3) == "weak"


@pytest.mark.parametrize("rank", [1, 2, 5])
def test_bands_never_rise_as_the_score_falls(rank):
    seen = [ORDER.index(band_of(s / 100, rank)) for s in range(100, -1, -1)]
    assert seen == sorted(seen)


def test_a_result_gives_each_hit_its_place_and_band():
    hits = tuple(Hit(term=t, score=s, definition="d") for t, s in (("A", 0.95), ("B", 0.94), ("C", 0.2)))
    result = SearchResult("q", hits, no_match=False)
    assert [h.rank for h in result.hits] == [1, 2, 3]
    assert [h["band"] for h in result.to_json()["hits"]] == ["strong", "possible", "weak"]
    assert result.to_json()["hits"][1]["rank"] == 2


def outcome(relevant, terms, scores):
    question = Question("id", "q", tuple(relevant), relevant[0] if relevant else None, "other")
    return Outcome(question, tuple(terms), tuple(scores), no_match=False, seconds=0.0)


def test_band_metrics_count_wrong_strong_hits_and_strong_answers():
    outcomes = [
        outcome(["A"], ["A", "B"], [0.95, 0.99]),  # right and strong; B is "good", not strong
        outcome(["A"], ["B", "A"], [0.95, 0.5]),  # wrong first hit, strong: a wrong strong band
        outcome(["A"], ["A"], [0.7]),  # right but only "good"
        outcome([], ["Z"], [0.92]),  # off-topic with a strong hit
    ]
    m = band_metrics(outcomes)
    assert m["strong_hits"] == 3 and m["strong_wrong"] == pytest.approx(2 / 3)
    assert m["answer_strong"] == pytest.approx(1 / 3) and m["right_first_strong"] == pytest.approx(1 / 2)
    assert m["offtopic_strong"] == 1.0
    assert m["band_precision"]["good"] == (0.5, 2)  # B (not relevant) and A


@pytest.mark.real_model
def test_the_answer_is_strong_and_the_merely_related_is_not(real_engine):
    hits = real_engine.search("how do I avoid overfitting", 5).hits
    bands = {h.term: h.band for h in hits}
    assert hits[0].term == "Dropout" and bands["Dropout"] == "strong"
    assert bands["Underfitting"] != "strong" and sum(b == "strong" for b in bands.values()) == 1
