"""the open signals by trajectory, with their anchor (a partial covering index)

Revision ID: 0034
Revises: 0032
Create Date: 2026-12-01 19:00:00

The signals review counts and pages a team's open signals, newest first, through the team's
clients' trajectories (review/queries.py): through ix_signal_trajectory_id SQLite read every
open signal of the team from the table (its facts included) to count them and to sort them
for the page. In (trajectory_id, anchor) over the open signals only, with the two columns of
its condition (so that SQLite's planner sees it covers the count and the page's keys), the
count and the page's ids and anchors come from the index; the page's 50 rows are read after.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0034'
down_revision = '0032'
branch_labels = None
depends_on = None

# Written out rather than imported from caseload.models.signals: a migration describes the
# schema as it was at this revision.
NAME = "ix_signal_open_trajectory"
WHERE = "resolved_at IS NULL AND acknowledged_at IS NULL"


def upgrade():
    with op.batch_alter_table('signal', schema=None) as batch_op:
        batch_op.create_index(NAME, ["trajectory_id", "anchor", "resolved_at", "acknowledged_at"],
                              unique=False, sqlite_where=sa.text(WHERE),
                              postgresql_where=sa.text(WHERE))


def downgrade():
    with op.batch_alter_table('signal', schema=None) as batch_op:
        batch_op.drop_index(NAME)
