"""Values fitted to the ledger: the same cleaned, bounded values on SQLite and PostgreSQL, identities kept by a digest."""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import String, select

from mailbot.ledger.models import MessageRow, OutboxAttachmentRow, OutboxRow
from mailbot.ledger.values import UNFIT, clean_json, clean_text, fit_text

NOW = dt.datetime(2023, 1, 10, 2, tzinfo=dt.UTC)
NASTY = "\x00\x01\x08\x0b\x1f\x7f\ud800\udc80\t\n\r" + "附件abcABC.xlsx <>@"


def random_text(rng: random.Random, longest: int) -> str:
    return "".join(rng.choice(NASTY) for _ in range(rng.randint(0, longest)))


def test_fitting_is_bounded_clean_idempotent_and_keeps_values_apart():
    rng = random.Random(15)
    seen: dict[tuple[int, str], str] = {}
    shared = random_text(rng, 600)  # many values alike in their first hundreds of characters
    for _ in range(3000):
        value, limit = rng.choice(["", shared]) + random_text(rng, 200), rng.choice([40, 80, 300, 320, 500])
        fitted = fit_text(value, limit)
        assert len(fitted) <= limit and not UNFIT.search(fitted) and fit_text(fitted, limit) == fitted
        assert seen.setdefault((limit, fitted), clean_text(value)) == clean_text(value)  # one stored value, one original
    cleaned = {fit_text(f"<{'a' * 600}{n}@x>", 500) for n in range(100)}
    assert len(cleaned) == 100  # a shared 500-character prefix does not make them one
    assert fit_text("批注-" + "长" * 400 + ".xlsx", 300).endswith(".xlsx")


def test_json_values_are_cleaned_to_the_leaves_and_clean_ones_left_alone():
    clean = {"rows": [{"列": "值", "n": 1}], "ok": None}
    assert clean_json(clean) is clean
    assert clean_json({"a\x00": ["x\x00y", {"k": "\udc80z"}], "n": 1.5}) == {"a": ["xy", {"k": "z"}], "n": 1.5}


def test_every_string_and_json_column_stores_the_fitted_value_on_either_database(app):
    rng = random.Random(7)
    # campaign is the ledger's own (mailbot.ledger.scope stamps it): a random one would put the row out of this app's sight
    strings = {c.key: c for c in MessageRow.__table__.columns if isinstance(c.type, String) and c.key not in ("outcome", "campaign")}
    values = {key: random_text(rng, (column.type.length or 900) + 50) for key, column in strings.items()}
    values["receipt_no"] = values["receipt_no"][:20] + "号"  # unique: one row only
    verdict = {"subject": "主题\x00" + "\udc80", "forms": [{"file": "a\x01.xlsx"}]}
    with app.ledger.transaction() as s:
        row = MessageRow(**values, received_at=NOW, processed_at=NOW, outcome="accepted", verdict=verdict, flags=["\x00"])
        s.add(row)
        s.flush()
        reply = OutboxRow(message_ref=row.id, kind="reply:accepted", office="zwfw", to_addr="a@example.com", subject="回复：\x00" + "x" * 5,
                          body="正文\x00", headers={"In-Reply-To": "<\x00id>"}, created_at=NOW, next_attempt_at=NOW)
        reply.attachments = [OutboxAttachmentRow(filename="批注-" + "长" * 400 + ".xlsx", content_type="application/x", data=b"x")]
        s.add(reply)
    with app.ledger.session() as s:
        stored = s.scalars(select(MessageRow)).one()
        sent = s.scalars(select(OutboxRow)).one()
        copy = sent.attachments[0]
        for key, column in strings.items():
            assert getattr(stored, key) == fit_text(values[key], column.type.length), key
        assert stored.verdict == {"subject": "主题", "forms": [{"file": "a.xlsx"}]} and stored.flags == [""]
        assert (sent.subject, sent.body, sent.headers) == ("回复：xxxxx", "正文", {"In-Reply-To": "<id>"})
        assert len(copy.filename) <= 300 and copy.filename.endswith(".xlsx")
