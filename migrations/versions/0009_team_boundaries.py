"""team boundaries: worker history of trajectories, cover during absence, employer changes

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 07:40:00

"""
import sqlalchemy as sa
from alembic import op

import caseload.models.base

# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('employer_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('employer_id', sa.Integer(), nullable=False),
    sa.Column('field', sa.String(length=40), nullable=False),
    sa.Column('old_value', sa.Text(), nullable=False),
    sa.Column('new_value', sa.Text(), nullable=False),
    sa.Column('changed_by_id', sa.Integer(), nullable=True),
    sa.Column('changed_at', caseload.models.base.UTCDateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['changed_by_id'], ['user.id'], name=op.f('fk_employer_change_changed_by_id_user')),
    sa.ForeignKeyConstraint(['employer_id'], ['employer.id'], name=op.f('fk_employer_change_employer_id_employer'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_employer_change'))
    )
    with op.batch_alter_table('employer_change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_employer_change_employer_id'), ['employer_id'], unique=False)

    op.create_table('trajectory_assignment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('trajectory_id', sa.Integer(), nullable=False),
    sa.Column('worker_id', sa.Integer(), nullable=True),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('from_date', sa.Date(), nullable=False),
    sa.Column('until', sa.Date(), nullable=True),
    sa.Column('assigned_by_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('reason', sa.String(length=20), nullable=False),
    sa.Column('created_at', caseload.models.base.UTCDateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint('until IS NULL OR until >= from_date', name=op.f('ck_trajectory_assignment_period_order')),
    sa.ForeignKeyConstraint(['assigned_by_id'], ['user.id'], name=op.f('fk_trajectory_assignment_assigned_by_id_user')),
    sa.ForeignKeyConstraint(['team_id'], ['team.id'], name=op.f('fk_trajectory_assignment_team_id_team')),
    sa.ForeignKeyConstraint(['trajectory_id'], ['trajectory.id'], name=op.f('fk_trajectory_assignment_trajectory_id_trajectory'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['worker_id'], ['user.id'], name=op.f('fk_trajectory_assignment_worker_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_trajectory_assignment'))
    )
    with op.batch_alter_table('trajectory_assignment', schema=None) as batch_op:
        batch_op.create_index('ix_trajectory_assignment_trajectory_from', ['trajectory_id', 'from_date'], unique=False)
        batch_op.create_index('ix_trajectory_assignment_worker_from', ['worker_id', 'from_date'], unique=False)
        batch_op.create_index('uq_trajectory_assignment_one_current', ['trajectory_id'], unique=True, sqlite_where=sa.text('until IS NULL'), postgresql_where=sa.text('until IS NULL'))

    # Every existing trajectory was held by its worker since program entry.
    op.execute(
        "INSERT INTO trajectory_assignment (trajectory_id, worker_id, team_id, from_date, until, "
        "assigned_by_id, note, reason, created_at) "
        "SELECT trajectory.id, trajectory.worker_id, client.team_id, "
        "trajectory.program_entry_date, NULL, NULL, '', 'start', CURRENT_TIMESTAMP "
        "FROM trajectory JOIN client ON client.id = trajectory.client_id")

    with op.batch_alter_table('absence', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cover_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_absence_cover_id_user'), 'user', ['cover_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('trajectory', schema=None) as batch_op:
        batch_op.alter_column('worker_id',
               existing_type=sa.INTEGER(),
               nullable=True)



def downgrade():
    with op.batch_alter_table('trajectory', schema=None) as batch_op:
        batch_op.alter_column('worker_id',
               existing_type=sa.INTEGER(),
               nullable=False)

    with op.batch_alter_table('absence', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_absence_cover_id_user'), type_='foreignkey')
        batch_op.drop_column('cover_id')

    with op.batch_alter_table('trajectory_assignment', schema=None) as batch_op:
        batch_op.drop_index('uq_trajectory_assignment_one_current', sqlite_where=sa.text('until IS NULL'), postgresql_where=sa.text('until IS NULL'))
        batch_op.drop_index('ix_trajectory_assignment_worker_from')
        batch_op.drop_index('ix_trajectory_assignment_trajectory_from')

    op.drop_table('trajectory_assignment')
    with op.batch_alter_table('employer_change', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_employer_change_employer_id'))

    op.drop_table('employer_change')
