"""assessments (question banks, attempts, skill tasks)

Revision ID: 0004_assessments
Revises: 0003_pacing
"""
from alembic import op
import sqlalchemy as sa

import lms.db_types

revision = '0004_assessments'
down_revision = '0003_pacing'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('question_banks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('created_at', lms.db_types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_question_banks_course_id_courses'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_question_banks'))
    )
    with op.batch_alter_table('question_banks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_question_banks_course_id'), ['course_id'], unique=False)

    op.create_table('questions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('bank_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('explanation', sa.Text(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', lms.db_types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['bank_id'], ['question_banks.id'], name=op.f('fk_questions_bank_id_question_banks'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_questions'))
    )
    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_questions_bank_id'), ['bank_id'], unique=False)

    op.create_table('question_options',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('is_correct', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['question_id'], ['questions.id'], name=op.f('fk_question_options_question_id_questions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_question_options'))
    )
    with op.batch_alter_table('question_options', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_question_options_question_id'), ['question_id'], unique=False)

    op.create_table('quiz_settings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('module_id', sa.Integer(), nullable=False),
    sa.Column('bank_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('pass_percent', sa.Integer(), nullable=True),
    sa.Column('attempts_allowed', sa.Integer(), nullable=False),
    sa.Column('time_limit_seconds', sa.Integer(), nullable=True),
    sa.Column('questions_per_attempt', sa.Integer(), nullable=True),
    sa.Column('show_answers_after_last', sa.Boolean(), nullable=False),
    sa.Column('updated_at', lms.db_types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['bank_id'], ['question_banks.id'], name=op.f('fk_quiz_settings_bank_id_question_banks')),
    sa.ForeignKeyConstraint(['module_id'], ['modules.id'], name=op.f('fk_quiz_settings_module_id_modules'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quiz_settings')),
    sa.UniqueConstraint('module_id', name=op.f('uq_quiz_settings_module_id'))
    )
    with op.batch_alter_table('quiz_settings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_quiz_settings_bank_id'), ['bank_id'], unique=False)

    op.create_table('quiz_attempts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enrollment_id', sa.Integer(), nullable=False),
    sa.Column('module_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('started_at', lms.db_types.UTCDateTime(), nullable=False),
    sa.Column('deadline_at', lms.db_types.UTCDateTime(), nullable=True),
    sa.Column('submitted_at', lms.db_types.UTCDateTime(), nullable=True),
    sa.Column('layout', sa.JSON(), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=True),
    sa.Column('question_count', sa.Integer(), nullable=False),
    sa.Column('correct_count', sa.Integer(), nullable=True),
    sa.Column('score', sa.Float(), nullable=True),
    sa.Column('passed', sa.Boolean(), nullable=True),
    sa.ForeignKeyConstraint(['enrollment_id'], ['enrollments.id'], name=op.f('fk_quiz_attempts_enrollment_id_enrollments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['module_id'], ['modules.id'], name=op.f('fk_quiz_attempts_module_id_modules')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quiz_attempts')),
    sa.UniqueConstraint('enrollment_id', 'module_id', 'number', name=op.f('uq_quiz_attempts_enrollment_id'))
    )
    with op.batch_alter_table('quiz_attempts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_quiz_attempts_enrollment_id'), ['enrollment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_quiz_attempts_module_id'), ['module_id'], unique=False)

    op.create_table('skill_tasks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('module_id', sa.Integer(), nullable=False),
    sa.Column('instructions', sa.Text(), nullable=False),
    sa.Column('accepted_kinds', sa.String(length=100), nullable=False),
    sa.Column('max_mb', sa.Integer(), nullable=True),
    sa.Column('allow_link', sa.Boolean(), nullable=False),
    sa.Column('updated_at', lms.db_types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['module_id'], ['modules.id'], name=op.f('fk_skill_tasks_module_id_modules'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_skill_tasks')),
    sa.UniqueConstraint('module_id', name=op.f('uq_skill_tasks_module_id'))
    )

    op.create_table('skill_submissions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enrollment_id', sa.Integer(), nullable=False),
    sa.Column('module_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('submitted_at', lms.db_types.UTCDateTime(), nullable=False),
    sa.Column('url', sa.String(length=2000), nullable=True),
    sa.Column('file_key', sa.String(length=300), nullable=True),
    sa.Column('file_name', sa.String(length=255), nullable=True),
    sa.Column('file_kind', sa.String(length=10), nullable=True),
    sa.Column('file_size', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('reviewed_at', lms.db_types.UTCDateTime(), nullable=True),
    sa.Column('reviewer_id', sa.Integer(), nullable=True),
    sa.Column('feedback', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['enrollment_id'], ['enrollments.id'], name=op.f('fk_skill_submissions_enrollment_id_enrollments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['module_id'], ['modules.id'], name=op.f('fk_skill_submissions_module_id_modules')),
    sa.ForeignKeyConstraint(['reviewer_id'], ['users.id'], name=op.f('fk_skill_submissions_reviewer_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_skill_submissions')),
    sa.UniqueConstraint('enrollment_id', 'module_id', 'number', name=op.f('uq_skill_submissions_enrollment_id'))
    )
    with op.batch_alter_table('skill_submissions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_skill_submissions_enrollment_id'), ['enrollment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_skill_submissions_module_id'), ['module_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_skill_submissions_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_skill_submissions_submitted_at'), ['submitted_at'], unique=False)


def downgrade():
    with op.batch_alter_table('skill_submissions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_skill_submissions_submitted_at'))
        batch_op.drop_index(batch_op.f('ix_skill_submissions_status'))
        batch_op.drop_index(batch_op.f('ix_skill_submissions_module_id'))
        batch_op.drop_index(batch_op.f('ix_skill_submissions_enrollment_id'))
    op.drop_table('skill_submissions')
    op.drop_table('skill_tasks')
    with op.batch_alter_table('quiz_attempts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_quiz_attempts_module_id'))
        batch_op.drop_index(batch_op.f('ix_quiz_attempts_enrollment_id'))
    op.drop_table('quiz_attempts')
    with op.batch_alter_table('quiz_settings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_quiz_settings_bank_id'))
    op.drop_table('quiz_settings')
    with op.batch_alter_table('question_options', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_question_options_question_id'))
    op.drop_table('question_options')
    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_questions_bank_id'))
    op.drop_table('questions')
    with op.batch_alter_table('question_banks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_question_banks_course_id'))
    op.drop_table('question_banks')
