"""Behaviours the faster header recogniser, unescape and zip guard must keep: each test fails if one is lost."""

from __future__ import annotations

import dataclasses

from parsers.grid import Cell, Grid
from parsers.recognise import recognise
from routing.campaign import Column, FormSpec
from tests.test_parse_build import campaign


def grid(*rows: list[str]) -> Grid:
    """A grid of plain text cells."""
    return Grid("Sheet1", [[Cell(text, f"R{r}C{c}") for c, text in enumerate(row)] for r, row in enumerate(rows)])


def with_form(*columns: Column):
    """The shipped campaign with one table form made of ``columns`` in place of its own."""
    spec = FormSpec(kind="t", label="表", title="表", deadline="d", layout="table", columns=columns)
    return dataclasses.replace(campaign(), forms=(spec,))


# ---------------------------------------------------------------- recognise

def test_repeated_column_name_keeps_its_last_hit_and_frees_the_earlier_column():
    camp = with_form(Column("甲"), Column("甲", aliases=("乙",)), Column("丙", aliases=("甲",)))
    layout = recognise(grid(["甲", "乙", "丙"], ["1", "2", "3"]), camp)
    assert layout.columns == {"甲": 1, "丙": 0}


def test_repeated_column_name_counts_by_the_role_of_its_first_column():
    # 序号 is first a seq column: a later 序号 hit does not make it a named column, so one named is too few.
    camp = with_form(Column("序号", role="seq"), Column("序号", aliases=("编号",)), Column("名称"))
    assert recognise(grid(["编号", "名称"], ["1", "x"]), camp) is None
    camp = with_form(Column("序号"), Column("序号", role="seq", aliases=("编号",)), Column("名称"))
    assert recognise(grid(["编号", "名称"], ["1", "x"]), camp).columns == {"序号": 0, "名称": 1}


def test_unhashable_column_is_still_recognised():
    camp = with_form(Column("名称", aliases=["品名"]), Column("数量"))  # a list, as a hand-built Column may hold
    layout = recognise(grid(["标题"], ["品 名", "数量"], ["x", "1"]), camp)
    assert (layout.header_top, layout.data_start, layout.columns) == (1, 2, {"名称": 0, "数量": 1})


def test_two_row_header_and_merged_name_below():
    camp = with_form(Column("序号", role="seq"), Column("名称"), Column("本级", group="层级"), Column("下级", group="层级"))
    layout = recognise(grid(["序号", "名称", "层级", ""], ["序号", "", "本级", "下级"], ["1", "x", "√", ""]), camp)
    assert (layout.header_top, layout.data_start) == (0, 2)
    assert layout.columns == {"序号": 0, "名称": 1, "本级": 2, "下级": 3}


def test_header_only_within_the_first_thirty_rows():
    camp = with_form(Column("名称"), Column("数量"))
    rows = [["说明"]] * 30 + [["名称", "数量"], ["x", "1"]]
    assert recognise(grid(*rows), camp) is None
    assert recognise(grid(*rows[1:]), camp).header_top == 29
