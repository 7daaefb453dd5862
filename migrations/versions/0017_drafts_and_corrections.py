"""form drafts kept over a session timeout; corrections with history; who recorded a placement

Revision ID: 0017
Revises: 0015
Create Date: 2026-12-01 08:00:00

"""
import sqlalchemy as sa
from alembic import op

import caseload.models.base

# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('form_draft',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('endpoint', sa.String(length=80), nullable=False),
    sa.Column('view_args', sa.Text(), nullable=False),
    sa.Column('fields', sa.Text(), nullable=False),
    sa.Column('created_at', caseload.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', caseload.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_form_draft_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_form_draft'))
    )
    with op.batch_alter_table('form_draft', schema=None) as batch_op:
        batch_op.create_index('ix_form_draft_user_created', ['user_id', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_form_draft_expires_at'), ['expires_at'], unique=False)

    op.create_table('record_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('record_type', sa.String(length=20), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=True),
    sa.Column('data', sa.Text(), nullable=False),
    sa.Column('action', sa.String(length=10), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('changed_by_id', sa.Integer(), nullable=True),
    sa.Column('changed_at', caseload.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("action IN ('edit', 'delete')", name=op.f('ck_record_version_action_known')),
    sa.CheckConstraint("record_type IN ('contact', 'placement', 'disclosure', 'benefits_plan')", name=op.f('ck_record_version_record_type_known')),
    sa.ForeignKeyConstraint(['changed_by_id'], ['user.id'], name=op.f('fk_record_version_changed_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['client_id'], ['client.id'], name=op.f('fk_record_version_client_id_client'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_record_version'))
    )
    with op.batch_alter_table('record_version', schema=None) as batch_op:
        batch_op.create_index('ix_record_version_record', ['record_type', 'record_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_record_version_client_id'), ['client_id'], unique=False)

    with op.batch_alter_table('placement', schema=None) as batch_op:
        batch_op.add_column(sa.Column('recorded_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_placement_recorded_by_id_user'), 'user', ['recorded_by_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('placement', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_placement_recorded_by_id_user'), type_='foreignkey')
        batch_op.drop_column('recorded_by_id')
    with op.batch_alter_table('record_version', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_record_version_client_id'))
        batch_op.drop_index('ix_record_version_record')
    op.drop_table('record_version')
    with op.batch_alter_table('form_draft', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_form_draft_expires_at'))
        batch_op.drop_index('ix_form_draft_user_created')
    op.drop_table('form_draft')
