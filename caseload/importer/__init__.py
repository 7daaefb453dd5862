"""`flask import-data DIR|WORKBOOK.xlsx`, and the web import (importer/views.py): load the
teams' spreadsheets in one transaction, all or nothing.

The files are CSV as teams save them (UTF-8 or Windows-1252, commas or semicolons, dates
yyyy-mm-dd or dd-mm-yyyy, decimal dots or commas: importer/sources.py), or one Excel workbook
with a sheet per file. Every file is read and every row checked (values, references, the model
rules) before anything is kept: with any problem, or with a dry run, the transaction is rolled
back. Each problem is reported as file:line:column: reason (sheet:row:column for a workbook),
line being the physical line in the file (header = 1). Existing records are matched (workers by
e-mail, clients by code, employers by name, the rest on their natural key), so a corrected file
can be imported again without creating duplicates.
"""

from __future__ import annotations

from pathlib import Path

import click
from sqlalchemy.exc import SQLAlchemyError

from caseload.importer.csv_files import MAX_FILE_BYTES, ParsedFile, Problem, columns_of, too_big
from caseload.importer.loader import Loader, Outcome, Tally
from caseload.importer.records import (
    load_benefits_plans,
    load_contacts,
    load_disclosures,
    load_phases,
    load_placements,
    load_profiles,
)
from caseload.importer.sources import read_csv, read_workbook
from caseload.importer.trajectories import finish_all, load_clients
from caseload.translating import gettext as _
from caseload.unit_of_work import unit_of_work

__all__ = ["MAX_FILE_BYTES", "import_directory", "import_uploads", "run_cli"]

MAX_PRINTED = 200  # problems and notes shown; the rest are counted


def read_uploads(uploads: list[tuple[str, bytes]], columns: dict,
                 ) -> tuple[dict[str, ParsedFile], list[Problem], list[str]]:
    """The import tables in uploaded files: one .xlsx workbook, or CSV files named as the
    import files. Returns (files by file name, problems, names ignored)."""
    files, problems, ignored = {}, [], []
    workbooks = [(name, data) for name, data in uploads if name.lower().endswith(".xlsx")]
    if workbooks:
        if len(uploads) > 1:
            return {}, [Problem(workbooks[0][0], None, None, _(
                "upload one workbook, or CSV files, not both or two workbooks"))], []
        return read_workbook(*workbooks[0], columns)
    for name, data in uploads:
        key = Path(name).name.lower()
        if key not in columns:
            ignored.append(Path(name).name)
            continue
        files[key], found = read_csv(key, data, columns[key])
        problems += found
    return files, problems, ignored


def import_uploads(uploads: list[tuple[str, bytes]], *, dry_run: bool = False,
                   team_ids: set[int] | None = None, refused: list[Problem] = (),
                   ) -> tuple[Outcome, list[str], list[str]]:
    """Check and load the uploaded files; commit only without problems and not dry_run.
    team_ids: a coordinator's teams (None: no limit). Returns the outcome, the names of the
    files found (in load order) and the names ignored."""
    from caseload import clock
    from caseload.extensions import db

    today = clock.today()
    columns = columns_of(today)
    files, problems, ignored = read_uploads(uploads, columns)
    problems = [*refused, *problems]
    present = [name for name in columns if name in files]
    outcome = Outcome(problems=problems, files=files)
    for name in present:
        outcome.readable[name] = files[name].readable
    session = db.session
    if files and all(parsed.readable for parsed in files.values()) and not problems_outside(
            problems, files):
        # All or nothing: one unit of work, rolled back with a problem or for a dry run.
        with unit_of_work(session, expected=(SQLAlchemyError, _NotKept)) as work:
            # Every message (the files' checks and the model rules) in the reader's language.
            loader = Loader(session, today, outcome, team_ids=team_ids)
            _load(loader, files)
            if outcome.problems or dry_run:
                raise _NotKept()
            session.flush()
            committed = {client.id for client in loader.clients.values()}
        if not work.failed:
            outcome.client_ids = committed
        elif isinstance(work.error, SQLAlchemyError):
            error = work.error
            outcome.problems.append(Problem(
                "(database)", None, None,
                _("the database refused the import: %(error)s",
                  error=str(getattr(error, "orig", None) or error))))
    order = [files[name].label if name in files else name for name in columns]
    outcome.problems.sort(key=lambda p: (order.index(p.file) if p.file in order else -1,
                                         p.line or 0))
    return outcome, present, ignored


