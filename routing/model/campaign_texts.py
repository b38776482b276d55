"""The campaign's own words that code used to carry: system name, ledger title, labels, export names, name prefixes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from routing.errors import CampaignError

KEYS = ("system", "ledger_title", "unit_label", "results_title", "name_prefixes")


@dataclass(frozen=True)
class CampaignTexts:
    """What people read that depends on the notice; every value has a neutral default built from [campaign] name."""

    system: str = "报送系统"  # footers: （本邮件由{system}自动发送。）
    ledger_title: str = "报送台账"
    unit_label: str = "报送单位"  # the line of the forms where a sender writes its name, as printed (部门（单位）盖章)
    results_title: str = "成果统计表"  # the metrics workbook, exported only when the campaign has [[metrics]]
    name_prefixes: tuple[tuple[str, str], ...] = ()  # (full, short) region prefixes for matching unit names


def build_texts(data: Mapping[str, Any]) -> CampaignTexts:
    """The [texts] table, defaults filled from the campaign's name and its forms' unit labels."""
    raw = data.get("texts", {}) or {}
    if not isinstance(raw, Mapping):
        raise CampaignError("活动配置的 [texts] 应为一个表")
    unknown = sorted(set(raw) - set(KEYS))
    if unknown:
        raise CampaignError(f"[texts] 中有无法识别的项：{'、'.join(unknown)}（可用：{'、'.join(KEYS)}）")
    name = str((data.get("campaign") or {}).get("name", "")).strip()
    defaults = CampaignTexts(system=f"{name}报送系统" if name else CampaignTexts.system,
                             ledger_title=f"{name}报送台账" if name else CampaignTexts.ledger_title,
                             unit_label=_first_unit_label(data))
    values = {k: str(raw[k]) for k in KEYS[:-1] if k in raw}
    return CampaignTexts(**{**defaults.__dict__, **values, "name_prefixes": _prefixes(raw.get("name_prefixes", []))})


def _first_unit_label(data: Mapping[str, Any]) -> str:
    labels = [str(r.get("unit_label")) for r in data.get("returns", []) if isinstance(r, Mapping) and r.get("unit_label")]
    return labels[0] if labels else CampaignTexts.unit_label


def _prefixes(raw: Any) -> tuple[tuple[str, str], ...]:
    pairs = []
    for item in raw if isinstance(raw, list) else [raw]:
        if not (isinstance(item, list) and len(item) == 2 and all(isinstance(x, str) for x in item) and item[0]):
            raise CampaignError('[texts] 的 name_prefixes 应写作 [["××盟", "盟"], ["××自治区", ""]]（地区全称, 简称；简称可为空）')
        pairs.append((item[0], item[1]))
    return tuple(pairs)


def flat_routing(raw: Mapping[str, Any]) -> dict[str, dict[str, str]]:
    """[routing] per category, or (a notice without categories) kind = office for every unit, as category ""."""
    if raw and all(isinstance(v, str) for v in raw.values()):
        return {"": dict(raw)}
    return {cat: dict(table) for cat, table in raw.items()}
