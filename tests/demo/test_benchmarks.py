"""The benchmark harness runs end to end at a tiny size (a smoke test, not timed)."""

from io import StringIO

import pytest

from benchmarks import suite
from benchmarks.harness import BENCHMARKS, run_suite, support_count_for, write_markdown

# Runs once in CI, in the SQLite pass: the database does not change what it tests.
pytestmark = pytest.mark.once_sqlite


def test_sizes_map_to_the_report_profiles_proportions():
    assert support_count_for(217_500) == 216_000
    assert support_count_for(1_000_000) == 993_103
    assert support_count_for(10) == 1_000


@pytest.mark.django_db
def test_harness_loads_a_tiny_size_and_prints_the_markdown_table():
    report = run_suite([1_000], repeat=1)
    out = StringIO()
    write_markdown(report, out, command="python -m benchmarks --quick")
    table = out.getvalue()

    assert "| Benchmark | Target | 1,000 |" in table
    assert "- Machine: " in table and "- Database: " in table
    seconds, enquiries = report.loads[1_000]
    assert seconds > 0
    assert enquiries == 1_000 + 126 + 6
    # Every benchmark runs here: the dashboard, list, search, detail, the
    # creations, the month's recompute, the sweep and the report.
    for bench in BENCHMARKS:
        result = report.results[bench.name][1_000]
        assert result.median_ms is not None, (bench.name, result.note)
        assert result.queries, bench.name
        assert f"| {bench.name} |" in table
    search = report.results[suite.FULL_TEXT_SEARCH][1_000]
    assert search.queries == 2  # the page's ids, then its rows
