"""The 涉密 gate as a property: every marking, placed anywhere the robot reads and written any way a sender may,
is refused or held; no mere mention is ever refused, and none is held outside the title-like places.

Runs the gate as the parse child does, from raw message bytes (routing.stages.prepare), over the containers of
tests.support.gate_cases: subject, body lines, HTML, forwards, names, zips, docx, xlsx and .xls.
"""

from __future__ import annotations

import random

import pytest

from mailbot.config import load_campaign
from mailbot.intake.inbound import delivery_from_bytes
from parsers.gate.scan import MarkingTerms
from parsers.safety.limits import DEFAULT_LIMITS
from routing.stages.prepare import job_of, prepare
from tests.support import gate_cases as g
from tests.support.canary import make_canary

CAMPAIGN = load_campaign()
TERMS = MarkingTerms.from_config(CAMPAIGN.classified)
PLACES = sorted(g.PLACES)
# Places that read like a title, where a stray 涉密 is unclear by design (a person decides).
TITLE_PLACES = {"subject", "filename", "zip-name", "zip-member-name"}
LEVELS, STARS = ("绝密", "机密", "秘密"), ("★", "☆", "*", "＊", "✱", "⭐")
PERIODS = ("1年", "6个月", "长期", "启用前", "")
WIDE = str.maketrans({"*": "＊", ":": "：", "(": "（", ")": "）", "[": "［", "]": "］", " ": "　"})


def gate(where: str, text: str):
    delivery = delivery_from_bytes(g.placed(where, text, make_canary()), g.ZWFW, received_at=g.WHEN)
    return prepare(job_of(delivery), CAMPAIGN, TERMS, DEFAULT_LIMITS).marking


def random_marking(rng: random.Random) -> str:
    """A 密级 marking as a sender may write it: spaced, full-width, with invisible characters inside."""
    level = rng.choice(LEVELS)
    if rng.random() < 0.3:
        level = rng.choice((" ", "　", "  ")).join(level)
    text = f"{level}{rng.choice(('', ' ', '　'))}{rng.choice(STARS)}{rng.choice(PERIODS)}"
    if rng.random() < 0.2:
        text = f"密级{rng.choice(('：', ':', ' ', '为'))}{rng.choice(LEVELS)}"
    if rng.random() < 0.3:
        text = text.translate(WIDE)
    if rng.random() < 0.5:
        text = g.hide(text, rng.choice(g.INVISIBLE))
    return text


@pytest.mark.parametrize("where", PLACES)
def test_every_marking_in_this_place_is_refused(where):
    missed = [text for text in g.MARKINGS if not (gate(where, text) or _none()).certain]
    assert missed == []


@pytest.mark.parametrize("where", PLACES)
def test_every_label_in_this_place_is_refused_or_held(where):
    hits = {text: gate(where, text) for text in g.LABELS}
    assert [text for text, hit in hits.items() if hit is None] == []
    if where in g.HEAD_PLACES:
        assert [text for text, hit in hits.items() if not hit.certain] == []  # where a label belongs, it refuses


@pytest.mark.parametrize("char", g.INVISIBLE, ids=[f"U+{ord(c):04X}" for c in g.INVISIBLE])
def test_invisible_characters_hide_no_marking(char):
    places = ("subject", "body-line-40", "html-only", "forwarded-body", "docx-paragraph-60", "xlsx-row-30", "xlsx-comment", "xls-row-4")
    missed = [where for where in places if not (gate(where, g.hide("秘密★1年", char)) or _none()).certain]
    assert missed == []


@pytest.mark.parametrize("seed", range(8))
def test_random_markings_in_random_places_are_refused(seed):
    rng = random.Random(seed)
    cases = [(rng.choice(PLACES), random_marking(rng)) for _ in range(12)]
    missed = [(where, text) for where, text in cases if not (gate(where, text) or _none()).certain]
    assert missed == []


@pytest.mark.parametrize("where", PLACES)
def test_no_mention_in_this_place_is_refused_or_held(where):
    hits = {text: gate(where, text) for text in g.MENTIONS}
    assert [text for text, hit in hits.items() if hit is not None and hit.certain] == []
    held = [text for text, hit in hits.items() if hit is not None]
    # Only a title-like place holds a subject that says 涉密 bare (e.g. "涉密材料已…"): a person decides.
    assert held == [] or (where in TITLE_PLACES and all("涉密材料" in text for text in held))


def _none():
    class Nothing:
        certain = False
    return Nothing
