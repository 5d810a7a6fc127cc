"""One registry of record kinds: each kind's part of every layer lives in that kind's own modules, and the
shared code (panes, header, student page, handoff, bundle, figures, forms) reaches it through the registry.

The static test reads every module of the package: a kind's model may be imported, and its name compared
with a record's ``kind`` or used as a key of a table, only in the kind's own modules (``Kind.modules``),
those of the kinds that link to it (``Kind.links``) and the registries themselves — all of it taken from
the registry, none of it listed here. The Pilot tests drive the real app on the demo school's database.
"""

from __future__ import annotations

import ast
import shutil
import sqlite3
import sys
from pathlib import Path
from typing import ClassVar

import pytest

import advocate_tui
from advocate_tui.app import AdvocateApp
from advocate_tui.desk import Desk
from advocate_tui.models import HandoffBundleContent, Record
from advocate_tui.models import kinds as model_kinds, records
from advocate_tui.models.kinds import Later, model_of
from advocate_tui.models.records import RECORD_TYPES
from advocate_tui.screens import kind_ui
from advocate_tui.services import kinds as kinds_package
from advocate_tui.services.kinds import Kind, HeaderBit, kinds, registry
from advocate_tui.services.today import PANES

from main_seed import screen_text

PACKAGE = Path(advocate_tui.__file__).resolve().parent


def _file(module_name: str) -> Path:
    return Path(sys.modules[module_name].__file__).resolve()


#: the registries: the models' (RECORD_TYPES and the package's re-exports), the bundle's contract (a list
#: per kind), the services' and the UI's
REGISTRIES = {Path(records.__file__).resolve(), Path(model_kinds.__file__).resolve(), PACKAGE / "models" / "__init__.py",
              _file(HandoffBundleContent.__module__),
              Path(kinds_package.__file__).resolve(), Path(registry.__file__).resolve(),
              Path(kind_ui.__file__).resolve()}


def _own(kind: Kind) -> set[Path]:
    return {p.resolve() for p in PACKAGE.rglob("*.py") if p.stem in kind.modules}


def allowed(kind: Kind) -> set[Path]:
    """Where a kind may be named: its own modules, those of the kinds linking to it (a referral is made from
    an incident), of the kinds that plug into it (every kind with a handoff part names the handoff) and the
    registries."""
    out = _own(kind) | REGISTRIES
    for other in kinds():
        if kind.name in other.links or (kind.name == "handoff" and other.bundle is not None):
            out |= _own(other)
    return out


def named_kinds(path: Path) -> tuple[set[str], set[str]]:
    """(model classes imported from the models package, kind names a record's ``kind`` is compared with or
    a table is keyed by) in a module."""
    models, names = set(), set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and "models" in (node.module or "").split("."):
            models.update(alias.name for alias in node.names)
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "models":
            models.add(node.attr)
        elif isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            if any(isinstance(s, ast.Attribute) and s.attr == "kind" for s in sides):
                for side in sides:
                    items = side.elts if isinstance(side, (ast.Tuple, ast.List, ast.Set)) else [side]
                    names.update(i.value for i in items if isinstance(i, ast.Constant) and isinstance(i.value, str))
        elif isinstance(node, ast.Dict):
            names.update(k.value for k in node.keys if isinstance(k, ast.Constant) and isinstance(k.value, str))
    return models, names


def test_every_record_kind_is_registered_once_with_its_own_modules():
    registered = {k.name: k for k in kinds()}
    assert set(registered) == set(RECORD_TYPES), "a record kind without its registry entry (or one too many)"
    for kind in kinds():
        assert model_of(registered[kind.name].model) is RECORD_TYPES[kind.name]
        assert _own(kind), f"{kind.name}: no module of its own ({kind.modules})"
        assert all(link in registered for link in kind.links), f"{kind.name} links an unknown kind"


#: a kind's model as its unbuilt handle in models.kinds is named ("INCIDENT") -> the kind ("incident")
LATER_NAMES = {name: later.kind for name, later in vars(model_kinds).items() if isinstance(later, Later)}


def test_a_kind_is_named_only_in_its_own_modules_and_the_registries():
    offenders: dict[str, list[str]] = {}
    modules = [(p.resolve(), *named_kinds(p)) for p in sorted(PACKAGE.rglob("*.py"))]
    for kind in kinds():
        ok = allowed(kind)
        handles = {name for name, named in LATER_NAMES.items() if named == kind.name}
        bad = [str(p.relative_to(PACKAGE)) for p, models, names in modules
               if p not in ok and (kind.model.__name__ in models or handles & models or kind.name in names)]
        if bad:
            offenders[kind.name] = bad
    assert offenders == {}, f"kinds named in shared modules (reach them through services.kinds): {offenders}"


