"""pacing evidence is append-only (the database refuses updates)

Revision ID: 0007_evidence_append_only
Revises: 0006_attempt_grants

Evidence rows are what proves a learner studied, and incentive money follows from them. The app
never updates one; this makes the database refuse it too, so neither a bug nor a hand-run
UPDATE can rewrite the record. Deleting stays possible: an enrollment's evidence goes with the
enrollment (ON DELETE CASCADE), and retention rules may purge old rows.
"""
from alembic import op

revision = '0007_evidence_append_only'
down_revision = '0006_attempt_grants'
branch_labels = None
depends_on = None

MESSAGE = 'pacing_evidence is append-only'


def upgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(f"""
            CREATE FUNCTION pacing_evidence_append_only() RETURNS trigger
            LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'restrict_violation';
            END
            $$""")
        op.execute("""
            CREATE TRIGGER pacing_evidence_append_only BEFORE UPDATE ON pacing_evidence
            FOR EACH ROW EXECUTE FUNCTION pacing_evidence_append_only()""")
    else:
        op.execute(f"""
            CREATE TRIGGER pacing_evidence_append_only BEFORE UPDATE ON pacing_evidence
            BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""")


def downgrade():
    op.execute('DROP TRIGGER IF EXISTS pacing_evidence_append_only' + (
        ' ON pacing_evidence' if op.get_bind().dialect.name == 'postgresql' else ''))
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('DROP FUNCTION IF EXISTS pacing_evidence_append_only()')
