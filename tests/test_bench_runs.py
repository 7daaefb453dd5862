"""The benchmarks cannot rot: the tiny synthetic organisation is built in the suite's own
database (SQLite or PostgreSQL), the norm engine and the hand-written SQL find the same
breaches, and the daily job runs on two consecutive days. Correctness only, no timing."""

from __future__ import annotations

import json
from datetime import date, timedelta

from sqlalchemy import select

from bench import generate, page_cost, page_instructions, run_daily, run_norms, sqlite_journal
from caseload import norms
from caseload.extensions import db
from caseload.models import Contact, Signal, Trajectory
from caseload.norms import STATE_NORMS

AS_OF = date(2026, 3, 18)


def build_tiny(database_url, tmp_path):
    generate.generate(generate.parse_args([
        "--size", "tiny", "--database-url", database_url, "--keep-schema",
        "--as-of", AS_OF.isoformat(), "--sidecar", str(tmp_path / "tiny.json")]))
    db.session.remove()


def test_tiny_organisation_has_breaches_of_every_norm(app, database_url, tmp_path):
    build_tiny(database_url, tmp_path)

    assert db.session.query(Contact).count() > 20_000
    assert db.session.query(Trajectory).count() > 200
    found = {b.norm for b in norms.evaluate(AS_OF)}
    assert found == set(norms.NORMS)


def test_engine_and_handwritten_sql_find_the_same_breaches(app, database_url, tmp_path, capsys):
    build_tiny(database_url, tmp_path)

    status = run_norms.main(["--database-url", database_url, "--as-of", AS_OF.isoformat(),
                             "--repeat", "1", "--out", str(tmp_path)])

    printed = capsys.readouterr().out
    assert status == 0, printed
    assert "Same breach keys from the engine and the hand-written SQL for all 10 norms" in printed
    [report] = tmp_path.glob("norms-*.json")
    assert json.loads(report.read_text())["mismatches"] == {}


def test_daily_job_on_the_second_day_keeps_the_signals_in_line_with_the_breaches(
        app, database_url, tmp_path):
    build_tiny(database_url, tmp_path)
    second = AS_OF + timedelta(days=1)

    run_daily.reset(database_url)
    first_day = run_daily.run_day(database_url, "check", AS_OF)
    second_day = run_daily.run_day(database_url, "check", second)

    assert first_day["summary"].startswith(f"As of {AS_OF}:")
    assert " 0 still open" in first_day["summary"]
    assert second_day["summary"].startswith(f"As of {second}:")
    db.session.remove()
    stored = db.session.execute(select(Signal.norm, Signal.subject_key, Signal.anchor).where(
        Signal.resolved_at.is_(None))).all()
    breaches = norms.evaluate(second)
    assert len(stored) > 100

    def key(norm, subject, anchor):
        return (norm, subject, None if norm in STATE_NORMS else anchor)
    assert {key(*row) for row in stored} == {
        key(b.norm, b.subject_key, b.anchor) for b in breaches}


def test_the_page_cost_bench_serves_every_page_in_every_round(
        app, database_url, tmp_path, capsys, monkeypatch):
    build_tiny(database_url, tmp_path)
    run_daily.reset(database_url)
    run_daily.run_day(database_url, "check", AS_OF)  # the signal pages list signals
    db.session.remove()
    monkeypatch.setenv("CASELOAD_INSTANCE", str(tmp_path / "instance"))

    status = page_cost.main(["--database-url", database_url, "--requests", "2", "--rounds", "2",
                             "--out", str(tmp_path)])

    printed = capsys.readouterr().out
    assert status == 0, printed
    assert "of 7 main pages" in printed
    [report] = tmp_path.glob("pages-*.json")
    pages = json.loads(report.read_text())["pages"]
    assert len(pages) == 10
    assert all(page["requests"] == 4 and page["bytes"] > 0 and page["cpu_ms"] > 0
               for page in pages)


def test_the_instruction_count_script_requests_every_page_it_names(
        app, database_url, tmp_path, monkeypatch):
    """bench/page_instructions.py (run under callgrind by hand) serves each page it names."""
    build_tiny(database_url, tmp_path)
    db.session.remove()
    monkeypatch.setenv("CASELOAD_INSTANCE", str(tmp_path / "instance"))
    for page in page_instructions.PAGES:
        assert page_instructions.main(["--database-url", database_url, "--page", page,
                                       "--requests", "1"]) == 0, page


def test_the_journal_bench_writes_in_both_modes_and_leaves_no_copies(capsys, monkeypatch, tmp_path):
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    assert sqlite_journal.main(["--rounds", "1", "--transactions", "2"]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert [line.split()[:2] for line in printed[1:]] == [
        [rows, mode] for rows in ("1", "23", "216") for mode in ("delete", "wal")]
    assert list(tmp_path.iterdir()) == []
