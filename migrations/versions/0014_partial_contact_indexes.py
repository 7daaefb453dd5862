"""partial contact indexes for the norms (face-to-face client and employer contacts)

Revision ID: 0014
Revises: 0010
Create Date: 2026-12-01 07:40:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0010'
branch_labels = None
depends_on = None

# Written out rather than imported from caseload.models.contacts: a migration describes the
# schema as it was at this revision.
PARTIAL_INDEXES = (
    ("ix_contact_client_f2f", ["client_id", "kind", "mode", "contact_date"],
     "kind = 'client' AND mode = 'face_to_face'"),
    ("ix_contact_employer_f2f_client", ["client_id", "kind", "mode", "contact_date"],
     "kind = 'employer' AND mode = 'face_to_face'"),
    ("ix_contact_employer_f2f_week", ["contact_date", "worker_id"],
     "kind IN ('employer', 'education') AND mode = 'face_to_face'"),
)


def upgrade():
    with op.batch_alter_table('contact', schema=None) as batch_op:
        for name, columns, where in PARTIAL_INDEXES:
            batch_op.create_index(name, columns, unique=False,
                                  sqlite_where=sa.text(where), postgresql_where=sa.text(where))


def downgrade():
    with op.batch_alter_table('contact', schema=None) as batch_op:
        for name, _columns, _where in PARTIAL_INDEXES:
            batch_op.drop_index(name)
