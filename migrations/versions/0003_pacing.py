"""pacing (playback sessions, evidence)

Revision ID: 0003_pacing
Revises: 0002_media
"""
from alembic import op
import sqlalchemy as sa

import lms.db_types

revision = '0003_pacing'
down_revision = '0002_media'
branch_labels = None
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade():
    op.create_table('playback_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('enrollment_id', sa.Integer(), nullable=False),
    sa.Column('module_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('asset_id', sa.Integer(), nullable=True),
    sa.Column('target_seconds', sa.Float(), nullable=False),
    sa.Column('segment_seconds', sa.Float(), nullable=False),
    sa.Column('started_at', lms.db_types.UTCDateTime(), nullable=False),
    sa.Column('ended_at', lms.db_types.UTCDateTime(), nullable=True),
    sa.Column('end_reason', sa.String(length=20), nullable=True),
    sa.Column('last_seq', sa.Integer(), nullable=False),
    sa.Column('last_heartbeat_at', lms.db_types.UTCDateTime(), nullable=True),
    sa.Column('last_active', sa.Boolean(), nullable=False),
    sa.Column('client_ip', sa.String(length=45), nullable=False),
    sa.Column('user_agent', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['asset_id'], ['video_assets.id'], name=op.f('fk_playback_sessions_asset_id_video_assets')),
    sa.ForeignKeyConstraint(['enrollment_id'], ['enrollments.id'], name=op.f('fk_playback_sessions_enrollment_id_enrollments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['module_id'], ['modules.id'], name=op.f('fk_playback_sessions_module_id_modules')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_playback_sessions_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_playback_sessions'))
    )
    with op.batch_alter_table('playback_sessions', schema=None) as batch_op:
        batch_op.create_index('ix_playback_sessions_user_id_ended_at', ['user_id', 'ended_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_playback_sessions_enrollment_id'), ['enrollment_id'], unique=False)

    op.create_table('pacing_evidence',
    sa.Column('id', BIG_ID, nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('enrollment_id', sa.Integer(), nullable=False),
    sa.Column('module_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('at', lms.db_types.UTCDateTime(), nullable=False),
    sa.Column('seq', sa.BigInteger(), nullable=True),
    sa.Column('position', sa.Float(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=True),
    sa.Column('rate', sa.Float(), nullable=True),
    sa.Column('segment_index', sa.Integer(), nullable=True),
    sa.Column('rendition', sa.String(length=20), nullable=True),
    sa.Column('outcome', sa.String(length=24), nullable=False),
    sa.Column('frontier', sa.Float(), nullable=False),
    sa.Column('credited_seconds', sa.Float(), nullable=False),
    sa.Column('wall_seconds', sa.Float(), nullable=False),
    sa.Column('detail', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['enrollment_id'], ['enrollments.id'], name=op.f('fk_pacing_evidence_enrollment_id_enrollments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['module_id'], ['modules.id'], name=op.f('fk_pacing_evidence_module_id_modules')),
    sa.ForeignKeyConstraint(['session_id'], ['playback_sessions.id'], name=op.f('fk_pacing_evidence_session_id_playback_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pacing_evidence'))
    )
    with op.batch_alter_table('pacing_evidence', schema=None) as batch_op:
        batch_op.create_index('ix_pacing_evidence_enrollment_id_module_id', ['enrollment_id', 'module_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pacing_evidence_session_id'), ['session_id'], unique=False)

    op.create_table('attendance_verifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('local_date', sa.Date(), nullable=False),
    sa.Column('verified_at', lms.db_types.UTCDateTime(), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('reference', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_attendance_verifications_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attendance_verifications')),
    sa.UniqueConstraint('user_id', 'local_date', name=op.f('uq_attendance_verifications_user_id'))
    )

    with op.batch_alter_table('module_progress', schema=None) as batch_op:
        batch_op.add_column(sa.Column('counted_through', lms.db_types.UTCDateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('module_progress', schema=None) as batch_op:
        batch_op.drop_column('counted_through')

    op.drop_table('attendance_verifications')
    with op.batch_alter_table('pacing_evidence', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pacing_evidence_session_id'))
        batch_op.drop_index('ix_pacing_evidence_enrollment_id_module_id')

    op.drop_table('pacing_evidence')
    with op.batch_alter_table('playback_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_playback_sessions_enrollment_id'))
        batch_op.drop_index('ix_playback_sessions_user_id_ended_at')

    op.drop_table('playback_sessions')
