"""What a unit still owes: the receipt's one-query answer agrees with the full 台账 matrix in every state."""

from __future__ import annotations

import pytest

from mailbot.ledger.models import UnitRow
from mailbot.ledger.status import Standing, outstanding, unit_matrix
from tests.mailbot.test_workbook import NOW, ZWFW, add_message, add_return, at, seed_ledger


def _owed_by_matrix(session, campaign, unit, now):
    return [(c.kind, c.standing, c.handled_by) for c in unit_matrix(session, campaign, unit, now) if not c.standing.done]


@pytest.mark.parametrize("now", [at(1, 11), NOW], ids=["before-deadlines", "after-deadlines"])
def test_outstanding_says_what_the_matrix_says_for_every_unit(app, now):
    seed_ledger(app)
    with app.ledger.transaction() as s:
        s.query(UnitRow).filter_by(name="兴安盟教育局").one().exempt = ["attachment1"]
    with app.ledger.session() as s:
        units = s.query(UnitRow).all()
        answers = {u.name: [(c.kind, c.standing, c.handled_by) for c in outstanding(s, app.campaign, u, now)] for u in units}
        expected = {u.name: _owed_by_matrix(s, app.campaign, u, now) for u in units}
    assert answers == expected
    standings = {standing for owed in answers.values() for _kind, standing, _office in owed}
    # The seeded ledger reaches every standing that is owed, so the comparison covers each branch.
    want = {Standing.NEEDS_FIX, Standing.CLASSIFIED} | ({Standing.OVERDUE_MISSING} if now == NOW else {Standing.MISSING})
    assert want <= standings


def test_an_invalid_resubmission_does_not_reopen_a_valid_return(app):
    seed_ledger(app)
    with app.ledger.transaction() as s:
        unit = s.query(UnitRow).filter_by(name="兴安盟财政局").one()
        late = add_message(s, unit.name, ZWFW, at(1, 18), "政务服务局〔2023〕收字第0009号", outcome="invalid")
        add_return(s, late, "attachment2", version=3, status="invalid")  # after v1 invalid and v2 valid
    with app.ledger.session() as s:
        unit = s.query(UnitRow).filter_by(name="兴安盟财政局").one()
        owed = {c.kind for c in outstanding(s, app.campaign, unit, NOW)}
        matrix = {c.kind: c for c in unit_matrix(s, app.campaign, unit, NOW)}
    assert "attachment2" not in owed
    assert matrix["attachment2"].counting.version == 2  # the matrix agrees: v2 still counts
