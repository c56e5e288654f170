"""incentives: participant references, the eligibility ledger and the outbox

Revision ID: 0009_incentives
Revises: 0008_verification
"""
import secrets

from alembic import op
import sqlalchemy as sa

import lms.db_types

revision = '0009_incentives'
down_revision = '0008_verification'
branch_labels = None
depends_on = None


def _backfill_participant_refs():
    users = sa.table('users', sa.column('id', sa.Integer), sa.column('participant_ref', sa.String))
    connection = op.get_bind()
    ids = [row.id for row in connection.execute(sa.select(users.c.id)
                                                .where(users.c.participant_ref.is_(None)))]
    for user_id in ids:
        connection.execute(users.update().where(users.c.id == user_id)
                           .values(participant_ref=f"ALR-{secrets.token_hex(8).upper()}"))


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('participant_ref', sa.String(length=64), nullable=True))
    _backfill_participant_refs()
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.alter_column('participant_ref', existing_type=sa.String(length=64),
                              nullable=False)
        batch_op.create_index(batch_op.f('ix_users_participant_ref'), ['participant_ref'],
                              unique=False)

    op.create_table('eligibility_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('certificate_id', sa.Integer(), nullable=False),
    sa.Column('enrollment_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('participant_ref', sa.String(length=64), nullable=False),
    sa.Column('first_of_participant', sa.String(length=64), nullable=True),
    sa.Column('certificate_number', sa.String(length=24), nullable=False),
    sa.Column('course_slug', sa.String(length=80), nullable=False),
    sa.Column('completed_at', lms.db_types.UTCDateTime(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('reason', sa.String(length=40), nullable=True),
    sa.Column('recovery_required', sa.Boolean(), nullable=False),
    sa.Column('payer_reference', sa.String(length=200), nullable=True),
    sa.Column('change_seq', sa.BigInteger(), nullable=False),
    sa.Column('created_at', lms.db_types.UTCDateTime(), nullable=False),
    sa.Column('changed_at', lms.db_types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['certificate_id'], ['certificates.id'], name=op.f('fk_eligibility_items_certificate_id_certificates')),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_eligibility_items_course_id_courses')),
    sa.ForeignKeyConstraint(['enrollment_id'], ['enrollments.id'], name=op.f('fk_eligibility_items_enrollment_id_enrollments')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_eligibility_items_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eligibility_items')),
    sa.UniqueConstraint('certificate_id', name=op.f('uq_eligibility_items_certificate_id')),
    sa.UniqueConstraint('change_seq', name=op.f('uq_eligibility_items_change_seq')),
    sa.UniqueConstraint('first_of_participant', name=op.f('uq_eligibility_items_first_of_participant'))
    )
    with op.batch_alter_table('eligibility_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_eligibility_items_course_id'), ['course_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_eligibility_items_enrollment_id'), ['enrollment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_eligibility_items_participant_ref'), ['participant_ref'], unique=False)
        batch_op.create_index(batch_op.f('ix_eligibility_items_user_id'), ['user_id'], unique=False)
        batch_op.create_index('ix_eligibility_items_status_change_seq', ['status', 'change_seq'], unique=False)

    op.create_table('outbox_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('destination', sa.String(length=40), nullable=False),
    sa.Column('ordering_key', sa.String(length=120), nullable=False),
    sa.Column('event_type', sa.String(length=80), nullable=False),
    sa.Column('message_id', sa.String(length=64), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', lms.db_types.UTCDateTime(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', lms.db_types.UTCDateTime(), nullable=False),
    sa.Column('leased_until', lms.db_types.UTCDateTime(), nullable=True),
    sa.Column('last_attempt_at', lms.db_types.UTCDateTime(), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('delivered_at', lms.db_types.UTCDateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_events')),
    sa.UniqueConstraint('message_id', name=op.f('uq_outbox_events_message_id'))
    )
    with op.batch_alter_table('outbox_events', schema=None) as batch_op:
        batch_op.create_index('ix_outbox_events_destination_ordering_key_id', ['destination', 'ordering_key', 'delivered_at', 'id'], unique=False)
        batch_op.create_index('ix_outbox_events_delivered_at_next_attempt_at', ['delivered_at', 'next_attempt_at'], unique=False)


def downgrade():
    op.drop_table('outbox_events')
    op.drop_table('eligibility_items')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_users_participant_ref'))
        batch_op.drop_column('participant_ref')
