"""appointments, outreach attempts, calendar feeds

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01 07:46:32.478818

"""
import sqlalchemy as sa
from alembic import op

import caseload.models.base

# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('calendar_feed',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', caseload.models.base.UTCDateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_calendar_feed_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_feed')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_calendar_feed_token_hash')),
    sa.UniqueConstraint('user_id', name=op.f('uq_calendar_feed_user_id'))
    )
    op.create_table('appointment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('worker_id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=True),
    sa.Column('employer_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('mode', sa.String(length=20), nullable=False),
    sa.Column('place', sa.String(length=20), nullable=False),
    sa.Column('location', sa.String(length=160), nullable=False),
    sa.Column('starts_at', caseload.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('moved_to_id', sa.Integer(), nullable=True),
    sa.Column('created_at', caseload.models.base.UTCDateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint("kind IN ('client', 'employer', 'treatment_team')", name=op.f('ck_appointment_kind_known')),
    sa.CheckConstraint("mode IN ('face_to_face', 'phone', 'video', 'email', 'text')", name=op.f('ck_appointment_mode_known')),
    sa.CheckConstraint("place IN ('community', 'office')", name=op.f('ck_appointment_place_known')),
    sa.CheckConstraint("status IN ('planned', 'done', 'moved', 'no_show')", name=op.f('ck_appointment_status_known')),
    sa.CheckConstraint('minutes > 0 AND minutes <= 720', name=op.f('ck_appointment_minutes_range')),
    sa.CheckConstraint("client_id IS NOT NULL OR kind = 'employer'", name=op.f('ck_appointment_client_named')),
    sa.ForeignKeyConstraint(['client_id'], ['client.id'], name=op.f('fk_appointment_client_id_client'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['employer_id'], ['employer.id'], name=op.f('fk_appointment_employer_id_employer')),
    sa.ForeignKeyConstraint(['moved_to_id'], ['appointment.id'], name=op.f('fk_appointment_moved_to_id_appointment')),
    sa.ForeignKeyConstraint(['worker_id'], ['user.id'], name=op.f('fk_appointment_worker_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_appointment'))
    )
    with op.batch_alter_table('appointment', schema=None) as batch_op:
        batch_op.create_index('ix_appointment_client_starts', ['client_id', 'starts_at'], unique=False)
        batch_op.create_index('ix_appointment_worker_starts', ['worker_id', 'starts_at'], unique=False)

    op.create_table('outreach_attempt',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('worker_id', sa.Integer(), nullable=False),
    sa.Column('attempted_on', sa.Date(), nullable=False),
    sa.Column('method', sa.String(length=20), nullable=False),
    sa.Column('appointment_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('created_at', caseload.models.base.UTCDateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint("method IN ('no_show', 'phone_unanswered', 'message_left', 'home_visit', 'letter')", name=op.f('ck_outreach_attempt_method_known')),
    sa.ForeignKeyConstraint(['appointment_id'], ['appointment.id'], name=op.f('fk_outreach_attempt_appointment_id_appointment'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['client_id'], ['client.id'], name=op.f('fk_outreach_attempt_client_id_client'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['worker_id'], ['user.id'], name=op.f('fk_outreach_attempt_worker_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outreach_attempt')),
    sa.UniqueConstraint('appointment_id', name=op.f('uq_outreach_attempt_appointment_id'))
    )
    with op.batch_alter_table('outreach_attempt', schema=None) as batch_op:
        batch_op.create_index('ix_outreach_attempt_client_on', ['client_id', 'attempted_on'], unique=False)



def downgrade():
    with op.batch_alter_table('outreach_attempt', schema=None) as batch_op:
        batch_op.drop_index('ix_outreach_attempt_client_on')

    op.drop_table('outreach_attempt')
    with op.batch_alter_table('appointment', schema=None) as batch_op:
        batch_op.drop_index('ix_appointment_worker_starts')
        batch_op.drop_index('ix_appointment_client_starts')

    op.drop_table('appointment')
    op.drop_table('calendar_feed')
