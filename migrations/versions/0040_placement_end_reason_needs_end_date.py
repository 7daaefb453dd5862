"""a placement's end reason needs its end date

Revision ID: 0040
Revises: 0039
Create Date: 2026-12-03 15:00:00

The forms, the import and the model (Placement.finish, Placement.correct) refuse an end reason
without an end date; from here on the database does too (ck_placement_end_reason_dated), so
that no other writer can store a job that ended for a reason but never ended.

If existing placements hold an end reason without an end date, the constraint cannot be
added and nothing is changed: the upgrade stops and names them (placement id and client
code), so that each can be corrected (the client page, the job's "Correct") before it is run
again. Which date a job ended on is not something a migration can know.
"""
import warnings

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0040'
down_revision = '0039'
branch_labels = None
depends_on = None

CONSTRAINT = "end_reason_dated"
CONDITION = "end_reason IS NULL OR end_date IS NOT NULL"


class EndReasonsWithoutEndDate(RuntimeError):
    pass


def upgrade():
    connection = op.get_bind()
    undated = connection.execute(sa.text(
        # LEFT JOINs: a placement whose trajectory or client is missing (SQLite without its
        # foreign keys enforced) is named too, rather than failing the rebuild unexplained.
        "SELECT p.id, c.client_code FROM placement p"
        " LEFT JOIN trajectory t ON t.id = p.trajectory_id"
        " LEFT JOIN client c ON c.id = t.client_id"
        " WHERE p.end_reason IS NOT NULL AND p.end_date IS NULL ORDER BY p.id")).all()
    if undated:
        raise EndReasonsWithoutEndDate(
            "These jobs have an end reason but no end date: "
            + "; ".join(f"placement {placement_id} of client {code or '(none found)'}"
                        for placement_id, code in undated)
            + ". Give each its end date, or remove its end reason (the client page, the job's "
            "'Correct'), and run the upgrade again; nothing was changed.")
    # SQLite rebuilds the table, reflecting the tables it refers to: the client table's index
    # on upper(client_code) (0039) is one SQLAlchemy cannot reflect, and says so; it is not
    # the placement table's and is left as it is.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based")
        _add_check()


def _add_check():
    with op.batch_alter_table("placement", schema=None) as batch_op:
        batch_op.create_check_constraint(op.f(f"ck_placement_{CONSTRAINT}"), CONDITION)


def downgrade():
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based")
        with op.batch_alter_table("placement", schema=None) as batch_op:
            batch_op.drop_constraint(op.f(f"ck_placement_{CONSTRAINT}"), type_="check")
