"""in paid work at referral, per trajectory (the comparable employment rate)

Revision ID: 0016
Revises: 0011
Create Date: 2026-12-01 08:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0011'  # relinked onto main's head (was '0009' as given)
branch_labels = None
depends_on = None


def upgrade():
    # Nullable without a default: for trajectories recorded before, it is simply not known.
    with op.batch_alter_table('trajectory', schema=None) as batch_op:
        batch_op.add_column(sa.Column('in_work_at_referral', sa.Boolean(), nullable=True))


def downgrade():
    with op.batch_alter_table('trajectory', schema=None) as batch_op:
        batch_op.drop_column('in_work_at_referral')
