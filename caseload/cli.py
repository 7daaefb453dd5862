"""Command-line entry points (flask <command>)."""

from __future__ import annotations

import click
from flask import Flask


def register_commands(app: Flask) -> None:
    @app.cli.command("demo-data")
    @click.option("--reset", is_flag=True, help="Delete all data first.")
    @click.option("--if-empty", is_flag=True, help="Do nothing when users exist already.")
    def demo_data(reset: bool, if_empty: bool) -> None:
        """Create a realistic demo team: a coordinator, three workers, ~40 clients."""
        from caseload import clock
        from caseload.demo import create_demo_data
        from caseload.extensions import db
        from caseload.models import User

        if reset:
            # Drop and create rather than DELETE: the logs are append-only in the database.
            db.session.remove()
            db.drop_all()
            db.create_all()
        elif db.session.query(User.id).first() is not None:
            if if_empty:
                click.echo("Data present; demo data not added.")
                return
            raise click.ClickException("The database is not empty; use --reset to replace it.")
        summary = create_demo_data(db.session, today=clock.today())
        click.echo(summary)

    @app.cli.command("create-admin")
    @click.argument("email")
    @click.option("--name", default="Administrator")
    @click.password_option()
    def create_admin(email: str, name: str, password: str) -> None:
        """Create an administrator account."""
        from caseload.extensions import db
        from caseload.models import DomainError, User

        user = User(email=email.lower(), name=name, role="admin")
        try:
            user.set_password(password)
        except DomainError as error:
            raise click.ClickException(str(error.message)) from error
        db.session.add(user)
        from caseload import audit
        audit.user_saved(user, None, password_set=True)  # by "system" in the administration log
        db.session.commit()
        click.echo(f"Administrator {email} created.")

    @app.cli.command("import-data")
    @click.argument("directory", type=click.Path(exists=True))
    @click.option("--dry-run", is_flag=True, help="Check everything and show what would change; "
                  "write nothing.")
    def import_data(directory: str, dry_run: bool) -> None:
        """Import workers, absences, clients, phases, profiles, disclosures, benefits plans,
        placements and contacts from the CSV files in DIRECTORY, or from one Excel workbook
        (.xlsx, a sheet per file), in one transaction (all or nothing)."""
        from caseload.importer import run_cli

        exit_code = run_cli(directory, dry_run=dry_run)
        if exit_code:
            raise SystemExit(exit_code)


def register_norm_commands(app: Flask) -> None:
    import json

    from flask.cli import AppGroup

    norms_cli = AppGroup("norms", help="Evaluate the IPS norms.")

    @norms_cli.command("check")
    @click.option("--as-of", "as_of", help="Date to evaluate (YYYY-MM-DD); default today.")
    @click.option("--json", "as_json", is_flag=True, help="Print the open signals as JSON.")
    def check(as_of: str | None, as_json: bool) -> None:
        """Evaluate all norms as of a date, store the signals and print the open ones."""
        from functools import cache

        from flask_babel import force_locale

        from caseload import clock, dates
        from caseload.extensions import db
        from caseload.jobs.norm_jobs import daily_evaluation
        from caseload.signal_texts import details, facts_key, settings_in_force
        from caseload.signals import open_signal_subjects

        try:
            day = clock.parse_date(as_of) if as_of else clock.today()
        except ValueError as error:
            raise click.BadParameter(
                f"use the form YYYY-MM-DD, a year from {clock.EARLIEST_YEAR} to "
                f"{clock.LATEST_YEAR}", param_hint="--as-of") from error
        result = daily_evaluation(day)
        # Plain rows (a large organisation has thousands of open signals), the settings read
        # once and each date's text made once.
        signals = open_signal_subjects(db.session)
        settings = settings_in_force()
        with force_locale("en"):
            day_text = cache(dates.day)
            said: dict = {}  # each text made once for the same norm and facts

            def told(norm, facts):
                key = facts_key(norm, facts)
                if key not in said:
                    said[key] = details(norm, facts, settings, day=day_text)
                return said[key]

            rows = [{
                "norm": s.norm,
                "subject": s.client_code if s.trajectory_id is not None else s.worker_email,
                "since": s.anchor.isoformat(),
                "details": told(s.norm, s.facts),
            } for s in sorted(signals, key=lambda s: (s.norm, s.anchor, s.subject_key))]
        if as_json:
            click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
            return
        click.echo(f"As of {day}: {result.opened} new, {result.still_open} still open, "
                   f"{result.resolved} resolved.")
        for row in rows:
            click.echo(f"{row['norm']:36} {row['subject']:28} since {row['since']}  {row['details']}")

    app.cli.add_command(norms_cli)

    @app.cli.command("scheduler")
    @click.option("--standby", is_flag=True, help="While another scheduler holds the lock, "
                  "wait and take over when it stops, instead of exiting.")
    def scheduler(standby: bool) -> None:
        """Run the scheduled jobs in this process (production: its own process)."""
        from caseload.jobs.scheduler import run_forever
        run_forever(app, standby=standby)


def register_job_commands(app: Flask) -> None:
    from flask.cli import AppGroup

    jobs_cli = AppGroup("jobs", help="Run a scheduled job by hand.")

    @jobs_cli.command("run")
    @click.argument("job", type=click.Choice(
        ["daily_evaluation", "weekly_employer_contacts", "worker_digests", "coordinator_digests",
         "send_outbox", "retention_erasure", "expire_drafts",
         "access_log_retention"]))
    @click.option("--as-of", "as_of", help="Date (YYYY-MM-DD); default today.")
    def run(job: str, as_of: str | None) -> None:
        """Run one job now, as the scheduler would (logged to standard output; the Jobs page
        shows the scheduler's runs only)."""
        from caseload import clock
        from caseload.jobs.runs import run_job

        try:
            day = clock.parse_date(as_of) if as_of else clock.today()
        except ValueError as error:
            raise click.BadParameter(
                f"use the form YYYY-MM-DD, a year from {clock.EARLIEST_YEAR} to "
                f"{clock.LATEST_YEAR}", param_hint="--as-of") from error
        ok, result = run_job(app, job, trigger="cli", as_of=day, record=False)
        if not ok:
            raise click.ClickException(f"{job} for {day} failed (see the log above)")
        click.echo(result if job == "send_outbox" else f"{job} for {day}: {result}")

    app.cli.add_command(jobs_cli)
