"""votes: one covering index for the tally instead of the index on review_id alone

A vote reads its review's tally (votes per decision, and whether the voter already voted)
under the project's lock. With (review_id, decision, voter_id) that read touches the index
only, already grouped by decision; the old index on review_id was a prefix of the UNIQUE
(review_id, voter_id) constraint, so nothing else needs it.

Revision ID: 5e1f0c3a9b27
Revises: b1ebe8d7da23
Create Date: 2026-12-05 05:55:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '5e1f0c3a9b27'
down_revision = 'b1ebe8d7da23'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('votes', schema=None) as batch_op:
        batch_op.create_index('ix_votes_tally', ['review_id', 'decision', 'voter_id'], unique=False)
        batch_op.drop_index(batch_op.f('ix_votes_review_id'))


def downgrade():
    with op.batch_alter_table('votes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_votes_review_id'), ['review_id'], unique=False)
        batch_op.drop_index('ix_votes_tally')
