"""The evidence of studying can be neither rewritten nor deleted, even by a statement that
bypasses the app."""
from __future__ import annotations

import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.exc import DatabaseError

from lms.extensions import db
from lms.pacing.models import PacingEvidence
from tests.pacing.conftest import evidence_of, watch


def test_the_database_refuses_to_change_an_evidence_row(player, clock, world):
    player.open()
    watch(player, clock, until=10)
    row = evidence_of(player.sid, "heartbeat")[-1]
    credited = row.credited_seconds
    with pytest.raises(DatabaseError, match="append-only"):
        db.session.execute(update(PacingEvidence).where(PacingEvidence.id == row.id)
                           .values(credited_seconds=credited + 600))
        db.session.flush()
    db.session.rollback()
    assert db.session.scalar(select(PacingEvidence.credited_seconds)
                             .where(PacingEvidence.id == row.id)) == credited


def test_the_database_refuses_to_delete_an_evidence_row(player, clock, world):
    player.open()
    watch(player, clock, until=10)
    rows = len(evidence_of(player.sid))
    with pytest.raises(DatabaseError, match="append-only"):
        db.session.execute(delete(PacingEvidence).where(PacingEvidence.session_id == player.sid))
        db.session.flush()
    db.session.rollback()
    assert len(evidence_of(player.sid)) == rows > 0
