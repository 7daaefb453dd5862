"""a trajectory's phase changes in date order, with the phase (replaces the trajectory index)

Revision ID: 0028
Revises: 0029
Create Date: 2026-12-01 13:30:00

A trajectory's phase on a day is its latest phase change on or before that day, the later id
on a tie (norms.sql.latest_phase: the weekly norm's job seekers, the checklist). Through the
index on trajectory_id alone each lookup read the trajectory's changes and sorted them; in
(trajectory_id, changed_on, id, phase) it is one backward seek that reads the phase from the
index (SQLite and PostgreSQL both; bench/README.md, helper d). The new index starts with
trajectory_id, so it serves every lookup the old one did, which is dropped.
"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0028'
down_revision = '0029'
branch_labels = None
depends_on = None

NAME = "ix_phase_change_trajectory_changed"


def upgrade():
    with op.batch_alter_table('phase_change', schema=None) as batch_op:
        batch_op.create_index(NAME, ["trajectory_id", "changed_on", "id", "phase"], unique=False)
        batch_op.drop_index('ix_phase_change_trajectory_id')


def downgrade():
    with op.batch_alter_table('phase_change', schema=None) as batch_op:
        batch_op.create_index('ix_phase_change_trajectory_id', ['trajectory_id'], unique=False)
        batch_op.drop_index(NAME)
