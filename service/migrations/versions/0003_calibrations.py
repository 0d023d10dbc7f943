"""rubric calibrations: per tenant and rubric version, fitted on teacher grades

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 09:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "rubric_calibrations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.String(length=32), nullable=False),
        sa.Column("rubric_id", sa.String(length=200), nullable=False),
        sa.Column("rubric_version", sa.String(length=32), nullable=False),
        sa.Column("calibration", sa.JSON(), nullable=False),
        sa.Column("report", sa.JSON(), nullable=False),
        sa.Column("n_answers", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("rubric_calibrations", schema=None) as batch_op:
        batch_op.create_index(
            "ix_rubric_calibrations_lookup",
            ["tenant_id", "rubric_id", "rubric_version", "created_at"],
            unique=False,
        )


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("rubric_calibrations", schema=None) as batch_op:
        batch_op.drop_index("ix_rubric_calibrations_lookup")
    op.drop_table("rubric_calibrations")
