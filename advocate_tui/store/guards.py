"""The database's own guard of the audit trail: the triggers each schema version should have (records never deleted,
the audit trail append-only, and after m005 a record or student row written only right after its audit entry and
only as that entry says), how to tell which are missing or changed, and how to put them back. The guarded tables
and how their rows show in the audit entries are :data:`.schema.GUARDED`, which the migrations extend."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database


class _Shape:
    """What the guards are made from: the file's tables with their columns, and its triggers (name -> SQL),
    read in two statements (a start checks every guard: one ``PRAGMA table_info`` per table and a list of
    the tables for each kind of guard were ~20 statements)."""

    def __init__(self, db: Database):
        self.triggers: dict[str, str] = {}
        self.tables: set[str] = set()
        for kind, name, sql in db.execute("SELECT type, name, sql FROM sqlite_master WHERE type IN ('table', 'trigger')"):
            if kind == "trigger":
                self.triggers[name] = sql or ""
            else:
                self.tables.add(name)
        self.columns: dict[str, list[str]] = {}  # (the guarded tables': no other is asked for)
        guarded = sorted(self.tables.intersection(schema.GUARDED))
        for table, column in db.execute(
                "SELECT m.name, c.name FROM sqlite_master AS m, pragma_table_info(m.name) AS c "
                f"WHERE m.type = 'table' AND m.name IN ({','.join('?' * len(guarded))}) ORDER BY m.name, c.cid",
                guarded) if guarded else ():
            self.columns.setdefault(table, []).append(column)


def _shape(db: Database, shape: _Shape | None) -> _Shape:
    return shape if shape is not None else _Shape(db)


def _matches_after(shape: _Shape, table: str) -> str:
    """SQL: the row NEW is exactly what the audit entry ``a`` says after the change.

    The entry's ``after`` is JSON with sorted keys (``rows.snapshot``); NEW is rendered the same way by
    ``json_object`` (keys sorted, JSON columns as JSON, booleans as true/false) and the two texts
    compared. (Python's JSON and SQLite's escape strings alike; one ``json_extract`` per column instead
    would parse the entry once per column, about three times slower.)
    """
    guard = schema.GUARDED[table]
    values = []
    for c in sorted(c for c in shape.columns.get(table, []) if c not in guard.derived):
        if c in guard.booleans:
            value = f"CASE NEW.{c} WHEN 1 THEN json('true') WHEN 0 THEN json('false') ELSE NEW.{c} END"
        elif c in guard.json:
            value = f"json(NEW.{c})"
        else:
            value = f"NEW.{c}"
        values.append(f"'{c}', {value}")
    return f"json(a.after) = json_object({', '.join(values)})"


def _refuse(message: str | None = None) -> str:
    message = schema.REFUSED if message is None else message
    return f"BEGIN SELECT RAISE(ABORT, '{message}'); END"


def guard_triggers(db: Database, shape: _Shape | None = None) -> dict[str, str]:
    """The audit guards (name -> ``CREATE TRIGGER`` text) for the guarded tables as they are now."""
    latest = "a.seq = (SELECT max(seq) FROM audit)"
    out: dict[str, str] = {}
    shape = _shape(db, shape)
    for table, guard in schema.GUARDED.items():
        if table not in shape.tables:  # a table of a later migration, not made yet
            continue
        kind, key, same = guard.kind, guard.key, _matches_after(shape, table)
        mine = f"{latest} AND a.record_type = '{kind}' AND a.record_id = NEW.{key}"
        out[f"{table}_insert_audited"] = (
            f"CREATE TRIGGER {table}_insert_audited BEFORE INSERT ON {table} "
            f"WHEN NOT EXISTS (SELECT 1 FROM audit AS a WHERE {mine} AND a.before IS NULL AND {same}) "
            f"OR (SELECT count(*) FROM audit WHERE record_id = NEW.{key} AND record_type = '{kind}') != 1 "
            + _refuse()
        )
        out[f"{table}_update_audited"] = (
            f"CREATE TRIGGER {table}_update_audited BEFORE UPDATE ON {table} "
            f"WHEN NEW.{key} IS NOT OLD.{key} "
            f"OR NOT EXISTS (SELECT 1 FROM audit AS a WHERE {mine} AND a.before IS NOT NULL AND {same}) "
            + _refuse()
        )
    out["students_never_deleted"] = (
        "CREATE TRIGGER students_never_deleted BEFORE DELETE ON students "
        + _refuse("students are made inactive, never deleted")
    )
    out["record_students_insert_audited"] = (
        "CREATE TRIGGER record_students_insert_audited BEFORE INSERT ON record_students "
        f"WHEN NOT EXISTS (SELECT 1 FROM audit AS a WHERE {latest} AND a.record_type = NEW.record_type "
        "AND a.record_id = NEW.record_id AND instr(a.after, json_quote(NEW.student_id)) > 0) "
        + _refuse()
    )
    out["record_students_delete_audited"] = (
        "CREATE TRIGGER record_students_delete_audited BEFORE DELETE ON record_students "
        f"WHEN NOT EXISTS (SELECT 1 FROM audit AS a WHERE {latest} AND a.record_type = OLD.record_type "
        "AND a.record_id = OLD.record_id AND a.before IS NOT NULL) "
        + _refuse()
    )
    out["record_students_never_updated"] = (
        "CREATE TRIGGER record_students_never_updated BEFORE UPDATE ON record_students " + _refuse()
    )
    return out


def base_triggers(db: Database, shape: _Shape | None = None) -> dict[str, str]:
    """The triggers of ``m001_records`` (and of each later record table's migration): records never
    deleted, the audit trail append-only."""
    present = shape.tables if shape is not None else set(db.table_names())
    out = {
        f"{table}_never_deleted": f"CREATE TRIGGER {table}_never_deleted BEFORE DELETE ON {table} "
                                  "BEGIN SELECT RAISE(ABORT, 'records are voided, never deleted'); END"
        for table in schema.RECORD_TABLES if table in present
    }
    for name, event in (("audit_append_only_u", "UPDATE"), ("audit_append_only_d", "DELETE")):
        out[name] = (f"CREATE TRIGGER {name} BEFORE {event} ON audit "
                     "BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END")
    return out


def _create(db: Database, triggers: dict[str, str], names: set[str] | None = None) -> None:
    for name, sql in triggers.items():
        if names is None or name in names:
            db.execute(f"DROP TRIGGER IF EXISTS [{name}]")
            db.execute(sql)


def install_guards(db: Database) -> None:
    """(Re-)create every audit guard as :func:`guard_triggers` defines it for the tables as they are."""
    _create(db, guard_triggers(db))


def guards_applied(db: Database, shape: _Shape | None = None) -> bool:
    """Whether the file has had the guard migration: read from sqlite-utils' record of applied migrations
    (the table ``Migrations.applied`` reads), as a plain query (a start need not import sqlite-utils)."""
    if "_sqlite_migrations" not in (shape.tables if shape is not None else db.table_names()):
        return False
    return db.execute("SELECT 1 FROM _sqlite_migrations WHERE migration_set = ? AND name = ?",
                      [schema.MIGRATION_SET, schema.GUARD_MIGRATION]).fetchone() is not None


def expected_triggers(db: Database, shape: _Shape | None = None) -> dict[str, str]:
    """Every trigger this file's schema version should have (name -> ``CREATE TRIGGER`` text)."""
    shape = _shape(db, shape)
    if "audit" not in shape.tables:
        return {}
    expected = base_triggers(db, shape)
    if guards_applied(db, shape):
        expected.update(guard_triggers(db, shape))
    return expected


def _same_sql(a: str, b: str) -> bool:
    # (SQLite keeps a trigger's text as it was created: the same, unless written another way)
    return a == b or " ".join(a.rstrip().rstrip(";").split()) == " ".join(b.rstrip().rstrip(";").split())


def trigger_problems(db: Database) -> dict[str, str]:
    """Triggers that are missing or not as the schema defines them: name -> 'missing' or 'changed'."""
    shape = _Shape(db)
    found = shape.triggers
    out = {}
    for name, sql in expected_triggers(db, shape).items():
        if name not in found:
            out[name] = "missing"
        elif not _same_sql(found[name], sql):
            out[name] = "changed"
    return out


def guards_put_back(db: Database) -> list[str]:
    """When guard triggers were put back, and which: '<at>: <names>' per audit entry, oldest first."""
    rows = db.execute("SELECT at, note FROM audit WHERE record_type = 'database' AND action = 'restore' "
                      "AND note LIKE ? ORDER BY seq", [schema.GUARDS_PUT_BACK + ":%"]).fetchall()
    return [f"{at}: {note[len(schema.GUARDS_PUT_BACK) + 1:].strip()}" for at, note in rows]


def restore_triggers(db: Database, names: set[str]) -> None:
    """Re-create the named triggers (missing or changed ones) as the schema defines them."""
    _create(db, expected_triggers(db), names)


# Last, so that this module may be imported first: schema imports this module's functions for its migrations,
# and this module reads schema's tables at call time only.
from . import schema  # noqa: E402
