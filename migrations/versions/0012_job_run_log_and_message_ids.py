"""job run log; one stored Message-ID per outbox message

Revision ID: 0012
Revises: 0009
Create Date: 2026-12-01 07:50:00

"""
import sqlalchemy as sa
from alembic import op

import caseload.models.base

# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'job_run_log',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('job', sa.String(length=60), nullable=False),
        sa.Column('trigger', sa.String(length=10), nullable=False),
        sa.Column('as_of', sa.Date(), nullable=False),
        sa.Column('started_at', caseload.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column('finished_at', caseload.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('summary', sa.String(length=500), nullable=False),
        sa.Column('error', sa.Text(), nullable=False),
        sa.Column('runner', sa.String(length=120), nullable=False),
        sa.CheckConstraint("status IN ('running', 'ok', 'failed')",
                           name=op.f('ck_job_run_log_status_known')),
        sa.CheckConstraint("trigger IN ('schedule', 'catch_up', 'start', 'cli')",
                           name=op.f('ck_job_run_log_trigger_known')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_job_run_log')),
    )
    with op.batch_alter_table('job_run_log', schema=None) as batch_op:
        batch_op.create_index('ix_job_run_log_job_started_at', ['job', 'started_at'], unique=False)

    # Messages queued before this revision get an id derived from their row id; new ones get a
    # random one when they are queued (caseload/mail/outbox.py).
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('message_id', sa.String(length=250), nullable=True))
    op.execute("UPDATE outbox_message SET message_id = "
               "'<caseload-outbox-' || id || '@caseload.invalid>'")
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.alter_column('message_id', existing_type=sa.String(length=250), nullable=False)
        batch_op.create_unique_constraint('uq_outbox_message_message_id', ['message_id'])


def downgrade():
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.drop_constraint('uq_outbox_message_message_id', type_='unique')
        batch_op.drop_column('message_id')
    with op.batch_alter_table('job_run_log', schema=None) as batch_op:
        batch_op.drop_index('ix_job_run_log_job_started_at')
    op.drop_table('job_run_log')
