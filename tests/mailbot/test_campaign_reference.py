"""The format reference (docs/campaign-format.md) is generated from the schema and lacks no key the loader reads."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from parsers.forms.rules.context import KIND_CODES
from parsers.forms.rules.registry import RULE_KINDS
from parsers.gate.terms import MarkingTerms
from parsers.problem_texts import DEFAULTS
from routing.model.campaign_reference import OUTPUT, render
from routing.model.campaign_schema import load_extensions
from routing.model.campaign_schema_rules import COMMON, CONDITION_KEYS, RULES

ROOT = Path(__file__).resolve().parent.parent.parent
# Where the code reads the campaign file's keys, and the names it reads them under (raw.get("x"), rule["x"] ...).
READERS = ["routing/model/campaign_load.py", "routing/model/schedule.py", "parsers/forms/metrics.py", "parsers/forms/rules/context.py",
           "parsers/forms/rules/basic.py", "parsers/forms/rules/numbers.py", "parsers/forms/rules/groups.py", "parsers/forms/rules/conditions.py",
           "parsers/forms/table.py", "parsers/docx/plan.py", "parsers/contacts/details.py", "parsers/contacts/merge.py",
           "parsers/docx/returns.py", "parsers/blanks/workbook.py", "parsers/blanks/document.py", "parsers/blanks/layout.py",
           "parsers/forms/checks.py", "mailbot/worker_config.py", "mailbot/reports/export_results.py"]
READ = re.compile(r"\b(?:raw|extra|rule|metric|table|after|head|data|b|cond|spec_field|field|settings)(?:\.get\(|\[)\"([a-z_]+)\"")


def _documented() -> set[str]:
    names = {k for s in load_extensions().values() for k in s.keys}
    return names | {p.name for r in RULES.values() for p in r.params} | set(COMMON.keys) | set(CONDITION_KEYS)


def test_the_reference_is_generated_from_the_schema_and_current():
    assert (ROOT / OUTPUT).read_text(encoding="utf-8") == render(), "请运行 python scripts/campaign_reference.py 重新生成"


def test_every_key_of_the_schema_is_in_the_reference():
    text = (ROOT / OUTPUT).read_text(encoding="utf-8")
    for section in load_extensions().values():
        for name in section.keys:
            assert f"`{name}`" in text, (section.path, name)
    for kind, spec in RULES.items():
        assert f"### `{kind}`" in text and all(f"`{p.name}`" in text for p in spec.params)
    for pitfall in ("单引号", "日期不加引号", "内联表写在一行内"):
        assert pitfall in text


def test_every_key_the_code_reads_is_in_the_schema():
    read = {name for path in READERS if (ROOT / path).exists() for name in READ.findall((ROOT / path).read_text(encoding="utf-8"))}
    assert read - _documented() == set()


def test_every_rule_kind_and_gate_term_is_described():
    assert set(RULES) == set(RULE_KINDS) == set(KIND_CODES)
    assert set(KIND_CODES.values()) <= set(DEFAULTS)
    classified = load_extensions()["classified"].keys
    assert {f.name for f in dataclasses.fields(MarkingTerms)} <= set(classified)


def test_the_readme_links_the_reference():
    assert "(docs/campaign-format.md)" in (ROOT / "README.md").read_text(encoding="utf-8")
