"""attempt grants (extra quiz attempts given by provider staff)

Revision ID: 0006_attempt_grants
Revises: 0005_certificates
"""
from alembic import op
import sqlalchemy as sa

import lms.db_types

revision = '0006_attempt_grants'
down_revision = '0005_certificates'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('attempt_grants',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enrollment_id', sa.Integer(), nullable=False),
    sa.Column('module_id', sa.Integer(), nullable=False),
    sa.Column('granted_by_id', sa.Integer(), nullable=False),
    sa.Column('granted_at', lms.db_types.UTCDateTime(), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.CheckConstraint("reason <> ''", name=op.f('ck_attempt_grants_reason_not_empty')),
    sa.ForeignKeyConstraint(['enrollment_id'], ['enrollments.id'], name=op.f('fk_attempt_grants_enrollment_id_enrollments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['granted_by_id'], ['users.id'], name=op.f('fk_attempt_grants_granted_by_id_users')),
    sa.ForeignKeyConstraint(['module_id'], ['modules.id'], name=op.f('fk_attempt_grants_module_id_modules')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attempt_grants'))
    )
    with op.batch_alter_table('attempt_grants', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attempt_grants_enrollment_id'), ['enrollment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attempt_grants_module_id'), ['module_id'], unique=False)


def downgrade():
    with op.batch_alter_table('attempt_grants', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attempt_grants_module_id'))
        batch_op.drop_index(batch_op.f('ix_attempt_grants_enrollment_id'))

    op.drop_table('attempt_grants')
