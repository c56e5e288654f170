"""pacing evidence partitioned by month on PostgreSQL

Revision ID: 0014_evidence_partitions
Revises: 0013_programme_outbox

`pacing_evidence` grows by some 960 rows per learner-hour watched; partitioned by RANGE (at),
one table per UTC month, old months can be detached and dropped in one statement (retention)
and each month's indexes stay small. A partitioned table's primary key must contain the
partition key, so it becomes (id, at); ids still come from the one sequence, and no table
refers to an evidence row by id. The rows are copied into the new table: on a large database
this migration takes as long as copying the table (docs/deploy.md). SQLite keeps its plain
table.
"""
from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa

from lms.partitions import evidence
from lms.partitions.months import add_months, month_of

revision = '0014_evidence_partitions'
down_revision = '0013_programme_outbox'
branch_labels = None
depends_on = None

TABLE = 'pacing_evidence'
SEQUENCE = 'pacing_evidence_id_seq'
OLD = 'pacing_evidence_old'
INDEXES = (('ix_pacing_evidence_enrollment_id_module_id', '(enrollment_id, module_id)'),
           ('ix_pacing_evidence_session_id', '(session_id)'))
FOREIGN_KEYS = (
    ('fk_pacing_evidence_enrollment_id_enrollments',
     'FOREIGN KEY (enrollment_id) REFERENCES enrollments (id) ON DELETE CASCADE'),
    ('fk_pacing_evidence_module_id_modules', 'FOREIGN KEY (module_id) REFERENCES modules (id)'),
    ('fk_pacing_evidence_session_id_playback_sessions',
     'FOREIGN KEY (session_id) REFERENCES playback_sessions (id) ON DELETE CASCADE'),
)


def _set_aside_old_table() -> list[str]:
    """Rename the table and its indexes (index names are unique per schema), and free the id
    sequence from it so dropping it keeps the sequence. Returns the definitions of its
    append-only triggers (0007 refuses UPDATE, 0008 DELETE), to be made on the new table."""
    triggers = list(op.get_bind().scalars(sa.text(
        'SELECT pg_get_triggerdef(oid) FROM pg_trigger'
        ' WHERE tgrelid = to_regclass(:table) AND NOT tgisinternal ORDER BY tgname'),
        {'table': TABLE}))
    op.execute(f'ALTER SEQUENCE {SEQUENCE} OWNED BY NONE')
    op.execute(f'ALTER TABLE {TABLE} RENAME TO {OLD}')
    for name in ('pk_pacing_evidence', *(name for name, _ in INDEXES)):
        op.execute(f'ALTER INDEX {name} RENAME TO {name}_old')
    return triggers


def _finish_new_table(primary_key: str, triggers: list[str]):
    """Keys, indexes and the append-only triggers on the new table, made after the copy
    (faster than maintaining them row by row); the old table goes."""
    op.execute(f'ALTER TABLE {TABLE} ADD CONSTRAINT pk_pacing_evidence PRIMARY KEY {primary_key}')
    for name, columns in INDEXES:
        op.execute(f'CREATE INDEX {name} ON {TABLE} {columns}')
    for name, definition in FOREIGN_KEYS:
        op.execute(f'ALTER TABLE {TABLE} ADD CONSTRAINT {name} {definition}')
    op.execute(f'DROP TABLE {OLD}')
    op.execute(f'ALTER SEQUENCE {SEQUENCE} OWNED BY {TABLE}.id')
    for definition in triggers:
        op.execute(definition)


def upgrade():
    bind = op.get_bind()
    if bind.dialect.name != 'postgresql':
        return
    triggers = _set_aside_old_table()
    op.execute(f'CREATE TABLE {TABLE} (LIKE {OLD} INCLUDING DEFAULTS) PARTITION BY RANGE (at)')
    evidence.create_default_partition(bind)
    oldest = bind.scalar(sa.text(f'SELECT min(at) FROM {OLD}'))
    current = month_of(datetime.now(timezone.utc))
    first = month_of(oldest.replace(tzinfo=timezone.utc)) if oldest else current
    evidence.ensure_months(bind, min(first, current),
                           add_months(current, evidence.MONTHS_AHEAD))
    op.execute(f'INSERT INTO {TABLE} SELECT * FROM {OLD}')
    _finish_new_table('(id, at)', triggers)


def downgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    triggers = _set_aside_old_table()
    op.execute(f'CREATE TABLE {TABLE} (LIKE {OLD} INCLUDING DEFAULTS)')
    op.execute(f'INSERT INTO {TABLE} SELECT * FROM {OLD}')
    _finish_new_table('(id)', triggers)
