"""certificates (certificates, ratings)

Revision ID: 0005_certificates
Revises: 0004_assessments
"""
from alembic import op
import sqlalchemy as sa

import lms.db_types

revision = '0005_certificates'
down_revision = '0004_assessments'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('certificates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=24), nullable=False),
    sa.Column('enrollment_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('provider_id', sa.Integer(), nullable=False),
    sa.Column('holder_name', sa.String(length=120), nullable=False),
    sa.Column('course_title', sa.String(length=200), nullable=False),
    sa.Column('provider_name', sa.String(length=200), nullable=False),
    sa.Column('hours', sa.Float(), nullable=False),
    sa.Column('completed_at', lms.db_types.UTCDateTime(), nullable=False),
    sa.Column('issued_at', lms.db_types.UTCDateTime(), nullable=False),
    sa.Column('locale', sa.String(length=5), nullable=False),
    sa.Column('timezone', sa.String(length=40), nullable=False),
    sa.Column('verify_url', sa.String(length=500), nullable=False),
    sa.Column('credential', sa.Text(), nullable=False),
    sa.Column('credential_kid', sa.String(length=80), nullable=False),
    sa.Column('pdf_key', sa.String(length=300), nullable=True),
    sa.Column('pdf_rendered_at', lms.db_types.UTCDateTime(), nullable=True),
    sa.Column('revoked_at', lms.db_types.UTCDateTime(), nullable=True),
    sa.Column('revoked_by_id', sa.Integer(), nullable=True),
    sa.Column('revocation_reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_certificates_course_id_courses')),
    sa.ForeignKeyConstraint(['enrollment_id'], ['enrollments.id'], name=op.f('fk_certificates_enrollment_id_enrollments')),
    sa.ForeignKeyConstraint(['provider_id'], ['providers.id'], name=op.f('fk_certificates_provider_id_providers')),
    sa.ForeignKeyConstraint(['revoked_by_id'], ['users.id'], name=op.f('fk_certificates_revoked_by_id_users')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_certificates_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificates')),
    sa.UniqueConstraint('enrollment_id', name=op.f('uq_certificates_enrollment_id')),
    sa.UniqueConstraint('number', name=op.f('uq_certificates_number'))
    )
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_certificates_course_id'), ['course_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_certificates_issued_at'), ['issued_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_certificates_provider_id'), ['provider_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_certificates_user_id'), ['user_id'], unique=False)

    op.create_table('ratings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enrollment_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('stars', sa.Integer(), nullable=False),
    sa.Column('review', sa.Text(), nullable=False),
    sa.Column('created_at', lms.db_types.UTCDateTime(), nullable=False),
    sa.CheckConstraint('stars >= 1 AND stars <= 5', name=op.f('ck_ratings_stars_range')),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_ratings_course_id_courses')),
    sa.ForeignKeyConstraint(['enrollment_id'], ['enrollments.id'], name=op.f('fk_ratings_enrollment_id_enrollments')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_ratings_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ratings')),
    sa.UniqueConstraint('enrollment_id', name=op.f('uq_ratings_enrollment_id'))
    )
    with op.batch_alter_table('ratings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ratings_course_id'), ['course_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ratings_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_ratings_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('ratings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ratings_user_id'))
        batch_op.drop_index(batch_op.f('ix_ratings_created_at'))
        batch_op.drop_index(batch_op.f('ix_ratings_course_id'))

    op.drop_table('ratings')
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_certificates_user_id'))
        batch_op.drop_index(batch_op.f('ix_certificates_provider_id'))
        batch_op.drop_index(batch_op.f('ix_certificates_issued_at'))
        batch_op.drop_index(batch_op.f('ix_certificates_course_id'))

    op.drop_table('certificates')
