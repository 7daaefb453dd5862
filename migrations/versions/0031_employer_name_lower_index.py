"""an index on lower(employer.name), for finding an employer by name ignoring case

Revision ID: 0031
Revises: 0027
Create Date: 2026-12-01 13:30:00

Every employer line of a daily log, and a new placement, finds its employer with
models.employers.same_name (`name = :name OR lower(name) = :lower`); without an index on
lower(name) both databases read the whole employer register for it (1,500 employers at
institution size: 1 ms of PostgreSQL CPU per line, growing with the register).
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0031'
down_revision = '0027'
branch_labels = None
depends_on = None

NAME = "ix_employer_name_lower"


def upgrade():
    op.create_index(NAME, "employer", [sa.text("lower(name)")], unique=False)


def downgrade():
    op.drop_index(NAME, table_name="employer")
