"""Render a problem's Chinese message: its code's template from the catalogue, or a campaign rule's own."""

from __future__ import annotations

from parsers.problem_codes import CATALOGUE

# Keyed by problem code: the catalogue (parsers.problem_codes) is the one list of codes and their templates.
DEFAULTS = CATALOGUE



def expected_forms(campaign) -> str:
    """The campaign's returns by label (实施方案、联络人、附件1…), for a file that holds none of them."""
    return "、".join(spec.label for spec in campaign.forms)


def render(code: str, template: str | None = None, **values: object) -> str:
    """The message for ``code``, from ``template`` or the default, with missing fields left blank."""
    text = template or DEFAULTS.get(code, code)
    try:
        return text.format_map(_Blank(values))
    except (ValueError, IndexError):
        return text


class _Blank(dict):
    """format_map mapping that leaves unknown placeholders empty instead of raising."""

    def __missing__(self, name: str) -> str:
        return ""
