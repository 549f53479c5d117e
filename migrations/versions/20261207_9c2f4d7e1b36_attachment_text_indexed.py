"""document_attachments.text_indexed: false when the file was stored but could not be read in time

Revision ID: 9c2f4d7e1b36
Revises: 3b8d0e6f4a51
Create Date: 2026-12-07 14:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '9c2f4d7e1b36'
down_revision = '3b8d0e6f4a51'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('document_attachments', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('text_indexed', sa.Boolean(), nullable=False, server_default=sa.true())
        )


def downgrade():
    with op.batch_alter_table('document_attachments', schema=None) as batch_op:
        batch_op.drop_column('text_indexed')
