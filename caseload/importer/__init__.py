"""`flask import-data DIR`: load the teams' spreadsheets (CSV) in one transaction, all or nothing.

Every file is read and every row checked (values, references, the model rules) before anything
is kept: with any problem, or with --dry-run, the transaction is rolled back. Each problem is
reported as file:line:column: reason, line being the physical line in the file (header = 1).
Existing records are matched (workers by e-mail, clients by code, employers by name, the rest on
their natural key), so a corrected file can be imported again without creating duplicates.
"""

from __future__ import annotations

from pathlib import Path

import click
from sqlalchemy.exc import SQLAlchemyError

from caseload.importer.csv_files import MAX_FILE_BYTES, ParsedFile, Problem, columns_of, read_file
from caseload.importer.loader import Loader, Outcome, Tally
from caseload.importer.records import (
    load_benefits_plans, load_contacts, load_disclosures, load_placements,
)

__all__ = ["MAX_FILE_BYTES", "import_directory", "run_cli"]

MAX_PRINTED = 200  # problems and notes shown; the rest are counted


def import_directory(directory: Path, *, dry_run: bool = False) -> tuple[Outcome, list[str]]:
    """Check and load the files in directory; commit only without problems and not dry_run.
    Returns the outcome and the names of the files found."""
    from flask_babel import force_locale

    from caseload import clock
    from caseload.extensions import db

    today = clock.today()
    columns = columns_of(today)
    present = [name for name in columns if (directory / name).is_file()]
    outcome = Outcome()
    files: dict[str, ParsedFile] = {}
    for name in present:
        files[name], problems = read_file(directory / name, columns[name])
        outcome.problems += problems
        outcome.readable[name] = files[name].readable
    session = db.session
    if files and all(parsed.readable for parsed in files.values()):
        try:
            with force_locale("en"):  # the model rules' messages, for an English CLI
                _load(Loader(session, today, outcome), files)
            if not outcome.problems and not dry_run:
                session.commit()
        except SQLAlchemyError as error:
            outcome.problems.append(Problem(
                "(database)", None, None,
                f"the database refused the import: {getattr(error, 'orig', None) or error}"))
    if outcome.problems or dry_run:
        session.rollback()
    order = list(columns)
    outcome.problems.sort(key=lambda p: (order.index(p.file) if p.file in order else -1,
                                         p.line or 0))
    return outcome, present


def _load(loader: Loader, files: dict[str, ParsedFile]) -> None:
    loader.preload(files)
    steps = {
        "workers.csv": loader.load_workers, "absences.csv": loader.load_absences,
        "clients.csv": loader.load_clients,
        "disclosures.csv": lambda parsed: load_disclosures(loader, parsed),
        "benefits_plans.csv": lambda parsed: load_benefits_plans(loader, parsed),
        "placements.csv": lambda parsed: load_placements(loader, parsed),
        "contacts.csv": lambda parsed: load_contacts(loader, parsed),
    }
    for name, step in steps.items():  # dependency order: each file may name rows of earlier ones
        if name in files:
            step(files[name])


def run_cli(directory: str | Path, *, dry_run: bool) -> int:
    """The command: print problems or a summary; the exit code is 1 when nothing was imported
    because of problems."""
    from caseload import clock

    directory = Path(directory)

    known = list(columns_of(clock.today()))
    for path in sorted(directory.glob("*")):
        if path.suffix.lower() == ".csv" and path.name not in known:
            click.echo(f"Ignored {path.name}: not an import file ({', '.join(known)}).")
    outcome, present = import_directory(directory, dry_run=dry_run)
    if not present:
        click.echo(f"No import files in {directory}; expected one or more of: "
                   f"{', '.join(known)}.", err=True)
        return 1
    if outcome.problems:
        _print_limited([str(p) for p in outcome.problems], err=True)
        if outcome.not_checked:
            click.echo(f"{outcome.not_checked} rows naming a worker or client whose own row has "
                       "a problem were not checked further.", err=True)
        if not all(parsed_ok for parsed_ok in outcome.readable.values()):
            click.echo("Rows were not checked against Caseload (workers, clients, rules) "
                       "because a file could not be read.", err=True)
        count = len(outcome.problems)
        click.echo(f"{count} problem{'s' if count != 1 else ''} found; nothing was imported. "
                   "Correct the files and run the import again.", err=True)
        return 1
    _print_limited(outcome.notes)
    _print_summary(outcome, present, dry_run)
    return 0


def _print_limited(lines: list[str], err: bool = False) -> None:
    for line in lines[:MAX_PRINTED]:
        click.echo(line, err=err)
    if len(lines) > MAX_PRINTED:
        click.echo(f"... and {len(lines) - MAX_PRINTED} more.", err=err)


def _print_summary(outcome: Outcome, present: list[str], dry_run: bool) -> None:
    click.echo("Dry run: everything checked, nothing written. The import would give:"
               if dry_run else "Imported in one transaction:")
    click.echo(f"  {'file':20} {'created':>8} {'updated':>8} {'unchanged':>10} "
               f"{'duplicate rows':>15}")
    for name in present:
        tally = outcome.tallies.get(name, Tally())
        click.echo(f"  {name:20} {tally.created:8} {tally.updated:8} {tally.unchanged:10} "
                   f"{tally.duplicate:15}")
    plural = {"employer": "employers", "team": "teams", "trajectory": "trajectories"}
    also = ", ".join(f"{count} {kind if count == 1 else plural[kind]}"
                     for kind, count in sorted(outcome.also_created.items()) if count)
    if also:
        click.echo(f"Also {'to be ' if dry_run else ''}created: {also}.")
    if outcome.users_without_password:
        click.echo(f"{len(outcome.users_without_password)} new user(s) "
                   f"{'would have' if dry_run else 'have'} no password and cannot log in until "
                   "an administrator sets one (Administration > Users): "
                   + ", ".join(outcome.users_without_password))
