"""a team's clients and their trajectories read from indexes alone

Revision ID: 0041
Revises: 0040
Create Date: 2026-12-03 15:40:00

Every team-scoped list joins the team's clients to their trajectories (scope.clients_of: the
signals review, the checklist, the outcomes, the caseload). With an index on client.team_id
and one on trajectory.client_id, PostgreSQL read each client row for erased_at and then judged
244 trajectory look-ups dearer than hashing the whole trajectory table, for every statement:
at national size (28,000 trajectories) 4 of the 4.7 ms of the review's count. The two indexes
become covering ones, (team_id, erased_at, id) and (client_id, id), which it reads without the
tables (the count 6.7 -> 1.2 ms, bench/README.md); they serve every look-up the old ones
served.
"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0041'
down_revision = '0040'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_client_team", "client", ["team_id", "erased_at", "id"])
    op.drop_index("ix_client_team_id", table_name="client")
    op.create_index("ix_trajectory_client", "trajectory", ["client_id", "id"])
    op.drop_index("ix_trajectory_client_id", table_name="trajectory")


def downgrade():
    op.create_index("ix_trajectory_client_id", "trajectory", ["client_id"])
    op.drop_index("ix_trajectory_client", table_name="trajectory")
    op.create_index("ix_client_team_id", "client", ["team_id"])
    op.drop_index("ix_client_team", table_name="client")
