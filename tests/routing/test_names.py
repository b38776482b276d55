"""Unit-name normalisation and matching, on a roster holding the hard names of issue 5."""

import pytest

from routing.model.names import canonical, find_units_in_text, similarity, stem
from routing.model.roster import Roster, Unit
from tests.campaigns import LIANGYOU_PREFIXES as XAM  # the shipped campaign's [texts] name_prefixes


def _unit(name, aliases=(), category="政府", emails=()):
    return Unit(name=name, aliases=tuple(aliases), category=category, emails=tuple(emails))


HARD = Roster(
    [
        _unit("科尔沁右翼前旗", ["科右前旗"], emails=["kyqq@example.org"]),
        _unit("科尔沁右翼中旗", ["科右中旗"], emails=["kyzq@example.org"]),
        _unit("共青团兴安盟委员会", ["团盟委"], category="党群", emails=["tmw@example.net"]),
        _unit("兴安盟教育局", ["盟教育局"], emails=["jyj@example.com", "jyj-bgs@example.net"]),
        _unit("兴安盟民政局", ["盟民政局"], emails=["mzj@example.com"]),
        _unit("兴安盟民族局", [], emails=["mzuj@example.com"]),
        _unit("兴安盟统计局", [], emails=["tjj@example.com"]),
        _unit("兴安盟审计局", [], emails=["sjj@example.com"]),
        _unit("兴安盟红十字会", ["盟红十字会"], category="党群"),
        _unit("中共兴安盟委员会组织部", ["盟委组织部"], category="党群", emails=["zzb@example.org"]),
        _unit("兴安盟行政审批和政务服务局", ["盟政务服务局"], emails=["zwfw@example.com"]),
        _unit("中共突泉县委员会", ["突泉县委"], category="党群"),
        _unit("突泉县人民政府", [], emails=["tq@example.org"]),
    ],
    XAM,
)


@pytest.mark.parametrize(
    "written, expected",
    [
        ("中共兴安盟委员会组织部", "盟委组织部"),
        ("中国共产党兴安盟委员会组织部", "盟委组织部"),
        ("共青团兴安盟委员会", "团盟委"),
        ("共青团兴安盟委", "团盟委"),
        ("突泉县人民政府", "突泉县政府"),
        ("兴安盟教育局（盖章）", "盟教育局"),
        ("部门（单位）盖章：兴安盟教育局", "盟教育局"),
        ("兴 安 盟\u3000教育局", "盟教育局"),
        ("ＡＢＣ局", "abc局"),
        ("内蒙古自治区兴安盟民政局", "盟民政局"),
    ],
)
def test_canonical_folds_the_usual_spellings(written, expected):
    assert canonical(written, XAM) == expected


def test_stem_drops_only_a_leading_meng():
    assert [stem("盟教育局", XAM), stem("团盟委", XAM), stem("盟委", XAM)] == ["教育局", "团盟委", "盟委"]


def test_similarity_is_one_only_when_equal():
    assert similarity("盟教育局", "盟教育局", XAM) == 1.0
    assert similarity("教育局", "盟教育局", XAM) == 0.95
    assert similarity("盟民政局", "盟民族局", XAM) < 0.8


@pytest.mark.parametrize(
    "written, unit",
    [
        ("科尔沁右翼前旗", "科尔沁右翼前旗"),
        ("科右前旗", "科尔沁右翼前旗"),
        ("科右中旗", "科尔沁右翼中旗"),
        ("共青团兴安盟委员会", "共青团兴安盟委员会"),
        ("团盟委", "共青团兴安盟委员会"),
        ("共青团兴安盟委员会（盖章）", "共青团兴安盟委员会"),
        ("兴安盟教育局", "兴安盟教育局"),
        ("盟教育局", "兴安盟教育局"),
        ("教育局", "兴安盟教育局"),
        ("兴安盟民政局", "兴安盟民政局"),
        ("兴安盟民族局", "兴安盟民族局"),
        ("兴安盟统计局", "兴安盟统计局"),
        ("兴安盟审计局", "兴安盟审计局"),
        ("兴安盟行政审批与政务服务局", "兴安盟行政审批和政务服务局"),
        ("兴安盟教育局办公室", "兴安盟教育局"),
    ],
)
def test_match_name_finds_the_unit(written, unit):
    match = HARD.match_name(written)
    assert (match.unit.name if match.unit else None, match.ambiguous) == (unit, False)


@pytest.mark.parametrize("written", ["兴安盟民X局", "兴安盟统汁局", "兴安盟x计局", "乌兰浩特市教育局", "兴安盟", ""])
def test_near_or_foreign_names_are_never_guessed(written):
    match = HARD.match_name(written)
    assert match.unit is None


@pytest.mark.parametrize("written", ["突泉县", "科尔沁右翼后旗"])
def test_names_too_close_to_call_are_ambiguous(written):
    match = HARD.match_name(written)
    assert (match.unit, match.ambiguous) == (None, True)
    assert len(match.candidates) >= 2


def test_ambiguous_candidates_name_both_units():
    match = HARD.match_name("突泉县")
    assert {c.name for c in match.candidates[:2]} == {"中共突泉县委员会", "突泉县人民政府"}


def test_candidates_carry_scores_best_first():
    match = HARD.match_name("盟教育局")
    unit, score = match.candidates[0]
    assert (unit.name, score) == ("兴安盟教育局", 1.0)
    assert [c.score for c in match.candidates] == sorted((c.score for c in match.candidates), reverse=True)


@pytest.mark.parametrize(
    "text, units",
    [
        ("附件3-盟教育局.xlsx", ["兴安盟教育局"]),
        ("附件3-教育局.xlsx", ["兴安盟教育局"]),
        ("兴安盟教育局办公室 张三\n0482-0000000", ["兴安盟教育局"]),
        ("附件3-科右前旗教育局.xlsx", ["科尔沁右翼前旗"]),
        ("关于报送“两优”清单的函（团盟委）", ["共青团兴安盟委员会"]),
        ("共青团兴安盟委员会 办公室", ["共青团兴安盟委员会"]),
        ("突泉县委办公室 李四", ["中共突泉县委员会"]),
        ("盟委组织部、盟教育局联合报送", ["中共兴安盟委员会组织部", "兴安盟教育局"]),
        ("关于报送两优材料的函", []),
        ("兴安盟民族局", ["兴安盟民族局"]),
    ],
)
def test_find_units_in_text(text, units):
    assert [u.name for u in find_units_in_text(text, HARD)] == units


def test_find_in_text_makes_several_units_ambiguous():
    match = HARD.find_in_text("盟委组织部、盟教育局联合报送")
    assert (match.unit, match.ambiguous) == (None, True)


def test_find_in_text_returns_the_single_unit():
    match = HARD.find_in_text("附件2-团盟委.xlsx")
    assert (match.unit.name, match.ambiguous) == ("共青团兴安盟委员会", False)


def test_bare_stem_after_a_place_name_is_not_the_league_unit():
    # 科右前旗教育局 is the banner's bureau, not 兴安盟教育局.
    assert [u.name for u in find_units_in_text("科右前旗教育局", HARD)] == ["科尔沁右翼前旗"]
    assert "兴安盟教育局" not in [u.name for u in find_units_in_text("乌兰浩特市教育局", HARD)]
