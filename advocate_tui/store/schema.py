"""The database schema and its migrations (sqlite-utils ``Migrations``), and the triggers that guard it.

Each migration is frozen once released: a change to the schema is a new migration. ``user_version``
mirrors the number of applied migrations so a newer file is recognised before anything is written.

The guard triggers (:func:`expected_triggers`) make the database itself keep the audit trail's
promise, whoever writes to it: a record (or student) row is inserted or updated only right after its
own audit entry, and only to exactly what that entry's ``after`` says; records and students are never
deleted; the audit trail is never changed. A migration that adds a column to a guarded table calls
:func:`install_guards` so the guards cover it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple

from .guards import base_triggers, guards_applied, install_guards
# store/core.py (being edited by others now) reaches these through this module: import them from .guards when it lands
from .guards import restore_triggers, trigger_problems  # noqa: F401
from .index_sql import COVERING_SQL, FOLLOW_UPS_DUE_SQL, START_READS_SQL, STATS_INDEXES_SQL
from .table_sql import BASE, DAY_TABLES_SQL, V1_SQL

if TYPE_CHECKING:
    from sqlite_utils import Database, Migrations

#: the name of this schema's migration set (sqlite-utils records each applied one under it)
MIGRATION_SET = "advocate-tui"
#: the migrations as declared, in order: (name, function); sqlite-utils' ``Migrations`` of them is
#: :func:`migration_set` (``schema.migrations``), made when first needed: a start that finds the file
#: up to date never imports sqlite-utils for it
_DECLARED: list[tuple[str, Callable[[Any], None]]] = []


def _migration(*, name: str) -> Callable[[Callable[[Any], None]], Callable[[Any], None]]:
    """Declare a migration (registered with sqlite-utils' ``Migrations`` in :func:`migration_set`)."""
    def declare(fn: Callable[[Any], None]) -> Callable[[Any], None]:
        _DECLARED.append((name, fn))
        return fn
    return declare


def migration_set() -> "Migrations":
    """sqlite-utils' ``Migrations`` of this schema, made (and sqlite-utils imported) on first use."""
    found = globals().get("migrations")
    if found is None:
        from sqlite_utils import Migrations

        found = Migrations(MIGRATION_SET)
        for name, fn in _DECLARED:
            found(name=name)(fn)
        globals()["migrations"] = found
    return found


def __getattr__(name: str) -> Any:
    if name == "migrations":  # schema.migrations: the Migrations, made on first use
        return migration_set()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

#: Record tables and the record type (``Record.kind``, the audit trail's ``record_type``) each holds.
RECORD_KINDS: dict[str, str] = {
    "incidents": "incident", "door_checks": "door_check", "patrol_rounds": "patrol_round",
    "contact_notes": "contact_note", "attendance_followups": "attendance_followup", "referrals": "referral",
    "handoffs": "handoff", "processes": "process",
}
#: Record tables whose rows may never be deleted.
RECORD_TABLES = tuple(RECORD_KINDS)


#: The record tables of ``m001_records`` (frozen with it; later kinds come with their own migration).
V1_TABLES = ("incidents", "door_checks", "patrol_rounds", "contact_notes", "attendance_followups", "referrals",
              "handoffs")


@_migration(name="m001_records")
def m001_records(db: Database) -> None:
    """The records, the roster, the student links and the audit trail."""
    db.executescript(V1_SQL)
    for table in V1_TABLES:
        db.execute(
            f"CREATE TRIGGER {table}_never_deleted BEFORE DELETE ON {table} "
            "BEGIN SELECT RAISE(ABORT, 'records are voided, never deleted'); END"
        )


@_migration(name="m002_indexes_and_drafts")
def m002_indexes_and_drafts(db: Database) -> None:
    """Indexes for the main screen (today's and open items, a student's history) and form drafts."""
    db.executescript(
        """
        CREATE INDEX idx_incidents_day ON incidents(day, occurred_at);
        CREATE INDEX idx_door_checks_day ON door_checks(day, checked_at);
        CREATE INDEX idx_patrol_rounds_day ON patrol_rounds(day, started_at);
        CREATE INDEX idx_contact_notes_day ON contact_notes(day, at);
        CREATE INDEX idx_attendance_day ON attendance_followups(day);
        CREATE INDEX idx_attendance_open ON attendance_followups(status, due_date) WHERE status = 'open';
        CREATE INDEX idx_referrals_day ON referrals(day, referred_at);
        CREATE INDEX idx_referrals_status ON referrals(status, urgency);
        CREATE INDEX idx_handoffs_day ON handoffs(date, sequence);
        CREATE INDEX idx_record_students_student ON record_students(student_id, record_type);
        CREATE INDEX idx_audit_record ON audit(record_id, seq);
        CREATE INDEX idx_students_family ON students(family_name COLLATE NOCASE);
        CREATE TABLE drafts (
            form_key TEXT PRIMARY KEY, form TEXT NOT NULL, record_id TEXT,
            data TEXT NOT NULL, updated_at TEXT NOT NULL
        );
        """
    )


@_migration(name="m003_indexes_for_scale")
def m003_indexes_for_scale(db: Database) -> None:
    """Indexes the main screen, the handoff review and the data screen need on a decade of records
    (measured in bench/, BENCHMARKS.md): carried-over follow-ups, today's attendance, open
    referrals, flagged notes and the handoffs that already carried them."""
    db.executescript(
        """
        CREATE INDEX idx_incidents_follow_up ON incidents(follow_up_date) WHERE follow_up_date IS NOT NULL;
        CREATE INDEX idx_contact_notes_follow_up ON contact_notes(follow_up_date) WHERE follow_up_date IS NOT NULL;
        CREATE INDEX idx_contact_notes_flagged ON contact_notes(day) WHERE for_coordinator = 1;
        CREATE INDEX idx_attendance_date ON attendance_followups(date);
        CREATE INDEX idx_referrals_open ON referrals(day) WHERE status != 'closed';
        CREATE INDEX idx_handoffs_notes ON handoffs(contact_note_ids) WHERE contact_note_ids != '[]';
        """
    )


@_migration(name="m004_desk_keys")
def m004_desk_keys(db: Database) -> None:
    """The desk's own Ed25519 key pair (the private key only ever in this, encrypted, file) and the
    keys of other desks this database trusts, each for one school (or coordinator), with how and
    when it was confirmed."""
    db.executescript(
        """
        CREATE TABLE desk_keys (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            fingerprint TEXT NOT NULL, public_key TEXT NOT NULL, private_key TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE TABLE trusted_keys (
            fingerprint TEXT PRIMARY KEY, public_key TEXT NOT NULL,
            kind TEXT NOT NULL, party TEXT NOT NULL, party_name TEXT NOT NULL DEFAULT '',
            demo INTEGER NOT NULL DEFAULT 0,
            trusted_at TEXT NOT NULL, trusted_by TEXT NOT NULL DEFAULT '', how TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX idx_trusted_keys_party ON trusted_keys(kind, party);
        """
    )


@_migration(name="m005_audit_guards")
def m005_audit_guards(db: Database) -> None:
    """The database refuses a record or student change without its audit entry, and deleting a student
    (see the module's docstring and :func:`guard_triggers`)."""
    install_guards(db)


@_migration(name="m006_item_ends")
def m006_item_ends(db: Database) -> None:
    """Every item has an end: an incident's or contact note's follow-up ends done (with its outcome) or
    dismissed (with a reason); an attendance follow-up keeps what came of it; a door exception can
    become an incident (linked like a patrol issue). Indexes for the open follow-ups the main screen
    keeps until they end, and for records saved after the last handoff (logged late)."""
    for table in ("incidents", "contact_notes"):
        db.execute(f"ALTER TABLE {table} ADD COLUMN follow_up_end TEXT")
        db.execute(f"ALTER TABLE {table} ADD COLUMN follow_up_note TEXT NOT NULL DEFAULT ''")
        db.execute(f"ALTER TABLE {table} ADD COLUMN follow_up_ended_at TEXT")
        db.execute(f"CREATE INDEX idx_{table}_follow_up_open ON {table}(follow_up_date) "
                   "WHERE follow_up_date IS NOT NULL AND follow_up_end IS NULL")
    db.execute("ALTER TABLE attendance_followups ADD COLUMN resolution TEXT NOT NULL DEFAULT ''")
    db.execute("ALTER TABLE door_checks ADD COLUMN incident_id TEXT")
    for table in ("incidents", "contact_notes", "door_checks", "patrol_rounds"):
        db.execute(f"CREATE INDEX idx_{table}_created ON {table}(created_at)")
    install_guards(db)  # the audit guards cover the new columns too


# ------------------------------------------------------------------ the guards
GUARD_MIGRATION = "m005_audit_guards"
#: How the audit entry of ``Store.restore_guards`` begins (``advocate check`` looks for it).
GUARDS_PUT_BACK = "guard triggers put back (missing or changed outside advocate-tui)"
#: What a trigger says when it refuses a write (SQLite passes it on as the error message).
REFUSED = "records change only through advocate-tui, each with its audit entry"


class Guarded(NamedTuple):
    """How a guarded table's rows appear in their audit entries."""

    kind: str                       #: the entries' record_type
    key: str                        #: the column the entries' record_id names
    derived: tuple[str, ...] = ()   #: columns derived from the others, not in the entries
    booleans: tuple[str, ...] = ()  #: columns of 1/0 that the entries say as true/false
    json: tuple[str, ...] = ()      #: columns holding JSON text (lists), JSON in the entries too


_RECORD_BOOLEANS = ("amended", "voided")
#: Guarded tables (a test keeps this in step with the models).
GUARDED: dict[str, Guarded] = {
    "incidents": Guarded("incident", "id", ("day",), _RECORD_BOOLEANS, ("actions", "staff", "students")),
    "door_checks": Guarded("door_check", "id", ("day",), _RECORD_BOOLEANS),
    "patrol_rounds": Guarded("patrol_round", "id", ("day",), _RECORD_BOOLEANS, ("checkpoints",)),
    "contact_notes": Guarded("contact_note", "id", ("day",), (*_RECORD_BOOLEANS, "for_coordinator")),
    "attendance_followups": Guarded("attendance_followup", "id", ("day",), _RECORD_BOOLEANS, ("actions", "periods")),
    "referrals": Guarded("referral", "id", ("day",), _RECORD_BOOLEANS, ("roles", "students")),
    "handoffs": Guarded("handoff", "id", ("day",), _RECORD_BOOLEANS, (
        "attendance_ids", "contact_note_ids", "door_check_ids", "incident_ids", "patrol_round_ids", "process_ids",
        "referral_ids")),
    "students": Guarded("student", "local_id", ("search_key",), ("active",)),
    "processes": Guarded("process", "id", ("day",), (*_RECORD_BOOLEANS, "harmed_told_completed", "indirect"),
                         ("check_ins", "items", "meetings", "parties")),
}


@_migration(name="m007_referral_roles")
def m007_referral_roles(db: Database) -> None:
    """A referral keeps each student's role (made from an incident: the incident's roles); the audit
    guards are made again to cover the new column."""
    db.execute("ALTER TABLE referrals ADD COLUMN roles TEXT NOT NULL DEFAULT '[]'")
    install_guards(db)


@_migration(name="m008_search_key_parts")
def m008_search_key_parts(db: Database) -> None:
    """Students' search keys mark where the given, family and preferred names start, so a look-up can
    rank 'given name + family-name start' first (every key rewritten, past the audit guard: the key is derived)."""
    from .students import rewrite_search_keys

    rewrite_search_keys(db)


# Migrations are declared in the order of their numbers (tests/test_migrations.py checks it): one merged in
# later with a lower number goes above this one.


@_migration(name="m009_schools_and_replies")
def m009_schools_and_replies(db: Database) -> None:
    """A coordinator's database serves several schools: each student's school (its key is then
    '<school>:<number>'), the school each imported record came from (``record_schools``), the
    coordinator's word on a referral (the meeting's place, a note for the advocate, when it was last
    decided), and the replies written (at the coordinator) or imported (at the school).

    An older coordinator's database that served exactly one school has its records marked as that
    school's (with one school nothing can have mixed); its students keep their plain numbers until a
    bundle brings them again (then under '<school>:<number>')."""
    db.executescript(
        """
        ALTER TABLE students ADD COLUMN school TEXT;
        CREATE INDEX idx_students_school ON students(school, local_id) WHERE school IS NOT NULL;
        ALTER TABLE referrals ADD COLUMN place TEXT;
        ALTER TABLE referrals ADD COLUMN coordinator_note TEXT NOT NULL DEFAULT '';
        ALTER TABLE referrals ADD COLUMN decided_at TEXT;
        CREATE INDEX idx_referrals_decided ON referrals(decided_at) WHERE decided_at IS NOT NULL;
        CREATE TABLE record_schools (
            record_type TEXT NOT NULL, record_id TEXT NOT NULL, school TEXT NOT NULL, handoff_id TEXT,
            PRIMARY KEY (record_type, record_id)
        );
        CREATE INDEX idx_record_schools_school ON record_schools(school, record_type);
        CREATE TABLE replies (
            id TEXT PRIMARY KEY, direction TEXT NOT NULL CHECK (direction IN ('sent', 'received')),
            school TEXT NOT NULL, coordinator TEXT NOT NULL, coordinator_name TEXT NOT NULL DEFAULT '',
            date TEXT NOT NULL, sequence INTEGER NOT NULL, generated_at TEXT NOT NULL, recorded_at TEXT NOT NULL,
            recorded_by TEXT NOT NULL DEFAULT '', note TEXT NOT NULL DEFAULT '',
            referral_ids TEXT NOT NULL DEFAULT '[]', fingerprint TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX idx_replies_school ON replies(direction, school, generated_at);
        CREATE TRIGGER replies_never_deleted BEFORE DELETE ON replies
            BEGIN SELECT RAISE(ABORT, 'replies are kept, never deleted'); END;
        CREATE TRIGGER replies_never_changed BEFORE UPDATE ON replies
            BEGIN SELECT RAISE(ABORT, 'replies are kept as they were written or imported'); END;
        """
    )
    served = [r[0] for r in db.execute("SELECT DISTINCT party FROM trusted_keys WHERE kind = 'handoff'").fetchall()]
    role = db.execute("SELECT value FROM meta WHERE key = 'desk.role'").fetchone()
    if role and role[0] == "coordinator" and len(served) == 1:
        for table, kind in (("incidents", "incident"), ("door_checks", "door_check"), ("patrol_rounds", "patrol_round"),
                            ("contact_notes", "contact_note"), ("attendance_followups", "attendance_followup"),
                            ("referrals", "referral"), ("handoffs", "handoff")):
            db.execute(f"INSERT OR IGNORE INTO record_schools (record_type, record_id, school) "
                       f"SELECT ?, id, ? FROM {table}", [kind, served[0]])
    if guards_applied(db):
        install_guards(db)  # the guards cover the new columns of students and referrals


# ------------------------------------------------------------------ restorative processes (issue 12)
# (after m009, as the numbers say; m007/m008 may come with other work: a file records the names it applied.)


@_migration(name="m010_restorative_processes")
def m010_restorative_processes(db: Database) -> None:
    """Restorative processes: one row a process, its parties, meetings, agreement items and check-ins as
    JSON (as a patrol round keeps its checkpoints), its students in ``record_students`` with their
    roles; never deleted, and under the audit guards when the file has them. A handoff lists the
    processes it carries (``handoffs.process_ids``)."""
    db.executescript(
        f"""
        CREATE TABLE processes ({BASE},
            started_at TEXT NOT NULL, process_kind TEXT NOT NULL, tier INTEGER NOT NULL,
            referral_id TEXT, incident_id TEXT, facilitator TEXT NOT NULL DEFAULT '',
            group_name TEXT NOT NULL DEFAULT '', topic TEXT NOT NULL DEFAULT '', indirect INTEGER NOT NULL DEFAULT 0,
            parties TEXT NOT NULL DEFAULT '[]', meetings TEXT NOT NULL DEFAULT '[]', items TEXT NOT NULL DEFAULT '[]',
            check_ins TEXT NOT NULL DEFAULT '[]', harmed_told_at TEXT, harmed_told_how TEXT NOT NULL DEFAULT '',
            harmed_told_completed INTEGER, closed_at TEXT, closing_reason TEXT, closing_note TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX idx_processes_day ON processes(day, started_at);
        CREATE INDEX idx_processes_referral ON processes(referral_id) WHERE referral_id IS NOT NULL;
        CREATE INDEX idx_processes_open ON processes(started_at) WHERE closed_at IS NULL;
        CREATE TRIGGER processes_never_deleted BEFORE DELETE ON processes
            BEGIN SELECT RAISE(ABORT, 'records are voided, never deleted'); END;
        ALTER TABLE handoffs ADD COLUMN process_ids TEXT NOT NULL DEFAULT '[]';
        """
    )
    if guards_applied(db):
        install_guards(db)


# ------------------------------------------------------------------ the rest of the day (issue 14)
# (m007/m008 may come with other work; migrations apply in the order they are registered and a file records
# the names it applied, so the gap in the numbers is harmless.)
#: The tables of ``m011_day_records`` and the record kind each holds: hall sweeps, Peace Room visits,
#: CICO enrolments and daily cards. They join the record tables (never deleted, audit-guarded).
DAY_RECORD_KINDS: dict[str, str] = {
    "sweeps": "sweep", "peace_room_visits": "peace_room_visit", "cico_enrolments": "cico_enrolment",
    "cico_days": "cico_day",
}
RECORD_KINDS.update(DAY_RECORD_KINDS)
RECORD_TABLES = tuple(RECORD_KINDS)
GUARDED.update({
    "sweeps": Guarded("sweep", "id", ("day",), _RECORD_BOOLEANS, ("students",)),
    "peace_room_visits": Guarded("peace_room_visit", "id", ("day",), (*_RECORD_BOOLEANS, "returned_to_class")),
    "cico_enrolments": Guarded("cico_enrolment", "id", ("day",), _RECORD_BOOLEANS,
                               ("changes", "expectations", "periods")),
    "cico_days": Guarded("cico_day", "id", ("day",), (*_RECORD_BOOLEANS, "has_card", "parent_signed"),
                         ("expectations", "periods", "scores")),
})


@_migration(name="m011_day_records")
def m011_day_records(db: Database) -> None:
    """Hall sweeps, Peace Room visits, CICO enrolments and daily cards: record tables like the others
    (lists as JSON, students linked in ``record_students``), never deleted, and under the audit guards
    when the file has them."""
    db.executescript(DAY_TABLES_SQL)
    for table in DAY_RECORD_KINDS:
        db.execute(base_triggers(db)[f"{table}_never_deleted"])
    if guards_applied(db):
        install_guards(db)


@_migration(name="m012_covering_indexes")
def m012_covering_indexes(db: Database) -> None:
    """Covering indexes for a student's history and the data screen's counts (see :data:`.index_sql.COVERING_SQL`)."""
    db.executescript(COVERING_SQL)


@_migration(name="m013_start_indexes")
def m013_start_indexes(db: Database) -> None:
    """Indexes for the main screen's first read at start (see :data:`.index_sql.START_READS_SQL`)."""
    db.executescript(START_READS_SQL)


# ------------------------------------------------------------------ the data screen over all years (issue 16)
@_migration(name="m014_stats_indexes")
def m014_stats_indexes(db: Database) -> None:
    """Covering (partly partial) indexes for the data screen's figures over many years (see
    :data:`.index_sql.STATS_INDEXES_SQL`)."""
    db.executescript(STATS_INDEXES_SQL)


@_migration(name="m015_follow_ups_due_index")
def m015_follow_ups_due_index(db: Database) -> None:
    """An index of the open follow-ups not voided, for the end-of-shift report's counts of those due (see
    :data:`.index_sql.FOLLOW_UPS_DUE_SQL`)."""
    db.executescript(FOLLOW_UPS_DUE_SQL)


@_migration(name="m016_search_key_plain_letters")
def m016_search_key_plain_letters(db: Database) -> None:
    """Search keys rewritten (as m008): 'lukasz' finds Łukasz, 'oconnor' O'Connor (:func:`.students.search_key`)."""
    from .students import rewrite_search_keys

    rewrite_search_keys(db)


#: The schema version this code writes (number of migrations).
LATEST_VERSION = len(_DECLARED)


def applied_version(db: Database) -> int:
    """The file's schema version (``PRAGMA user_version``)."""
    return db.execute("PRAGMA user_version").fetchone()[0]


def migrate(db: Database, *, stop_before: str | None = None) -> int:
    """Apply pending migrations; return the new schema version."""
    db = getattr(db, "full", db)  # the store's LazyDatabase: sqlite-utils' own Database for the migrations
    migrations = migration_set()
    migrations.apply(db, stop_before=stop_before)
    version = len(migrations.applied(db))
    db.execute(f"PRAGMA user_version = {version}")
    return version
