"""Database-level guard: the audit table refuses UPDATE (and, on PostgreSQL, DELETE).

SQLite gets an UPDATE guard only: Django empties tables with DELETE there (test flushes), while
on PostgreSQL it uses TRUNCATE, which row triggers do not see. Retention clean-up, if ever
required by law, is a deliberate DBA action that drops the trigger first.
"""

from django.db import migrations

PG_FORWARD = [
    """CREATE OR REPLACE FUNCTION xxgk_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit log is append-only';
END;
$$ LANGUAGE plpgsql""",
    """CREATE TRIGGER audit_auditevent_append_only
    BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION xxgk_audit_append_only()""",
]
PG_BACKWARD = [
    "DROP TRIGGER IF EXISTS audit_auditevent_append_only ON audit_auditevent",
    "DROP FUNCTION IF EXISTS xxgk_audit_append_only()",
]
SQLITE_FORWARD = [
    """CREATE TRIGGER audit_auditevent_no_update BEFORE UPDATE ON audit_auditevent
BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END""",
]
SQLITE_BACKWARD = ["DROP TRIGGER IF EXISTS audit_auditevent_no_update"]


def forward(apps, schema_editor):
    statements = {"postgresql": PG_FORWARD, "sqlite": SQLITE_FORWARD}
    for sql in statements.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql, params=None)


def backward(apps, schema_editor):
    statements = {"postgresql": PG_BACKWARD, "sqlite": SQLITE_BACKWARD}
    for sql in statements.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
