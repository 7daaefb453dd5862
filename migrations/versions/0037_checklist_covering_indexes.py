"""the weekly checklist's open signals and job seekers read from their indexes alone

Revision ID: 0037
Revises: 0032
Create Date: 2026-12-01 19:00:00

ix_signal_open_worker (migration 0032) holds the open signals by (worker_id, norm,
trajectory_id); the checklist's count names resolved_at and acknowledged_at, which SQLite reads
from the table for every open signal of the team's workers (~1,800 rows at institution size)
although the index's condition makes them NULL. With both columns in the index it is covering.

ix_trajectory_assignment_worker_from (worker_id, from_date): the week's job seekers of the
checklist's workers (and the daily job's) read each period's until and trajectory from the
table (~950 rows); with both in the index it is covering. Together 0.4-0.8 ms of the
checklist's CPU on SQLite (bench/README.md, helper S). PostgreSQL keeps its plans at this size.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0037'
down_revision = '0034'
branch_labels = None
depends_on = None

# Written out rather than imported from the models: a migration describes the schema as it was
# at this revision.
SIGNALS = "ix_signal_open_worker"
OPEN = "resolved_at IS NULL AND acknowledged_at IS NULL"
PERIODS = "ix_trajectory_assignment_worker_from"


def upgrade():
    with op.batch_alter_table('signal', schema=None) as batch_op:
        batch_op.drop_index(SIGNALS)
        batch_op.create_index(
            SIGNALS, ["worker_id", "norm", "trajectory_id", "resolved_at", "acknowledged_at"],
            unique=False, sqlite_where=sa.text(OPEN), postgresql_where=sa.text(OPEN))
    with op.batch_alter_table('trajectory_assignment', schema=None) as batch_op:
        batch_op.drop_index(PERIODS)
        batch_op.create_index(PERIODS, ["worker_id", "from_date", "until", "trajectory_id"],
                              unique=False)


def downgrade():
    with op.batch_alter_table('trajectory_assignment', schema=None) as batch_op:
        batch_op.drop_index(PERIODS)
        batch_op.create_index(PERIODS, ["worker_id", "from_date"], unique=False)
    with op.batch_alter_table('signal', schema=None) as batch_op:
        batch_op.drop_index(SIGNALS)
        batch_op.create_index(SIGNALS, ["worker_id", "norm", "trajectory_id"], unique=False,
                              sqlite_where=sa.text(OPEN), postgresql_where=sa.text(OPEN))
