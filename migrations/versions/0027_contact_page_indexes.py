"""contacts read for the client page and the employer register from indexes

Revision ID: 0027
Revises: 0028
Create Date: 2026-12-01 13:30:00

The client page shows a client's contacts 20 at a time, newest first. Through
ix_contact_client_kind_date every contact of the client was read and sorted for each page (414
rows for a typical client at institution size, 0.4 ms on SQLite, 1-2 ms of the PostgreSQL
server, growing with the history); ix_contact_client_date gives the page's rows in order and
the count from the index alone.

The employer register counts, for a page of 50 employers, the contacts with each by the reader's
teams (scope.contacts_of: the contact's client, or the worker of a general contact). Through
ix_contact_employer_date every such contact was read from the table for its client and worker
(2,300 rows: 5 ms on SQLite, 6 ms on PostgreSQL). ix_contact_employer_date_who replaces it: the
same leading columns (employer, date) plus client and worker, so the count is read from the index
alone (0.7 ms; an index-only scan on PostgreSQL), and only the contacts with an employer (about
5 %), so it is smaller than the index it replaces.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0027'
down_revision = '0028'
branch_labels = None
depends_on = None

# Written out rather than imported from caseload.models.contacts: a migration describes the
# schema as it was at this revision.
CLIENT_DATE = "ix_contact_client_date"
OLD_EMPLOYER = "ix_contact_employer_date"
EMPLOYER = "ix_contact_employer_date_who"
WITH_EMPLOYER = "employer_id IS NOT NULL"


def upgrade():
    with op.batch_alter_table('contact', schema=None) as batch_op:
        batch_op.create_index(CLIENT_DATE, ["client_id", "contact_date", "id"], unique=False)
        batch_op.create_index(EMPLOYER, ["employer_id", "contact_date", "client_id", "worker_id"],
                              unique=False, sqlite_where=sa.text(WITH_EMPLOYER),
                              postgresql_where=sa.text(WITH_EMPLOYER))
        batch_op.drop_index(OLD_EMPLOYER)


def downgrade():
    with op.batch_alter_table('contact', schema=None) as batch_op:
        batch_op.create_index(OLD_EMPLOYER, ["employer_id", "contact_date"], unique=False)
        batch_op.drop_index(EMPLOYER)
        batch_op.drop_index(CLIENT_DATE)