def test_the_check_sees_a_kind_named_in_shared_code(tmp_path):
    shared = tmp_path / "shared.py"
    shared.write_text('"""x"""\nfrom ..models import Incident\nfrom ..models.kinds import SWEEP\n\n\n'
                      'def f(r):\n    return r.kind == "referral"\n')
    models, names = named_kinds(shared)
    assert "Incident" in models and "referral" in names and "SWEEP" in models


def test_every_pane_has_its_widget_and_every_form_kind_its_screen():
    assert PANES and set(PANES) <= set(kind_ui.PANE_WIDGETS), "a pane without a widget"
    for name, ui in kind_ui.KIND_UI.items():
        assert name in RECORD_TYPES
        for where in (ui.form, ui.detail):
            assert where is None or kind_ui.load_screen_class(where) is not None, f"{name}: {where} not found"


@pytest.fixture
def demo(demo_file, tmp_path, profile, clock):
    path = tmp_path / "demo.db"
    shutil.copy(demo_file, path)
    d = Desk.open(path, profile, clock=clock)
    yield d
    d.close()


def _one_per_kind(desk) -> dict[str, tuple[str, str]]:
    """For each kind with a pane whose records name students: (a record of it, a student it names), newest."""
    with sqlite3.connect(desk.store.path) as conn:
        rows = conn.execute("SELECT record_type, record_id, student_id FROM record_students ORDER BY rowid DESC").fetchall()
    out: dict[str, tuple[str, str]] = {}
    for kind, record_id, student_id in rows:
        if kind not in out and (record := desk.store.get(RECORD_TYPES[kind], record_id)) and not record.voided:
            out[kind] = (record_id, student_id)
    return out


async def test_every_kind_with_a_pane_shows_on_the_main_screen_and_on_a_students_page(demo):
    app = AdvocateApp(demo)
    with_panes = [k for k in kinds() if k.pane]
    on_file = _one_per_kind(demo)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        for kind in with_panes:
            rows = app.screen.query_one(f"#{kind.pane}").rows
            shown = [r.record for r in rows if r.record is not None and r.record.kind == kind.name]
            assert shown, f"no {kind.name} on the main screen's {kind.pane} pane"
            for record in shown:  # as the database has it
                assert demo.store.get(kind.model, record.id) == record
        for kind in (k for k in with_panes if k.name in on_file):
            record_id, student_id = on_file[kind.name]
            await pilot.press("slash")
            await pilot.pause()
            for ch in student_id:
                await pilot.press(ch)
            await pilot.press("enter")
            await pilot.pause()
            page = app.screen
            assert type(page).__name__ == "StudentScreen" and page.student_id == student_id
            row = next((r for r in page.rows if r.key == record_id), None)
            assert row is not None and row.students.startswith(kind.label), (kind.name, row)
            await pilot.press("escape")
            await pilot.pause()
        assert {k.name for k in with_panes if k.name in on_file} >= {"incident", "contact_note", "referral"}


class Tally(Record):
    """A kind made only here: a tally of greetings at the door (it has no table, only a count)."""

    kind: ClassVar[str] = "greeting_tally"
    time_field: ClassVar[str] = "created_at"


async def test_a_new_kind_is_its_own_module_and_a_registry_entry(demo, monkeypatch):
    """A kind registered by a module of its own shows its count in the header and its line above a
    student's history, with no shared module edited."""
    tally = Kind(model=Tally, label="Greeting", modules=("test_kinds",),
                 counts=lambda look: {"greetings": 7},
                 header=lambda counts, off: [HeaderBit(5, f"{counts['greetings']} greetings at the door",
                                                        f"{counts['greetings']} greetings")],
                 summary=lambda desk, sid: [f"Greeted {sid} at the door this morning"])
    monkeypatch.setitem(registry._KINDS, tally.name, tally)
    app = AdvocateApp(demo)
    async with app.run_test(size=(200, 48)) as pilot:
        await pilot.pause()
        assert app.screen.query_one("#status").counts.greetings == 7
        assert "7 greetings" in screen_text(app)  # (in its narrow words: the demo's header is full)
        sid = _one_per_kind(demo)["incident"][1]
        await pilot.press("slash")
        await pilot.pause()
        for ch in sid:
            await pilot.press(ch)
        await pilot.press("enter")
        await pilot.pause()
        assert f"Greeted {sid} at the door this morning" in screen_text(app)
