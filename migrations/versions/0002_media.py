"""media (assets, renditions, captions)

Revision ID: 0002_media
Revises: 0001_foundation
"""
from alembic import op
import sqlalchemy as sa

import lms.db_types

revision = '0002_media'
down_revision = '0001_foundation'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('video_assets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('module_id', sa.Integer(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('progress_percent', sa.Integer(), nullable=False),
    sa.Column('error_code', sa.String(length=40), nullable=True),
    sa.Column('error_message', sa.Text(), nullable=True),
    sa.Column('original_filename', sa.String(length=255), nullable=False),
    sa.Column('source_key', sa.String(length=500), nullable=False),
    sa.Column('source_bytes', sa.Integer(), nullable=True),
    sa.Column('hls_prefix', sa.String(length=500), nullable=True),
    sa.Column('poster_key', sa.String(length=500), nullable=True),
    sa.Column('duration_seconds', sa.Float(), nullable=True),
    sa.Column('width', sa.Integer(), nullable=True),
    sa.Column('height', sa.Integer(), nullable=True),
    sa.Column('segment_seconds', sa.Integer(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('created_at', lms.db_types.UTCDateTime(), nullable=False),
    sa.Column('updated_at', lms.db_types.UTCDateTime(), nullable=False),
    sa.Column('ready_at', lms.db_types.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['module_id'], ['modules.id'], name=op.f('fk_video_assets_module_id_modules'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_video_assets_uploaded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_video_assets'))
    )
    with op.batch_alter_table('video_assets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_video_assets_module_id'), ['module_id'], unique=False)

    op.create_table('captions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('asset_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=5), nullable=False),
    sa.Column('storage_key', sa.String(length=500), nullable=False),
    sa.Column('created_at', lms.db_types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['asset_id'], ['video_assets.id'], name=op.f('fk_captions_asset_id_video_assets'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_captions')),
    sa.UniqueConstraint('asset_id', 'language', name=op.f('uq_captions_asset_id'))
    )
    with op.batch_alter_table('captions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_captions_asset_id'), ['asset_id'], unique=False)

    op.create_table('renditions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('asset_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=20), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('bandwidth', sa.Integer(), nullable=False),
    sa.Column('codecs', sa.String(length=80), nullable=False),
    sa.Column('segment_count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['asset_id'], ['video_assets.id'], name=op.f('fk_renditions_asset_id_video_assets'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_renditions')),
    sa.UniqueConstraint('asset_id', 'name', name=op.f('uq_renditions_asset_id'))
    )
    with op.batch_alter_table('renditions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_renditions_asset_id'), ['asset_id'], unique=False)



def downgrade():
    with op.batch_alter_table('renditions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_renditions_asset_id'))

    op.drop_table('renditions')
    with op.batch_alter_table('captions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_captions_asset_id'))

    op.drop_table('captions')
    with op.batch_alter_table('video_assets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_video_assets_module_id'))

    op.drop_table('video_assets')
