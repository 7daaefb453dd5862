"""the partial contact indexes per client: the date right after the client

Revision ID: 0020
Revises: 0016
Create Date: 2026-12-01 10:45:00

PostgreSQL leaves a partial index's own condition (kind = 'client' AND mode = 'face_to_face')
out of the index condition, so with (client_id, kind, mode, contact_date) it could seek only to
the client and scanned all of that client's face-to-face contacts for every follow-along window.
With (client_id, contact_date, kind, mode) it seeks to the window's first day; SQLite uses the
index as before (a covering search on client and date).
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0020'
down_revision = '0016'
branch_labels = None
depends_on = None

# Written out rather than imported from caseload.models.contacts: a migration describes the
# schema as it was at this revision.
BEFORE = (
    ("ix_contact_client_f2f", ["client_id", "kind", "mode", "contact_date"],
     "kind = 'client' AND mode = 'face_to_face'"),
    ("ix_contact_employer_f2f_client", ["client_id", "kind", "mode", "contact_date"],
     "kind = 'employer' AND mode = 'face_to_face'"),
)
AFTER = tuple((name, ["client_id", "contact_date", "kind", "mode"], where)
              for name, _columns, where in BEFORE)


def _replace(indexes):
    with op.batch_alter_table('contact', schema=None) as batch_op:
        for name, _columns, _where in indexes:
            batch_op.drop_index(name)
        for name, columns, where in indexes:
            batch_op.create_index(name, columns, unique=False,
                                  sqlite_where=sa.text(where), postgresql_where=sa.text(where))


def upgrade():
    _replace(AFTER)


def downgrade():
    _replace(BEFORE)
