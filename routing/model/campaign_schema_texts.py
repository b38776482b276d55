"""The campaign file's [texts]: the notice's own words that code must not carry (routing.model.campaign_texts)."""

from __future__ import annotations

from routing.model.campaign_schema import Key, add_keys, add_section

add_keys("", Key("texts", "表", "通知特有的用语：系统名称、台账标题、单位名称栏、成果统计表名称、单位名称比对的地区前缀。", {}))

add_section(
    "texts", "通知特有的用语；未写的项由活动名称生成中性的默认值。",
    Key("system", "文本", "回执、催报、汇总、告警落款中的系统名称，如 \"“两优”报送系统\"。", "（活动名称）报送系统"),
    Key("ledger_title", "文本", "台账标题。", "（活动名称）报送台账"),
    Key("unit_label", "文本", "表格上填写单位名称之处，如 \"部门（单位）盖章\"。", "（第一项材料的 unit_label）"),
    Key("results_title", "文本", "由 [[metrics]] 计算的成果统计表名称；没有 [[metrics]] 的活动不导出此表。", "成果统计表"),
    Key("name_prefixes", "文本对列表", "比对单位名称时的地区前缀，每项为 [全称, 简称]，如 [[\"兴安盟\", \"盟\"]]。", []),
    example='[texts]\nsystem = "“两优”报送系统"\nname_prefixes = [["兴安盟", "盟"]]',
)
