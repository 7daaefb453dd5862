"""outcomes: the per-worker index of face-to-face employer contacts covering; assignments by team

Revision ID: 0029
Revises: 0024
Create Date: 2026-12-01 13:20:00

ix_contact_employer_f2f_worker (migration 0024) held (worker_id, contact_date) only. SQLite
(no statistics) then rated it the same as ix_contact_worker_date, which reads every contact of
the worker, and picked whichever index the schema lists first: on a database built from the
models (a new installation, the bench) it read ~59,000 contacts for a team's year instead of
~3,000 (80 ms instead of 1 ms). With kind and mode as trailing columns the index is covering,
so SQLite prefers it whatever the order, and PostgreSQL can answer from the index alone (as the
other partial contact indexes do, models/contacts.py).

ix_trajectory_assignment_team_trajectory: the outcomes per worker ask for the periods a team held
(assignment.team_id); without it both databases read every assignment of the organisation
(SQLite through ix_trajectory_assignment_worker_from, PostgreSQL by a sequential scan), seven
times per page.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0029'
down_revision = '0024'
branch_labels = None
depends_on = None

# Written out rather than imported from caseload.models.contacts: a migration describes the
# schema as it was at this revision.
NAME = "ix_contact_employer_f2f_worker"
TEAM_INDEX = "ix_trajectory_assignment_team_trajectory"
WHERE = "kind IN ('employer', 'education') AND mode = 'face_to_face'"


def upgrade():
    with op.batch_alter_table('contact', schema=None) as batch_op:
        batch_op.drop_index(NAME)
        batch_op.create_index(NAME, ["worker_id", "contact_date", "kind", "mode"], unique=False,
                              sqlite_where=sa.text(WHERE), postgresql_where=sa.text(WHERE))
    with op.batch_alter_table('trajectory_assignment', schema=None) as batch_op:
        batch_op.create_index(TEAM_INDEX, ["team_id", "trajectory_id"], unique=False)


def downgrade():
    with op.batch_alter_table('trajectory_assignment', schema=None) as batch_op:
        batch_op.drop_index(TEAM_INDEX)
    with op.batch_alter_table('contact', schema=None) as batch_op:
        batch_op.drop_index(NAME)
        batch_op.create_index(NAME, ["worker_id", "contact_date"], unique=False,
                              sqlite_where=sa.text(WHERE), postgresql_where=sa.text(WHERE))
