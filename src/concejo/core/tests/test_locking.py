"""Row locks take only the rows they mean to.

On PostgreSQL `SELECT … FOR UPDATE` with joins locks the joined rows too:
`select_for_update().select_related("entity")` would lock the entity's row
until the commit, and every insert that refers to that entity (which takes
a key-share lock on it) would wait behind it. One citizen's submission then
held up every registry entry, case and report of the council. A lock with
`select_related` must therefore say `of=("self",)`.
"""

from __future__ import annotations

import ast
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[2]


def _chain(call: ast.Call) -> list[ast.Call]:
    """The calls of one method chain, outermost first: a.b().c().d() → [d, c, b]."""
    calls = []
    node: ast.expr = call
    while isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        calls.append(node)
        node = node.func.value
    return calls


def _lock_of_joined_rows(call: ast.Call) -> ast.Call | None:
    """The chain's `select_for_update(...)` when it also joins and does not say `of`."""
    names = {c.func.attr: c for c in _chain(call)}
    lock = names.get("select_for_update")
    if lock is None or "select_related" not in names:
        return None
    return None if any(k.arg == "of" for k in lock.keywords) else lock


def offending_locks(root: Path = SOURCE) -> list[str]:
    found = set()
    for path in sorted(root.rglob("*.py")):
        if "tests" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            lock = _lock_of_joined_rows(node) if isinstance(node, ast.Call) else None
            if lock is not None:
                found.add(f"{path.relative_to(root)}:{lock.lineno}")
    return sorted(found)


def test_no_lock_takes_the_rows_it_joins():
    assert offending_locks() == []


def test_the_check_finds_such_a_lock(tmp_path):
    (tmp_path / "bad.py").write_text(
        "a = Case.objects.select_for_update().select_related('entity').get(pk=1)\n"
        "b = Case.objects.select_related('entity').select_for_update().first()\n"
        "c = Case.objects.select_for_update(of=('self',)).select_related('entity').get(pk=1)\n"
        "d = Case.objects.select_for_update().get(pk=1)\n"
    )
    assert offending_locks(tmp_path) == ["bad.py:1", "bad.py:2"]
