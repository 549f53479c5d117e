"""Committee that always ends: no_consensus and withdrawn reviews, the chair's decision, the
vote-by date, votes cast by a delegate, recusals and delegations

Revision ID: 5b9d2e7c3a14
Revises: 8d3b5f1a7c20
Create Date: 2026-12-07 16:30:00

"""
import sqlalchemy as sa
from alembic import op

import app.timeutil

# revision identifiers, used by Alembic.
revision = '5b9d2e7c3a14'
down_revision = '8d3b5f1a7c20'
branch_labels = None
depends_on = None

OLD_STATUSES = "status IN ('submitted', 'decided')"
NEW_STATUSES = "status IN ('submitted', 'no_consensus', 'decided', 'withdrawn')"


def upgrade():
    with op.batch_alter_table('gate_reviews', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_gate_reviews_review_status'), type_='check')
        batch_op.create_check_constraint(op.f('ck_gate_reviews_review_status'), NEW_STATUSES)
        batch_op.add_column(sa.Column('vote_by', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('chair_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('chair_rationale', sa.Text(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_gate_reviews_chair_id_users'), 'users', ['chair_id'], ['id']
        )
    with op.batch_alter_table('votes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cast_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_votes_cast_by_id_users'), 'users', ['cast_by_id'], ['id']
        )
    op.create_table(
        'recusals',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('review_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('created_at', app.timeutil.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['review_id'], ['gate_reviews.id'],
            name=op.f('fk_recusals_review_id_gate_reviews'), ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_recusals_user_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_recusals')),
        sa.UniqueConstraint('review_id', 'user_id', name=op.f('uq_recusals_review_id')),
    )
    with op.batch_alter_table('recusals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recusals_user_id'), ['user_id'], unique=False)
    op.create_table(
        'delegations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('delegator_id', sa.Integer(), nullable=False),
        sa.Column('delegate_id', sa.Integer(), nullable=False),
        sa.Column('starts_on', sa.Date(), nullable=False),
        sa.Column('ends_on', sa.Date(), nullable=False),
        sa.Column('created_at', app.timeutil.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint('ends_on >= starts_on', name=op.f('ck_delegations_window_in_order')),
        sa.CheckConstraint(
            'delegator_id <> delegate_id', name=op.f('ck_delegations_not_to_oneself')
        ),
        sa.ForeignKeyConstraint(
            ['delegate_id'], ['users.id'],
            name=op.f('fk_delegations_delegate_id_users'), ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['delegator_id'], ['users.id'],
            name=op.f('fk_delegations_delegator_id_users'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_delegations')),
    )
    with op.batch_alter_table('delegations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_delegations_delegate_id'), ['delegate_id'])
        batch_op.create_index(batch_op.f('ix_delegations_delegator_id'), ['delegator_id'])


def downgrade():
    op.drop_table('delegations')
    op.drop_table('recusals')
    with op.batch_alter_table('votes', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_votes_cast_by_id_users'), type_='foreignkey')
        batch_op.drop_column('cast_by_id')
    with op.batch_alter_table('gate_reviews', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_gate_reviews_chair_id_users'), type_='foreignkey')
        batch_op.drop_column('chair_rationale')
        batch_op.drop_column('chair_id')
        batch_op.drop_column('vote_by')
        batch_op.drop_constraint(op.f('ck_gate_reviews_review_status'), type_='check')
        batch_op.create_check_constraint(op.f('ck_gate_reviews_review_status'), OLD_STATUSES)
