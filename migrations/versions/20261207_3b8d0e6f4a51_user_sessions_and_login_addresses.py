"""user_sessions: revocable browser sessions; login_attempts remember the client's address

Revision ID: 3b8d0e6f4a51
Revises: 7a4c2e9d1f08
Create Date: 2026-12-07 13:20:00

"""
import sqlalchemy as sa
from alembic import op

import app.timeutil

# revision identifiers, used by Alembic.
revision = '3b8d0e6f4a51'
down_revision = '7a4c2e9d1f08'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'user_sessions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('key_hash', sa.String(length=64), nullable=False),
        sa.Column('created_at', app.timeutil.UTCDateTime(timezone=True), nullable=False),
        sa.Column('expires_at', app.timeutil.UTCDateTime(timezone=True), nullable=False),
        sa.Column('user_agent', sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ['user_id'], ['users.id'], name=op.f('fk_user_sessions_user_id_users'), ondelete='CASCADE'
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_user_sessions')),
        sa.UniqueConstraint('key_hash', name=op.f('uq_user_sessions_key_hash')),
    )
    with op.batch_alter_table('user_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_sessions_user_id'), ['user_id'], unique=False)
    with op.batch_alter_table('login_attempts', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('address', sa.String(length=45), nullable=False, server_default='')
        )
        batch_op.create_index(
            'ix_login_attempts_throttle', ['username', 'address', 'attempted_at'], unique=False
        )


def downgrade():
    with op.batch_alter_table('login_attempts', schema=None) as batch_op:
        batch_op.drop_index('ix_login_attempts_throttle')
        batch_op.drop_column('address')
    with op.batch_alter_table('user_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_sessions_user_id'))
    op.drop_table('user_sessions')
