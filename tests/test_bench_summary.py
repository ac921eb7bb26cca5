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


def test_the_load_capacity_profile_tells_a_full_machine_from_slow_pages(capsys, monkeypatch):
    """bench_load's profile: each family's time alone weighted by its requests gives the
    mix's mean; 50 users pausing 2 s ask for more than 2 cores can serve at that mean."""
    from benchmarks import bench_load

    monkeypatch.setattr(bench_load.os, "cpu_count", lambda: 2)
    rows = [{"Name": "learner home", "Request Count": "600"},
            {"Name": "teacher gradebook open", "Request Count": "200"},
            {"Name": "teacher gradebook save", "Request Count": "200"},
            {"Name": "Aggregated", "Request Count": "1000", "Requests/s": "16.0"}]
    alone = {"learner home": 60.0, "teacher gradebook open": 150.0}
    row = bench_load._capacity(rows, alone, rows[-1])
    # mean = (600 × 60 + 400 × 150) / 1000 = 96 ms → 2 cores serve at most 20.8 req/s;
    # asked = 50 × 1.15 / (2 + 1.15 × 0.096) = 27.2 req/s; 70 % of 2 cores → 51 ms.
    assert row["figure"] == "96 ms"
    assert row["floor"] == "51 ms keeps the machine 70% busy"
    assert row["ratio"] == "1.87×"
    out = capsys.readouterr().out
    assert "at most 20.8 req/s on 2 cores" in out and "ask for 27.2 req/s" in out
    assert "needs the mix's mean request at or under 51 ms" in out
