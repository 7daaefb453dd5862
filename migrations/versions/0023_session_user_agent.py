"""the browser of each login session (the user's sessions page)

Revision ID: 0023
Revises: 0016
Create Date: 2026-12-01 11:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0023'
down_revision = '0020'  # relinked onto main's head (was '0016' as given)
branch_labels = None
depends_on = None


def upgrade():
    # Sessions started before are shown without a browser (empty).
    with op.batch_alter_table('user_session', schema=None) as batch_op:
        batch_op.add_column(sa.Column('user_agent', sa.String(length=200), nullable=False,
                                      server_default=''))


def downgrade():
    with op.batch_alter_table('user_session', schema=None) as batch_op:
        batch_op.drop_column('user_agent')
