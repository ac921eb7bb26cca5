"""The table `make bench` ends with (benchmarks.summary): pure formatting, no benchmark run."""

from benchmarks.summary import HEADER, failed_row, figures_table, write_summary


def test_each_figure_is_one_row_under_the_header_in_column_order():
    table = figures_table([
        {"scenario": "results_recompute, first run", "figure": "420.6 s",
         "floor": "9.3 s", "ratio": 45.2258, "goal": "≤ 2×"},
        {"goal": "< 10 s", "scenario": "incremental push", "figure": 17.6},
    ])
    lines = table.splitlines()
    assert lines[0] == "| " + " | ".join(HEADER) + " |"
    assert lines[1] == "| --- | --- | --- | --- | --- |"
    assert lines[2] == "| results_recompute, first run | 420.6 s | 9.3 s | 45.23 | ≤ 2× |"
    assert lines[3] == "| incremental push | 17.60 | — | — | < 10 s |"
    assert len(lines) == 4


def test_a_cell_stays_one_cell_and_numbers_read_as_numbers():
    table = figures_table([{"scenario": "a | b\nc", "figure": 917135, "floor": None,
                            "ratio": "", "goal": True}])
    assert table.splitlines()[2] == "| a \\| b c | 917,135 | — | — | yes |"


def test_no_figures_is_the_header_alone():
    assert figures_table([]).splitlines() == [
        "| " + " | ".join(HEADER) + " |", "| --- | --- | --- | --- | --- |"]


def test_a_failed_module_is_a_row_that_says_so(tmp_path):
    row = failed_row("bench_documents", RuntimeError("no broker"))
    table = figures_table([row])
    assert table.splitlines()[2] == \
        "| bench_documents | failed: RuntimeError: no broker | — | — | — |"
    path = write_summary(table, tmp_path / "bench", heading="run of today")
    assert path.read_text(encoding="utf-8") == f"run of today\n\n{table}"
