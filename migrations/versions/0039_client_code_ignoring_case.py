"""client codes unique ignoring case, stored in upper case

Revision ID: 0039
Revises: 0038
Create Date: 2026-12-02 10:00:00

"ab123" and "AB123" were two clients. From here on a code is stored in upper case (the model
upper-cases every code it is given, and the forms, the import and the look-ups upper-case
what is typed), and a unique index on upper(client_code) keeps two codes that differ in case
only out of the database, whatever writes them.

Existing codes are upper-cased here. If two existing clients hold codes that differ in case
only, the index cannot be built and no code is changed: the upgrade stops and names them, so
that one of each pair can be renamed (its client page, "Edit") before it is run again. The
downgrade drops the index; the codes stay in upper case (which case they were typed in is not
kept).
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0039'
down_revision = '0038'
branch_labels = None
depends_on = None

INDEX = "uq_client_code_upper"
# Written out rather than imported from the models (models.clients.normalise_client_code):
# a migration does what it did at this revision. ASCII letters only, as SQLite's upper().
ASCII_UPPER = str.maketrans("abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")


class ClientCodesDifferInCaseOnly(RuntimeError):
    pass


def upgrade():
    connection = op.get_bind()
    # upper() of the database, as the index will compare them: on PostgreSQL it also folds
    # letters outside ASCII (a code of an old import may hold them).
    clashes = connection.execute(sa.text(
        "SELECT c.id, c.client_code, upper(c.client_code) FROM client c WHERE upper(c.client_code)"
        " IN (SELECT upper(client_code) FROM client GROUP BY upper(client_code)"
        " HAVING count(*) > 1) ORDER BY upper(c.client_code), c.client_code")).all()
    if clashes:
        groups: dict[str, list[str]] = {}
        for client_id, code, folded in clashes:
            groups.setdefault(folded, []).append(f"{code} (client id {client_id})")
        raise ClientCodesDifferInCaseOnly(
            "Client codes must be unique ignoring case, and these differ in case only: "
            + "; ".join(" and ".join(codes) for codes in groups.values())
            + ". Rename one client of each group (its client page, 'Edit') and run the upgrade "
            "again; nothing was changed.")
    rows = connection.execute(sa.text("SELECT id, client_code FROM client")).all()
    for client_id, code in rows:
        if code.translate(ASCII_UPPER) != code:
            connection.execute(sa.text("UPDATE client SET client_code = :code WHERE id = :id"),
                               {"code": code.translate(ASCII_UPPER), "id": client_id})
    op.create_index(INDEX, "client", [sa.text("upper(client_code)")], unique=True)


def downgrade():
    op.drop_index(INDEX, table_name="client")
