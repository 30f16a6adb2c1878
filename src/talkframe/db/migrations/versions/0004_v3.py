"""v3 API: stored Idempotency-Key answers, v3 webhook endpoints and deliveries, the event log.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "idempotency_keys",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("account_id", sa.String(32), nullable=False),
        sa.Column("scope", sa.String(500), nullable=False),
        sa.Column("key", sa.String(255), nullable=False),
        sa.Column("status", sa.String(16), nullable=False, server_default="in_progress"),
        sa.Column("response_status", sa.Integer, nullable=True),
        sa.Column("response_body", sa.Text, nullable=True),
        sa.Column("created_at", sa.Float, nullable=False),
        sa.Column("expires_at", sa.Float, nullable=False),
        sa.UniqueConstraint("account_id", "scope", "key", name="uq_idempotency_keys_scope_key"),
    )

    for table in ("webhook_endpoints", "webhook_deliveries"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("api_version", sa.String(8), nullable=False, server_default="v1"))
    op.create_table(
        "webhook_events",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("account_id", sa.String(32), nullable=False),
        sa.Column("event_type", sa.String(64), nullable=False),
        sa.Column("entity_id", sa.String(64), nullable=True),
        sa.Column("event_data", sa.JSON, nullable=False),
        sa.Column("created_at", sa.Float, nullable=False),
    )
    op.create_index("ix_webhook_events_account_created", "webhook_events", ["account_id", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_webhook_events_account_created", "webhook_events")
    op.drop_table("webhook_events")
    for table in ("webhook_deliveries", "webhook_endpoints"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("api_version")
    op.drop_table("idempotency_keys")