class _NotKept(Exception):
    """A problem was found, or it is a dry run: the import's transaction is rolled back."""


def problems_outside(problems: list[Problem], files: dict[str, ParsedFile]) -> bool:
    """A problem that belongs to no table (a workbook that cannot be opened)."""
    labels = {parsed.label for parsed in files.values()}
    return any(problem.file not in labels for problem in problems)


def import_directory(path: Path, *, dry_run: bool = False) -> tuple[Outcome, list[str]]:
    """The CSV files of a directory, or one workbook file. A file over the size limit is
    refused before it is read."""
    from caseload import clock

    path = Path(path)
    candidates = [path] if path.is_file() else \
        [path / name for name in columns_of(clock.today()) if (path / name).is_file()]
    uploads, refused = [], []
    for file in candidates:
        size = file.stat().st_size
        if size > MAX_FILE_BYTES:
            refused.append(Problem(file.name, None, None, too_big(size)))
        else:
            uploads.append((file.name, file.read_bytes()))
    outcome, present, _ignored = import_uploads(uploads, dry_run=dry_run, refused=refused)
    return outcome, present + [p.file for p in refused]


def _load(loader: Loader, files: dict[str, ParsedFile]) -> None:
    loader.preload(files)
    # The clients that exist already (a dry run's new ones get no lasting id).
    loader.outcome.client_ids = {client.id for client in loader.clients.values()}
    history = {(row["client_code"], row["program_entry_date"])
               for row in files["phases.csv"].rows} if "phases.csv" in files else set()
    steps = {
        "workers.csv": loader.load_workers, "absences.csv": loader.load_absences,
        "clients.csv": lambda parsed: load_clients(loader, parsed, history),
        "phases.csv": lambda parsed: load_phases(loader, parsed),
        "profiles.csv": lambda parsed: load_profiles(loader, parsed),
        "disclosures.csv": lambda parsed: load_disclosures(loader, parsed),
        "benefits_plans.csv": lambda parsed: load_benefits_plans(loader, parsed),
        "placements.csv": lambda parsed: load_placements(loader, parsed),
        "contacts.csv": lambda parsed: load_contacts(loader, parsed),
    }
    for name, step in steps.items():  # dependency order: each file may name rows of earlier ones
        if name in files:
            step(files[name])
    finish_all(loader)  # trajectory endings last: their phases and placements came first
    loader.session.flush()


def run_cli(directory: str | Path, *, dry_run: bool) -> int:
    """The command: print problems or a summary; the exit code is 1 when nothing was imported
    because of problems. The command speaks English, as every other command does (its file
    and column names are English too); the web import speaks the reader's language."""
    from flask_babel import force_locale

    with force_locale("en"):
        return _run_cli(directory, dry_run=dry_run)


def _run_cli(directory: str | Path, *, dry_run: bool) -> int:
    from caseload import clock

    directory = Path(directory)

    known = list(columns_of(clock.today()))
    for path in sorted(directory.glob("*")) if directory.is_dir() else []:
        if path.suffix.lower() == ".csv" and path.name not in known:
            click.echo(f"Ignored {path.name}: not an import file ({', '.join(known)}).")
    outcome, present = import_directory(directory, dry_run=dry_run)
    for parsed in outcome.files.values():
        if parsed.readable and parsed.describe():
            click.echo(f"Read {parsed.label} as {parsed.describe()}.")
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
        label = outcome.files[name].label if name in outcome.files else name
        click.echo(f"  {label:20} {tally.created:8} {tally.updated:8} {tally.unchanged:10} "
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
