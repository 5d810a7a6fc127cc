"""The layers stay apart: models, store and services never import Textual; the UI never reaches SQL."""

from __future__ import annotations

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "advocate_tui"

NON_UI = ["models", "store", "services", "profile.py", "clock.py", "desk.py", "demo.py", "schemas.py"]
UI = ["screens", "widgets", "commands.py", "messages.py", "palette.py", "app.py"]
SQL_MODULES = ("sqlite3", "sqlite_utils", "sqlcipher3")


def modules(parts: list[str]):
    for part in parts:
        path = PACKAGE / part
        yield from (sorted(path.rglob("*.py")) if path.is_dir() else [path])


def imported(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = "." * node.level + (node.module or "")
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def test_models_store_and_services_never_import_textual():
    offenders = [str(p.relative_to(PACKAGE)) for p in modules(NON_UI)
                 if any(n == "textual" or n.startswith("textual.") for n in imported(p))]
    assert offenders == [], f"non-UI modules importing Textual: {offenders}"


def test_screens_and_widgets_never_reach_sql():
    offenders = []
    for path in modules(UI):
        names = imported(path)
        if any(n.split(".")[0] in SQL_MODULES for n in names) or "execute(" in path.read_text(encoding="utf-8"):
            offenders.append(str(path.relative_to(PACKAGE)))
    assert offenders == [], f"UI modules reaching the database directly: {offenders}"


def test_every_module_says_what_it_holds():
    missing = [str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py")
               if p.stat().st_size and ast.get_docstring(ast.parse(p.read_text(encoding="utf-8"))) is None]
    assert missing == [], f"modules without a docstring: {missing}"


#: calls that run SQL on a connection or a sqlite-utils Database
SQL_CALLS = {"execute", "executemany", "executescript", "query"}
#: a string that is (or holds) an SQL statement
SQL_TEXT = re.compile(r"\bSELECT\b.*\bFROM\b|\bINSERT\s+(OR\s+\w+\s+)?INTO\b|\bUPDATE\s+\[?\w+\]?\s+SET\b|"
                      r"\bDELETE\s+FROM\b|^\s*(PRAGMA|CREATE|DROP|ALTER|BEGIN|COMMIT|ROLLBACK)\b", re.S)
#: services that still hold SQL, and why it stays for now
SERVICES_WITH_SQL: set[str] = set()


def sql_in(path: Path) -> list[str]:
    """Where a module runs SQL itself: ``.execute(``/``.query(`` calls and SQL statements in its strings."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in SQL_CALLS:
            found.append(f"line {node.lineno}: .{node.func.attr}(")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and SQL_TEXT.search(node.value):
            found.append(f"line {node.lineno}: {node.value[:40]!r}")
    return found


def test_services_leave_sql_to_the_store():
    offenders = {str(p.relative_to(PACKAGE)): where for p in modules(["services"])
                 if p.name not in SERVICES_WITH_SQL and (where := sql_in(p))}
    assert offenders == {}, f"services running SQL (it belongs in store/): {offenders}"


def test_the_sql_check_sees_sql():
    assert sql_in(PACKAGE / "store" / "unaudited.py"), "the check finds no SQL where there is some"


#: the longest a module may be (lines): past that it holds more than one thing; split it by responsibility
MAX_LINES = 400
#: modules over MAX_LINES that others are editing now (splitting them now would collide with their work): none
LONG_FOR_NOW: set[str] = set()


def test_modules_stay_small():
    long = {name: n for p in PACKAGE.rglob("*.py")
            if (name := p.relative_to(PACKAGE).as_posix()) not in LONG_FOR_NOW
            and (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}, f"modules over {MAX_LINES} lines (split them by what they hold): {long}"


def test_every_module_below_the_ui_can_be_imported_first():
    """A script or a tool (bench/, a school's own report) may import any store, service or model module
    first: none may need another to have been imported before it. ``from advocate_tui.store import
    files`` failed (a circular import between store.guards and store.schema) unless schema came first."""
    import subprocess
    import sys

    names = [".".join(p.relative_to(PACKAGE.parent).with_suffix("").parts) for p in modules(NON_UI)]
    names = [n.removesuffix(".__init__") for n in names]
    code = ("import importlib, sys\n"
            "failed = []\n"
            f"for name in {names!r}:\n"
            "    for k in [k for k in sys.modules if k == 'advocate_tui' or k.startswith('advocate_tui.')]:\n"
            "        del sys.modules[k]\n"
            "    try:\n"
            "        importlib.import_module(name)\n"
            "    except Exception as exc:\n"
            "        failed.append(f'{name}: {exc!r}')\n"
            "print('\\n'.join(failed))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == ""
