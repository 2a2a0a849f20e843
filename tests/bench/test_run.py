"""The bench's verdicts: each ratio against its target, and by how much a missed one misses."""

from bench.run import target_status


def test_a_ratio_meets_or_misses_its_target_by_a_stated_factor():
    assert target_status("list_vs_floor", 0.6) == "met"
    assert target_status("list_vs_floor", 0.4) == "missed by ×1.25"
    assert target_status("pages_scale_large_vs_small", 1.3) == "met"
    assert target_status("pages_scale_large_vs_small", 2.6) == "missed by ×2.00"
    assert target_status("review_cold_vs_sql_floor", None) == "unmeasured"
    assert target_status("list_vs_ceiling", 0.04) == "record"  # no target: the old reference
