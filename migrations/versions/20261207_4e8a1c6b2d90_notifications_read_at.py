"""notifications.read_at: people read their messages in the app, mail or no mail

Revision ID: 4e8a1c6b2d90
Revises: 4e7a1c9d2b58
Create Date: 2026-12-07 16:30:00

"""
import sqlalchemy as sa
from alembic import op

import app.timeutil

# revision identifiers, used by Alembic.
revision = '4e8a1c6b2d90'
down_revision = '4e7a1c9d2b58'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('read_at', app.timeutil.UTCDateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_column('read_at')
