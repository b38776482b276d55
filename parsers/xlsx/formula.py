"""Evaluate the trivial formulas scripts leave without a cached value (=D5-E5, =3+4); nothing more."""

from __future__ import annotations

import ast
import operator
import re
from collections.abc import Callable

_REF = re.compile(r"\$?([A-Z]{1,3})\$?(\d+)")
_OPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv}


def evaluate(formula: str, lookup: Callable[[str], object]) -> float | None:
    """The value of an arithmetic formula over cell refs and numbers, or None when it is not trivial."""
    source = _REF.sub(lambda m: f"_{m.group(1)}{m.group(2)}", formula.lstrip("=").upper())
    try:
        tree = ast.parse(source, mode="eval")
        return _eval(tree.body, lookup)
    except (SyntaxError, ValueError, TypeError, ZeroDivisionError, KeyError):
        return None


def _eval(node: ast.AST, lookup: Callable[[str], object]) -> float:
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
        return float(node.value)
    if isinstance(node, ast.Name) and node.id.startswith("_"):
        value = lookup(node.id[1:])
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
        if value is None:
            return 0.0
        raise ValueError(node.id)
    if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
        return _OPS[type(node.op)](_eval(node.left, lookup), _eval(node.right, lookup))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return -_eval(node.operand, lookup)
    raise ValueError(ast.dump(node))
