"""audit_events: the chain position is the primary key, no UNIQUE prev_hash

An event's id is now the one before it plus one, given by the appender, so the primary key
refuses a fork of the chain as the UNIQUE prev_hash did, and each append writes one index
fewer (prev_hash values are random, so that index's pages were written all over the file). On PostgreSQL the id's sequence goes: nothing may take an
id the chain did not give. Events stored before may leave gaps in the ids there (a sequence
skips the values of rolled-back inserts); an append into such a gap, should one ever slip
past the chain's lock, is not refused, but `jalon audit verify` reports the next event.

Revision ID: 7a4c2e9d1f08
Revises: 5e1f0c3a9b27
Create Date: 2026-12-06 21:10:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '7a4c2e9d1f08'
down_revision = '5e1f0c3a9b27'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_audit_events_prev_hash'), type_='unique')
    if op.get_context().dialect.name == 'postgresql':
        op.execute('ALTER TABLE audit_events ALTER COLUMN id DROP DEFAULT')
        op.execute('DROP SEQUENCE IF EXISTS audit_events_id_seq')


def downgrade():
    if op.get_context().dialect.name == 'postgresql':
        op.execute('CREATE SEQUENCE audit_events_id_seq OWNED BY audit_events.id')
        op.execute(
            "SELECT setval('audit_events_id_seq', COALESCE(MAX(id), 0) + 1, false) FROM audit_events"
        )
        op.execute(
            "ALTER TABLE audit_events ALTER COLUMN id SET DEFAULT nextval('audit_events_id_seq')"
        )
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.create_unique_constraint(batch_op.f('uq_audit_events_prev_hash'), ['prev_hash'])
