"""a team's assignment periods with their worker and dates, from the index alone

Revision ID: 0043
Revises: 0042
Create Date: 2026-12-03 16:20:00

ix_trajectory_assignment_team_trajectory (team_id, trajectory_id) found a team's periods;
the weekly checklist then read each period's row for its worker and dates (held during the
week?). With worker_id, from_date and until in the index it reads the index alone: on SQLite
0.7 M fewer instructions a checklist (bench/README.md, "the weekly checklist, ninth pass");
the look-ups the index served keep its first two columns.
"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0043'
down_revision = '0042'
branch_labels = None
depends_on = None

INDEX = "ix_trajectory_assignment_team_trajectory"


def upgrade():
    op.drop_index(INDEX, table_name="trajectory_assignment")
    op.create_index(INDEX, "trajectory_assignment",
                    ["team_id", "trajectory_id", "worker_id", "from_date", "until"])


def downgrade():
    op.drop_index(INDEX, table_name="trajectory_assignment")
    op.create_index(INDEX, "trajectory_assignment", ["team_id", "trajectory_id"])
