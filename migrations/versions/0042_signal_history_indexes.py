"""the signals review's history read from the teams' closed signals

Revision ID: 0042
Revises: 0041
Create Date: 2026-12-03 16:00:00

The review's history (a team's last 50 resolved or acknowledged signals) read every signal
backwards by id until it had found the team's 50th: at national size on PostgreSQL all 50,000
signals for a team with fewer closed ones, and ever more as resolved signals pile up over the
years. Two partial indexes of the closed signals, by trajectory and by worker, let it read the
teams' own closed signals only (review/queries.history), on both databases. The condition's
columns are in the indexes, so that SQLite reads them alone (as ix_signal_open_*).
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0042'
down_revision = '0041'
branch_labels = None
depends_on = None

CLOSED = "resolved_at IS NOT NULL OR acknowledged_at IS NOT NULL"


def upgrade():
    op.create_index("ix_signal_closed_trajectory", "signal",
                    ["trajectory_id", "id", "resolved_at", "acknowledged_at"],
                    sqlite_where=sa.text(CLOSED), postgresql_where=sa.text(CLOSED))
    op.create_index("ix_signal_closed_worker", "signal",
                    ["worker_id", "trajectory_id", "id", "resolved_at", "acknowledged_at"],
                    sqlite_where=sa.text(CLOSED), postgresql_where=sa.text(CLOSED))


def downgrade():
    op.drop_index("ix_signal_closed_worker", table_name="signal")
    op.drop_index("ix_signal_closed_trajectory", table_name="signal")
