"""The benchmark's report logic (benchmarks/run.py): targets as ceilings or floors, rows against the baseline.
No timing here: the figures are made up, what is tested is how they are judged and reported."""

from benchmarks.run import summary, table, verdicts


def test_a_floor_target_passes_above_and_a_ceiling_below():
    passed = dict((label, ok) for label, _, ok in verdicts({"scale": {
        "entries_per_s": 250.0, "build_peak_rss_mb": 1600.0, "load_s": 0.5, "recall_at_10": 0.99}}))
    assert passed["build throughput >= 100 entries/s"] is True
    assert passed["build peak memory <= 1.5 GB"] is False
    assert passed["engine load (scale glossary) <= 1 s"] is True and passed["scale recall@10 >= 0.95"] is True
    slow = dict((label, ok) for label, _, ok in verdicts({"scale": {
        "entries_per_s": 48.0, "build_peak_rss_mb": 900.0, "load_s": 12.3, "recall_at_10": 0.9}}))
    assert slow["build throughput >= 100 entries/s"] is False and slow["scale recall@10 >= 0.95"] is False


def test_summary_rows_pair_each_figure_with_the_same_runs_baseline():
    results = {"cold": {"cli_s": 0.5, "baseline_s": 5.0}, "disk": {"extra_index_mb": 2.0, "baseline_vectors_mb": 0.5}}
    rows = {r["figure"]: r for r in summary(results)}
    assert rows["cold CLI answer"]["ratio"] == 0.1
    assert "app start to first answer" not in rows  # no web section measured: no row, not a made-up one
    assert rows["disk per extra index (same model)"]["ratio"] == 4.0
    text = table(results)
    assert "x0.1" in text and "MISS  cold CLI answer <= 0.4 s" in text


def test_the_iso_section_is_skipped_with_a_note_when_shared_is_absent(tmp_path, monkeypatch):
    from benchmarks import run

    monkeypatch.setattr(run, "ISO", tmp_path / "absent" / "isotc211.jsonl")
    result = run.iso(tmp_path, repeat=1)
    assert set(result) == {"skipped"} and "isotc211" in result["skipped"]
    assert not any(label.startswith("ISO") for label, _, _ in verdicts({"iso": result}))  # no row, no verdict
    assert "skipped" in table({"iso": result})


def test_issue_21_query_targets_are_judged_and_a_skipped_iso_row_says_why():
    results = {"warm": {"p50_ms": 2.4, "p99_ms": 4.0, "ratio_p50": 0.2}, "rebuild": {"unchanged_cli_s": 0.35},
               "warm_iso": {"skipped": "no shared/benchmarks/isotc211/isotc211.jsonl"}}
    passed = dict((label, ok) for label, _, ok in verdicts(results))
    assert passed["warm p50 <= 2.5 ms (seed, encoder included)"] is True
    assert passed["unchanged rebuild <= 0.3 s"] is False
    assert not any(label.startswith("warm p50 <= 4 ms") for label in passed)  # skipped, not judged
    assert "SKIP  warm p50 <= 4 ms (ISO/TC 211, 1,228 entries)" in table(results)
    iso = {"warm_iso": {"p50_ms": 5.0, "baseline_p50_ms": 10.0}}
    assert dict((label, ok) for label, _, ok in verdicts(iso))["warm p50 <= 4 ms (ISO/TC 211, 1,228 entries)"] is False
    assert {r["figure"]: r for r in summary(iso)}["warm query p50, ISO/TC 211"]["ratio"] == 0.5
