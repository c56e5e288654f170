"""completion review; evidence and audit entries can be neither changed nor deleted

Revision ID: 0008_verification
Revises: 0007_evidence_append_only

Completions wait for their checks (and, when flagged, an admin) before a certificate follows.
Enrollments completed before this revision were certified under the old rule: they become
verified completions, so nothing already issued changes status.

The database now refuses DELETE on pacing evidence (UPDATE was refused since 0007) and both
UPDATE and DELETE on audit entries: the record a reviewer and the hash chain rely on cannot be
rewritten by the application's own database user, whatever bug or hand-run statement tries.
An enrollment with evidence can therefore no longer be deleted either.
"""
from alembic import op
import sqlalchemy as sa

import lms.db_types


# revision identifiers, used by Alembic.
revision = '0008_verification'
down_revision = '0007_evidence_append_only'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('completions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enrollment_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('provider_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('completed_at', lms.db_types.UTCDateTime(), nullable=False),
    sa.Column('completed_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', lms.db_types.UTCDateTime(), nullable=False),
    sa.Column('checked_at', lms.db_types.UTCDateTime(), nullable=True),
    sa.Column('flags', sa.JSON(), nullable=False),
    sa.Column('flag_codes', sa.String(length=200), nullable=False),
    sa.Column('evidence', sa.JSON(), nullable=False),
    sa.Column('decided_at', lms.db_types.UTCDateTime(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decision_reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['completed_by_id'], ['users.id'], name=op.f('fk_completions_completed_by_id_users')),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_completions_course_id_courses')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_completions_decided_by_id_users')),
    sa.ForeignKeyConstraint(['enrollment_id'], ['enrollments.id'], name=op.f('fk_completions_enrollment_id_enrollments')),
    sa.ForeignKeyConstraint(['provider_id'], ['providers.id'], name=op.f('fk_completions_provider_id_providers')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_completions_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_completions')),
    sa.UniqueConstraint('enrollment_id', name=op.f('uq_completions_enrollment_id'))
    )
    with op.batch_alter_table('completions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_completions_course_id'), ['course_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_completions_provider_id'), ['provider_id'], unique=False)
        batch_op.create_index('ix_completions_status_completed_at', ['status', 'completed_at', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_completions_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('playback_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('device_id', sa.String(length=64), nullable=False, server_default=''))

    op.execute("""
        INSERT INTO completions (enrollment_id, user_id, course_id, provider_id, status,
                                 completed_at, created_at, checked_at, flags, flag_codes,
                                 evidence, decided_at, decision_reason)
        SELECT e.id, e.user_id, e.course_id, c.provider_id, 'verified', e.completed_at,
               e.completed_at, e.completed_at, '[]', '', '{}', e.completed_at,
               'Completed before completion review existed.'
        FROM enrollments e JOIN courses c ON c.id = e.course_id
        WHERE e.status = 'completed' AND e.completed_at IS NOT NULL""")
    for table, events in PROTECTED.items():
        for event in events:
            _create_refusal(table, event)


def downgrade():
    for table, events in PROTECTED.items():
        for event in events:
            _drop_refusal(table, event)
    with op.batch_alter_table('playback_sessions', schema=None) as batch_op:
        batch_op.drop_column('device_id')

    with op.batch_alter_table('completions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_completions_user_id'))
        batch_op.drop_index('ix_completions_status_completed_at')
        batch_op.drop_index(batch_op.f('ix_completions_provider_id'))
        batch_op.drop_index(batch_op.f('ix_completions_course_id'))

    op.drop_table('completions')


#: Which statements each table refuses (pacing_evidence's UPDATE trigger is 0007's).
PROTECTED = {'pacing_evidence': ('delete',), 'audit_entries': ('update', 'delete')}


def _name(table: str, event: str) -> str:
    return f'{table}_no_{event}'


def _create_refusal(table: str, event: str) -> None:
    name, message = _name(table, event), f'{table} is append-only'
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(f"""
            CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION '{message}' USING ERRCODE = 'restrict_violation';
            END
            $$""")
        op.execute(f"""CREATE TRIGGER {name} BEFORE {event.upper()} ON {table}
                       FOR EACH ROW EXECUTE FUNCTION {name}()""")
    else:
        op.execute(f"""CREATE TRIGGER {name} BEFORE {event.upper()} ON {table}
                       BEGIN SELECT RAISE(ABORT, '{message}'); END""")


def _drop_refusal(table: str, event: str) -> None:
    name = _name(table, event)
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(f'DROP TRIGGER IF EXISTS {name} ON {table}')
        op.execute(f'DROP FUNCTION IF EXISTS {name}()')
    else:
        op.execute(f'DROP TRIGGER IF EXISTS {name}')
