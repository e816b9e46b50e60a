"""matching: the activation gate's verdict on model versions, and version counters bumped by triggers

Revision ID: 0016
Revises: 0011
Create Date: 2026-11-29

Model versions get ``gate_passed``, ``gate_reason`` (a message code) and ``gate`` (the figures):
a version is served only if it beat the content ranker and popularity on its held-out split.
Existing versions are judged here from their stored metrics (margin 0); an active one that lost
is retired, so the service falls back to content ranking, as it would for a new such version.

``matching_change`` holds version counters that statement-level triggers bump in the same
transaction as any change matching reads (projects, investor profiles and model versions:
``catalogue``; interaction events: ``events``). A replica compares the counters' sums with
those its served ranker was built at, one index-free query of eight rows, instead of scanning
the tables on every request.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SHARDS = 8
#: (table, counter) pairs: which counter a change to the table bumps.
WATCHED = (
    ("project", "catalogue"),
    ("investor_profile", "catalogue"),
    ("model_version", "catalogue"),
    ("interaction_event", "events"),
)

BUMP_FUNCTION = f"""
CREATE FUNCTION matching_change_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Statement-level: fires once per statement, also for one that changed nothing, hence the check.
    IF EXISTS (SELECT 1 FROM changed) THEN
        IF TG_ARGV[0] = 'events' THEN
            UPDATE matching_change SET events = events + 1 WHERE shard = pg_backend_pid() % {SHARDS};
        ELSE
            UPDATE matching_change SET catalogue = catalogue + 1 WHERE shard = pg_backend_pid() % {SHARDS};
        END IF;
    END IF;
    RETURN NULL;
END
$$
"""

#: Learned, content and popularity NDCG@10 from a version's stored metrics (NaN was stored as null).
_NDCG = "(SELECT (r->>'ndcg')::float FROM jsonb_array_elements(v.metrics->'rows') r WHERE r->>'ranker' = '{}')"


def upgrade() -> None:
    op.add_column("model_version", sa.Column("gate_passed", sa.Boolean(), nullable=True))
    op.add_column("model_version", sa.Column("gate_reason", sa.String(length=64), nullable=True))
    op.add_column(
        "model_version",
        sa.Column(
            "gate", postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'::jsonb"), nullable=False
        ),
    )
    learned, content, popularity = _NDCG.format("learned"), _NDCG.format("content cosine"), _NDCG.format("popularity")
    op.execute(
        f"""
        WITH figures AS (
            SELECT v.id, {learned} AS learned, {content} AS content, {popularity} AS popularity
            FROM model_version v WHERE jsonb_typeof(v.metrics->'rows') = 'array'
        )
        UPDATE model_version m SET
            gate_passed = CASE
                WHEN f.learned IS NULL OR f.content IS NULL OR f.popularity IS NULL THEN false
                ELSE f.learned > f.content AND f.learned > f.popularity END,
            gate_reason = CASE
                WHEN f.learned IS NULL OR f.content IS NULL OR f.popularity IS NULL THEN 'model.gate.no_held_out'
                WHEN f.learned <= f.content THEN 'model.gate.loses_to_content'
                WHEN f.learned <= f.popularity THEN 'model.gate.loses_to_popularity'
                ELSE 'model.gate.passed' END,
            gate = jsonb_build_object(
                'learned', f.learned, 'content', f.content, 'popularity', f.popularity, 'margin', 0.0, 'k', 10
            )
        FROM figures f WHERE m.id = f.id
        """
    )
    op.execute("UPDATE model_version SET status = 'retired' WHERE status = 'active' AND gate_passed IS NOT TRUE")

    op.create_table(
        "matching_change",
        sa.Column("shard", sa.SmallInteger(), autoincrement=False, nullable=False),
        sa.Column("catalogue", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("events", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.PrimaryKeyConstraint("shard", name=op.f("pk_matching_change")),
    )
    op.execute(f"INSERT INTO matching_change (shard) SELECT generate_series(0, {SHARDS - 1})")
    op.execute(BUMP_FUNCTION)
    for table, counter in WATCHED:
        # A trigger with a transition table fires on one kind of statement only: three per table.
        for event, transition in (("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")):
            op.execute(
                f"CREATE TRIGGER {table}_matching_{event.lower()} AFTER {event} ON {table}"
                f" REFERENCING {transition} TABLE AS changed FOR EACH STATEMENT"
                f" EXECUTE FUNCTION matching_change_bump('{counter}')"
            )


def downgrade() -> None:
    for table, _ in WATCHED:
        for event in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER {table}_matching_{event} ON {table}")
    op.execute("DROP FUNCTION matching_change_bump()")
    op.drop_table("matching_change")
    op.drop_column("model_version", "gate")
    op.drop_column("model_version", "gate_reason")
    op.drop_column("model_version", "gate_passed")
