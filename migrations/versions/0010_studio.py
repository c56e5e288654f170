"""studio: course details, review, pinned videos

Revision ID: 0010_studio
Revises: 0009_incentives
"""
from alembic import op
import sqlalchemy as sa

import lms.db_types

revision = '0010_studio'
down_revision = '0009_incentives'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('review_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('warnings', sa.JSON(), nullable=False),
    sa.Column('created_at', lms.db_types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_review_events_actor_id_users')),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_review_events_course_id_courses'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['version_id'], ['course_versions.id'], name=op.f('fk_review_events_version_id_course_versions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_events'))
    )
    with op.batch_alter_table('review_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_events_course_id'), ['course_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_events_version_id'), ['version_id'], unique=False)

    with op.batch_alter_table('course_versions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('review_notes', sa.Text(), nullable=False, server_default=''))

    with op.batch_alter_table('courses', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=5), nullable=False, server_default='id'))
        batch_op.add_column(sa.Column('finish_within_days', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('programme_course_code', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('cover_key', sa.String(length=500), nullable=True))

    with op.batch_alter_table('modules', schema=None) as batch_op:
        batch_op.add_column(sa.Column('video_asset_id', sa.Integer(), nullable=True))



def downgrade():
    with op.batch_alter_table('modules', schema=None) as batch_op:
        batch_op.drop_column('video_asset_id')

    with op.batch_alter_table('courses', schema=None) as batch_op:
        batch_op.drop_column('cover_key')
        batch_op.drop_column('programme_course_code')
        batch_op.drop_column('finish_within_days')
        batch_op.drop_column('language')

    with op.batch_alter_table('course_versions', schema=None) as batch_op:
        batch_op.drop_column('review_notes')

    with op.batch_alter_table('review_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_events_version_id'))
        batch_op.drop_index(batch_op.f('ix_review_events_course_id'))

    op.drop_table('review_events')
