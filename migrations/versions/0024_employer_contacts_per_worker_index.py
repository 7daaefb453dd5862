"""face-to-face employer and education contacts per worker and date (a partial index)

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-01 12:20:00

The outcomes page's weekly series counts a team's face-to-face contacts with employers and
education institutions over a period, per worker. Through ix_contact_worker_date that read every
contact of each worker in the period (about 59,000 rows for a team at institution size, 25 ms on
SQLite); this index holds only the contacts counted (0.5 ms). The query names kind and mode as
constants (norms.sql.written), as a partial index needs.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0024'
down_revision = '0023'
branch_labels = None
depends_on = None

# Written out rather than imported from caseload.models.contacts: a migration describes the
# schema as it was at this revision.
NAME = "ix_contact_employer_f2f_worker"
WHERE = "kind IN ('employer', 'education') AND mode = 'face_to_face'"


def upgrade():
    with op.batch_alter_table('contact', schema=None) as batch_op:
        batch_op.create_index(NAME, ["worker_id", "contact_date"], unique=False,
                              sqlite_where=sa.text(WHERE), postgresql_where=sa.text(WHERE))


def downgrade():
    with op.batch_alter_table('contact', schema=None) as batch_op:
        batch_op.drop_index(NAME)
