"""training_requirements: a requirement may have no deadline (missing until done, never overdue)

Revision ID: 4e7a1c9d2b58
Revises: 9c2f4d7e1b36
Create Date: 2026-12-07 17:00:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '4e7a1c9d2b58'
down_revision = '9c2f4d7e1b36'
branch_labels = None
depends_on = None



def upgrade():
    with op.batch_alter_table('training_requirements', schema=None) as batch_op:
        batch_op.drop_constraint('one_deadline', type_='check')
        batch_op.create_check_constraint(
            'one_deadline', 'due_date IS NULL OR due_days IS NULL'
        )


def downgrade():
    # Refused by the database while a requirement has no deadline: give those one first.
    with op.batch_alter_table('training_requirements', schema=None) as batch_op:
        batch_op.drop_constraint('one_deadline', type_='check')
        batch_op.create_check_constraint(
            'one_deadline', '(due_date IS NULL) <> (due_days IS NULL)'
        )
