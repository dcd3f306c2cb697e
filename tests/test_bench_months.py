"""scripts/bench_months.py: what 本月有活动 adds to facets.json, from the real pipeline."""

from .conftest import TODAY
from .sites import script


def test_the_timetable_goes_through_the_pipeline_and_facets_json_grows():
    with script("bench_months") as module:
        sizes = module.measure(30, 0.2, TODAY)
        before, after = sizes.values()
        assert list(sizes)[1] == "6 resources with programmes (18 programmes)"
        assert before[0] < after[0] and before[1] < after[1]
