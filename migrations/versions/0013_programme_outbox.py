"""programme calls go through the outbox: pending programme_calls become outbox_events

Revision ID: 0013_programme_outbox
Revises: 0012_programme
"""
import json
import uuid

from alembic import op
import sqlalchemy as sa

import lms.db_types

revision = '0013_programme_outbox'
down_revision = '0012_programme'
branch_labels = None
depends_on = None

DESTINATION = 'programme'
EVENT_PREFIX = 'programme.'

# Frozen here: the migration must keep working when the models move on.
programme_calls = sa.table(
    'programme_calls',
    sa.column('id', sa.Integer()),
    sa.column('kind', sa.String(40)),
    sa.column('ordering_key', sa.String(64)),
    sa.column('payload', sa.JSON()),
    sa.column('status', sa.String(20)),
    sa.column('attempts', sa.Integer()),
    sa.column('created_at', lms.db_types.UTCDateTime()),
    sa.column('next_attempt_at', lms.db_types.UTCDateTime()),
    sa.column('delivered_at', lms.db_types.UTCDateTime()),
    sa.column('last_error', sa.Text()),
)
outbox_events = sa.table(
    'outbox_events',
    sa.column('id', sa.Integer()),
    sa.column('destination', sa.String(40)),
    sa.column('ordering_key', sa.String(120)),
    sa.column('event_type', sa.String(80)),
    sa.column('message_id', sa.String(64)),
    sa.column('body', sa.Text()),
    sa.column('created_at', lms.db_types.UTCDateTime()),
    sa.column('attempts', sa.Integer()),
    sa.column('next_attempt_at', lms.db_types.UTCDateTime()),
    sa.column('leased_until', lms.db_types.UTCDateTime()),
    sa.column('last_attempt_at', lms.db_types.UTCDateTime()),
    sa.column('last_error', sa.Text()),
    sa.column('delivered_at', lms.db_types.UTCDateTime()),
)


def upgrade():
    bind = op.get_bind()
    # Inserted oldest first, so the outbox's ids keep each enrollment's order.
    pending = bind.execute(sa.select(programme_calls)
                           .where(programme_calls.c.status == 'pending')
                           .order_by(programme_calls.c.id)).all()
    for call in pending:
        bind.execute(outbox_events.insert().values(
            destination=DESTINATION, ordering_key=call.ordering_key,
            event_type=EVENT_PREFIX + call.kind, message_id=f"msg_{uuid.uuid4().hex}",
            body=json.dumps({"kind": call.kind, "payload": call.payload}),
            created_at=call.created_at, attempts=call.attempts,
            next_attempt_at=call.next_attempt_at, last_error=call.last_error or None))

    with op.batch_alter_table('programme_calls', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_programme_calls_ordering_key'))
        batch_op.drop_index('ix_programme_calls_due')
    op.drop_table('programme_calls')


def downgrade():
    op.create_table('programme_calls',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('ordering_key', sa.String(length=64), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('created_at', lms.db_types.UTCDateTime(), nullable=False),
    sa.Column('next_attempt_at', lms.db_types.UTCDateTime(), nullable=False),
    sa.Column('delivered_at', lms.db_types.UTCDateTime(), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_programme_calls'))
    )
    with op.batch_alter_table('programme_calls', schema=None) as batch_op:
        batch_op.create_index('ix_programme_calls_due', ['status', 'next_attempt_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_programme_calls_ordering_key'), ['ordering_key'], unique=False)

    # The undelivered programme messages go back to the table the older code delivers from.
    bind = op.get_bind()
    waiting = bind.execute(sa.select(outbox_events)
                           .where(outbox_events.c.destination == DESTINATION,
                                  outbox_events.c.delivered_at.is_(None))
                           .order_by(outbox_events.c.id)).all()
    for event in waiting:
        message = json.loads(event.body)
        bind.execute(programme_calls.insert().values(
            kind=message["kind"], ordering_key=event.ordering_key, payload=message["payload"],
            status='pending', attempts=event.attempts, created_at=event.created_at,
            next_attempt_at=event.next_attempt_at, last_error=event.last_error or ''))
    if waiting:
        bind.execute(outbox_events.delete().where(
            outbox_events.c.id.in_([event.id for event in waiting])))
