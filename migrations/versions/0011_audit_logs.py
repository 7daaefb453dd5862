"""access log to NEN 7513: role, outcome and detail on the access log; administration log;
log purges (retention) and the privacy officer's monthly reviews

Revision ID: 0011
Revises: 0017
Create Date: 2026-12-01 08:00:00

"""
import sqlalchemy as sa
from alembic import op

import caseload.models.base

# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0017'
branch_labels = None
depends_on = None

# Copied here (not imported from the models) so this migration never changes.
_PURGED = "(SELECT max(cutoff) FROM log_purge WHERE table_name = 'access_log')"
ACCESS_LOG_DELETE_SQLITE = (
    f"CREATE TRIGGER access_log_no_delete BEFORE DELETE ON access_log "
    f"WHEN {_PURGED} IS NULL OR OLD.at >= {_PURGED} "
    f"BEGIN SELECT RAISE(ABORT, 'access_log is append-only'); END")
ACCESS_LOG_FUNCTION_POSTGRESQL = (
    "CREATE OR REPLACE FUNCTION access_log_append_only() RETURNS trigger AS $$ "
    "BEGIN "
    f"IF TG_OP = 'DELETE' AND OLD.at < {_PURGED} THEN RETURN OLD; END IF; "
    "RAISE EXCEPTION 'access_log is append-only'; END; $$ LANGUAGE plpgsql")
OLD_ACCESS_LOG_DELETE_SQLITE = (
    "CREATE TRIGGER access_log_no_delete BEFORE DELETE ON access_log "
    "BEGIN SELECT RAISE(ABORT, 'access_log is append-only'); END")
OLD_ACCESS_LOG_FUNCTION_POSTGRESQL = (
    "CREATE OR REPLACE FUNCTION access_log_append_only() RETURNS trigger AS $$ "
    "BEGIN RAISE EXCEPTION 'access_log is append-only'; END; $$ LANGUAGE plpgsql")
PLAIN_FUNCTION_POSTGRESQL = (
    "CREATE OR REPLACE FUNCTION caseload_append_only() RETURNS trigger AS $$ "
    "BEGIN RAISE EXCEPTION USING MESSAGE = TG_TABLE_NAME || ' is append-only'; END; "
    "$$ LANGUAGE plpgsql")
NEW_TABLES = ("admin_log", "log_purge", "privacy_review")


def _plain_append_only(table: str, dialect: str) -> list[str]:
    if dialect == "sqlite":
        return [f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END",
                f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"]
    if dialect == "postgresql":
        return [PLAIN_FUNCTION_POSTGRESQL,
                f"CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION caseload_append_only()"]
    return []


def upgrade():
    utc = caseload.models.base.UTCDateTime(timezone=True)
    # Plain ADD COLUMN (no batch copy): the access log's triggers stay, and SQLite adds a
    # column with a constant default without rewriting the table.
    op.add_column('access_log', sa.Column('user_role', sa.String(length=20), server_default='',
                                          nullable=False))
    op.add_column('access_log', sa.Column('outcome', sa.String(length=10),
                                          server_default='allowed', nullable=False))
    op.add_column('access_log', sa.Column('detail', sa.String(length=200), server_default='',
                                          nullable=False))
    op.create_index('ix_access_log_at', 'access_log', ['at'], unique=False)

    op.create_table(
        'log_purge',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('at', utc, nullable=False),
        sa.Column('table_name', sa.String(length=40), nullable=False),
        sa.Column('as_of', sa.Date(), nullable=False),
        sa.Column('retention_days', sa.Integer(), nullable=False),
        sa.Column('cutoff', utc, nullable=False),
        sa.Column('deleted', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_log_purge')))
    op.create_index('ix_log_purge_table_cutoff', 'log_purge', ['table_name', 'cutoff'],
                    unique=False)
    op.create_table(
        'admin_log',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('at', utc, nullable=False),
        sa.Column('actor_id', sa.Integer(), nullable=True),
        sa.Column('actor_email', sa.String(length=254), nullable=False),
        sa.Column('actor_role', sa.String(length=20), nullable=False),
        sa.Column('object_type', sa.String(length=20), nullable=False),
        sa.Column('object_id', sa.Integer(), nullable=True),
        sa.Column('object_label', sa.String(length=254), nullable=False),
        sa.Column('action', sa.String(length=20), nullable=False),
        sa.Column('field', sa.String(length=60), nullable=False),
        sa.Column('old_value', sa.String(length=500), nullable=False),
        sa.Column('new_value', sa.String(length=500), nullable=False),
        sa.Column('ip', sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(['actor_id'], ['user.id'], name=op.f('fk_admin_log_actor_id_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_admin_log')))
    op.create_index('ix_admin_log_at', 'admin_log', ['at'], unique=False)
    op.create_index('ix_admin_log_object', 'admin_log', ['object_type', 'object_id'],
                    unique=False)
    op.create_table(
        'privacy_review',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('month', sa.String(length=7), nullable=False),
        sa.Column('reviewed_at', utc, nullable=False),
        sa.Column('reviewed_by_id', sa.Integer(), nullable=True),
        sa.Column('reviewed_by_email', sa.String(length=254), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['reviewed_by_id'], ['user.id'],
                                name=op.f('fk_privacy_review_reviewed_by_id_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_privacy_review')),
        sa.UniqueConstraint('month', name=op.f('uq_privacy_review_month')))

    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS access_log_no_delete")
        op.execute(ACCESS_LOG_DELETE_SQLITE)
    elif dialect == "postgresql":
        op.execute(ACCESS_LOG_FUNCTION_POSTGRESQL)
    for table in NEW_TABLES:
        for statement in _plain_append_only(table, dialect):
            op.execute(statement)


def downgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS access_log_no_delete")
        op.execute(OLD_ACCESS_LOG_DELETE_SQLITE)
    elif dialect == "postgresql":
        op.execute(OLD_ACCESS_LOG_FUNCTION_POSTGRESQL)
        op.execute("DROP FUNCTION IF EXISTS caseload_append_only() CASCADE")
    op.drop_table('privacy_review')
    op.drop_index('ix_admin_log_object', table_name='admin_log')
    op.drop_index('ix_admin_log_at', table_name='admin_log')
    op.drop_table('admin_log')
    op.drop_index('ix_log_purge_table_cutoff', table_name='log_purge')
    op.drop_table('log_purge')
    op.drop_index('ix_access_log_at', table_name='access_log')
    # Plain DROP COLUMN (SQLite 3.35+ too): no batch copy through the append-only triggers.
    for column in ('detail', 'outcome', 'user_role'):
        op.execute(f"ALTER TABLE access_log DROP COLUMN {column}")
