"""The database schema and its migrations (sqlite-utils ``Migrations``).

Each migration is frozen once released: a change to the schema is a new migration. ``user_version``
mirrors the number of applied migrations so a newer file is recognised before anything is written.
"""

from __future__ import annotations

from sqlite_utils import Database, Migrations

migrations = Migrations("advocate-tui")

_BASE = """
    id TEXT PRIMARY KEY,
    created_at TEXT,
    created_by TEXT NOT NULL DEFAULT '',
    amended INTEGER NOT NULL DEFAULT 0,
    voided INTEGER NOT NULL DEFAULT 0,
    void_reason TEXT,
    day TEXT NOT NULL
"""

#: Record tables whose rows may never be deleted.
RECORD_TABLES = (
    "incidents", "door_checks", "patrol_rounds", "contact_notes", "attendance_followups", "referrals", "handoffs",
)

_V1 = f"""
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE students (
    local_id TEXT PRIMARY KEY,
    sourced_id TEXT UNIQUE,
    given_name TEXT NOT NULL,
    family_name TEXT NOT NULL,
    preferred_name TEXT,
    grade TEXT,
    homeroom TEXT,
    active INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT,
    search_key TEXT NOT NULL DEFAULT ''
);
CREATE TABLE incidents ({_BASE},
    occurred_at TEXT NOT NULL, reported_at TEXT, location TEXT NOT NULL, behavior TEXT NOT NULL,
    level TEXT NOT NULL, motivation TEXT NOT NULL, students TEXT NOT NULL DEFAULT '[]',
    staff TEXT NOT NULL DEFAULT '[]', description TEXT NOT NULL DEFAULT '',
    actions TEXT NOT NULL DEFAULT '[]', follow_up_date TEXT
);
CREATE TABLE door_checks ({_BASE},
    door TEXT NOT NULL, checked_at TEXT NOT NULL, status TEXT NOT NULL, note TEXT NOT NULL DEFAULT '',
    checked_by TEXT NOT NULL DEFAULT ''
);
CREATE TABLE patrol_rounds ({_BASE},
    zone TEXT NOT NULL, started_at TEXT NOT NULL, finished_at TEXT, checkpoints TEXT NOT NULL DEFAULT '[]'
);
CREATE TABLE contact_notes ({_BASE},
    student_id TEXT NOT NULL REFERENCES students(local_id), at TEXT NOT NULL, contact_kind TEXT NOT NULL,
    note TEXT NOT NULL, follow_up_date TEXT, for_coordinator INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE attendance_followups ({_BASE},
    student_id TEXT NOT NULL REFERENCES students(local_id), date TEXT NOT NULL, attendance_kind TEXT NOT NULL,
    periods TEXT NOT NULL DEFAULT '[]', cause TEXT NOT NULL DEFAULT '', actions TEXT NOT NULL DEFAULT '[]',
    status TEXT NOT NULL, due_date TEXT, note TEXT NOT NULL DEFAULT '', resolved_at TEXT
);
CREATE TABLE referrals ({_BASE},
    referred_at TEXT NOT NULL, students TEXT NOT NULL, destination TEXT NOT NULL, purpose TEXT NOT NULL,
    urgency TEXT NOT NULL, reason TEXT NOT NULL, incident_id TEXT, contact_note_id TEXT,
    status TEXT NOT NULL, handoff_id TEXT, handed_off_at TEXT, accepted_at TEXT, closed_at TEXT,
    facilitator TEXT, scheduled_for TEXT, outcome TEXT, outcome_note TEXT NOT NULL DEFAULT ''
);
CREATE TABLE handoffs ({_BASE},
    date TEXT NOT NULL, sequence INTEGER NOT NULL, signed_by TEXT NOT NULL, signed_at TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '', referral_ids TEXT NOT NULL DEFAULT '[]',
    incident_ids TEXT NOT NULL DEFAULT '[]', attendance_ids TEXT NOT NULL DEFAULT '[]',
    contact_note_ids TEXT NOT NULL DEFAULT '[]', door_check_ids TEXT NOT NULL DEFAULT '[]',
    patrol_round_ids TEXT NOT NULL DEFAULT '[]'
);
CREATE TABLE record_students (
    record_type TEXT NOT NULL, record_id TEXT NOT NULL,
    student_id TEXT NOT NULL REFERENCES students(local_id), role TEXT,
    PRIMARY KEY (record_type, record_id, student_id)
);
CREATE TABLE audit (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL, by TEXT NOT NULL DEFAULT '', action TEXT NOT NULL,
    record_type TEXT NOT NULL, record_id TEXT NOT NULL, before TEXT, after TEXT, note TEXT NOT NULL DEFAULT ''
);
CREATE TRIGGER audit_append_only_u BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER audit_append_only_d BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
"""


@migrations(name="m001_records")
def m001_records(db: Database) -> None:
    """The records, the roster, the student links and the audit trail."""
    db.executescript(_V1)
    for table in RECORD_TABLES:
        db.execute(
            f"CREATE TRIGGER {table}_never_deleted BEFORE DELETE ON {table} "
            "BEGIN SELECT RAISE(ABORT, 'records are voided, never deleted'); END"
        )


@migrations(name="m002_indexes_and_drafts")
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


@migrations(name="m003_indexes_for_scale")
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


@migrations(name="m004_desk_keys")
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


#: The schema version this code writes (number of migrations).
LATEST_VERSION = len(migrations._migrations)


def applied_version(db: Database) -> int:
    """The file's schema version (``PRAGMA user_version``)."""
    return db.execute("PRAGMA user_version").fetchone()[0]


def migrate(db: Database, *, stop_before: str | None = None) -> int:
    """Apply pending migrations; return the new schema version."""
    migrations.apply(db, stop_before=stop_before)
    version = len(migrations.applied(db))
    db.execute(f"PRAGMA user_version = {version}")
    return version
