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
            for table in reversed(db.metadata.sorted_tables):
                db.session.execute(table.delete())
            db.session.commit()
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
        db.session.commit()
        click.echo(f"Administrator {email} created.")
