"""pages: the learner's data saver setting and extra time on timed quizzes

Revision ID: 0011_pages
Revises: 0010_studio
"""
from alembic import op
import sqlalchemy as sa

import lms.db_types

revision = '0011_pages'
down_revision = '0010_studio'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('learner_preferences',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('data_saver_height', sa.Integer(), nullable=True),
    sa.Column('updated_at', lms.db_types.UTCDateTime(), nullable=False),
    sa.CheckConstraint('data_saver_height IS NULL OR data_saver_height IN (240, 360)', name=op.f('ck_learner_preferences_data_saver_height_known')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_learner_preferences_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_learner_preferences'))
    )
    op.create_table('time_accommodations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enrollment_id', sa.Integer(), nullable=False),
    sa.Column('percent', sa.Integer(), nullable=False),
    sa.Column('granted_by_id', sa.Integer(), nullable=False),
    sa.Column('granted_at', lms.db_types.UTCDateTime(), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.CheckConstraint("reason <> ''", name=op.f('ck_time_accommodations_reason_not_empty')),
    sa.CheckConstraint('percent BETWEEN 100 AND 300', name=op.f('ck_time_accommodations_percent_in_range')),
    sa.ForeignKeyConstraint(['enrollment_id'], ['enrollments.id'], name=op.f('fk_time_accommodations_enrollment_id_enrollments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['granted_by_id'], ['users.id'], name=op.f('fk_time_accommodations_granted_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_time_accommodations'))
    )
    with op.batch_alter_table('time_accommodations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_time_accommodations_enrollment_id'), ['enrollment_id'], unique=False)


def downgrade():
    with op.batch_alter_table('time_accommodations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_time_accommodations_enrollment_id'))
    op.drop_table('time_accommodations')
    op.drop_table('learner_preferences')
