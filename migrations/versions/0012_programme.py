"""programme connector: programme course codes, programme enrollments, verifications, calls

Revision ID: 0012_programme
Revises: 0011_pages
"""
from alembic import op
import sqlalchemy as sa

import lms.db_types

revision = '0012_programme'
down_revision = '0011_pages'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('courses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_courses_programme_course_code'), ['programme_course_code'], unique=False)

    op.create_table('programme_enrollments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enrollment_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('redeem_code', sa.String(length=64), nullable=False),
    sa.Column('participant_ref', sa.String(length=100), nullable=False),
    sa.Column('course_code', sa.String(length=64), nullable=False),
    sa.Column('redeemed_at', lms.db_types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['enrollment_id'], ['enrollments.id'], name=op.f('fk_programme_enrollments_enrollment_id_enrollments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_programme_enrollments_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_programme_enrollments')),
    sa.UniqueConstraint('enrollment_id', name=op.f('uq_programme_enrollments_enrollment_id')),
    sa.UniqueConstraint('redeem_code', name=op.f('uq_programme_enrollments_redeem_code'))
    )
    with op.batch_alter_table('programme_enrollments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_programme_enrollments_user_id'), ['user_id'], unique=False)

    op.create_table('programme_verifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('programme_enrollment_id', sa.Integer(), nullable=False),
    sa.Column('local_date', sa.Date(), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('programme_state', sa.String(length=200), nullable=False),
    sa.Column('next_path', sa.String(length=500), nullable=False),
    sa.Column('created_at', lms.db_types.UTCDateTime(), nullable=False),
    sa.Column('expires_at', lms.db_types.UTCDateTime(), nullable=False),
    sa.Column('used_at', lms.db_types.UTCDateTime(), nullable=True),
    sa.Column('outcome', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['programme_enrollment_id'], ['programme_enrollments.id'], name=op.f('fk_programme_verifications_programme_enrollment_id_programme_enrollments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_programme_verifications_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_programme_verifications')),
    sa.UniqueConstraint('state', name=op.f('uq_programme_verifications_state'))
    )
    with op.batch_alter_table('programme_verifications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_programme_verifications_programme_enrollment_id'), ['programme_enrollment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_programme_verifications_user_id'), ['user_id'], unique=False)

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


def downgrade():
    with op.batch_alter_table('programme_calls', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_programme_calls_ordering_key'))
        batch_op.drop_index('ix_programme_calls_due')
    op.drop_table('programme_calls')
    with op.batch_alter_table('programme_verifications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_programme_verifications_user_id'))
        batch_op.drop_index(batch_op.f('ix_programme_verifications_programme_enrollment_id'))
    op.drop_table('programme_verifications')
    with op.batch_alter_table('programme_enrollments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_programme_enrollments_user_id'))
    op.drop_table('programme_enrollments')
    with op.batch_alter_table('courses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_courses_programme_course_code'))
