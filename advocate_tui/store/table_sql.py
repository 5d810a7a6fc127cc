"""The CREATE statements of the migrations that make several tables at once, frozen with them: m001's first tables
(meta, students, the first record tables, the audit trail and its append-only triggers) and m011's day records
(hall sweeps, Peace Room visits, CICO enrolments and cards). Every record table starts with the columns of
:data:`BASE`."""

from __future__ import annotations


BASE = """
    id TEXT PRIMARY KEY,
    created_at TEXT,
    created_by TEXT NOT NULL DEFAULT '',
    amended INTEGER NOT NULL DEFAULT 0,
    voided INTEGER NOT NULL DEFAULT 0,
    void_reason TEXT,
    day TEXT NOT NULL
"""

V1_SQL = f"""
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
CREATE TABLE incidents ({BASE},
    occurred_at TEXT NOT NULL, reported_at TEXT, location TEXT NOT NULL, behavior TEXT NOT NULL,
    level TEXT NOT NULL, motivation TEXT NOT NULL, students TEXT NOT NULL DEFAULT '[]',
    staff TEXT NOT NULL DEFAULT '[]', description TEXT NOT NULL DEFAULT '',
    actions TEXT NOT NULL DEFAULT '[]', follow_up_date TEXT
);
CREATE TABLE door_checks ({BASE},
    door TEXT NOT NULL, checked_at TEXT NOT NULL, status TEXT NOT NULL, note TEXT NOT NULL DEFAULT '',
    checked_by TEXT NOT NULL DEFAULT ''
);
CREATE TABLE patrol_rounds ({BASE},
    zone TEXT NOT NULL, started_at TEXT NOT NULL, finished_at TEXT, checkpoints TEXT NOT NULL DEFAULT '[]'
);
CREATE TABLE contact_notes ({BASE},
    student_id TEXT NOT NULL REFERENCES students(local_id), at TEXT NOT NULL, contact_kind TEXT NOT NULL,
    note TEXT NOT NULL, follow_up_date TEXT, for_coordinator INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE attendance_followups ({BASE},
    student_id TEXT NOT NULL REFERENCES students(local_id), date TEXT NOT NULL, attendance_kind TEXT NOT NULL,
    periods TEXT NOT NULL DEFAULT '[]', cause TEXT NOT NULL DEFAULT '', actions TEXT NOT NULL DEFAULT '[]',
    status TEXT NOT NULL, due_date TEXT, note TEXT NOT NULL DEFAULT '', resolved_at TEXT
);
CREATE TABLE referrals ({BASE},
    referred_at TEXT NOT NULL, students TEXT NOT NULL, destination TEXT NOT NULL, purpose TEXT NOT NULL,
    urgency TEXT NOT NULL, reason TEXT NOT NULL, incident_id TEXT, contact_note_id TEXT,
    status TEXT NOT NULL, handoff_id TEXT, handed_off_at TEXT, accepted_at TEXT, closed_at TEXT,
    facilitator TEXT, scheduled_for TEXT, outcome TEXT, outcome_note TEXT NOT NULL DEFAULT ''
);
CREATE TABLE handoffs ({BASE},
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

DAY_TABLES_SQL = f"""
CREATE TABLE sweeps ({BASE},
    met_at TEXT NOT NULL, place TEXT NOT NULL, students TEXT NOT NULL DEFAULT '[]', note TEXT NOT NULL DEFAULT '',
    incident_id TEXT, contact_note_id TEXT, referral_id TEXT
);
CREATE TABLE peace_room_visits ({BASE},
    student_id TEXT NOT NULL REFERENCES students(local_id), time_in TEXT NOT NULL,
    sent_by TEXT NOT NULL DEFAULT '', reason TEXT NOT NULL, period TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '', sweep_id TEXT, time_out TEXT, returned_to_class INTEGER,
    went_to TEXT NOT NULL DEFAULT '', out_note TEXT NOT NULL DEFAULT ''
);
CREATE TABLE cico_enrolments ({BASE},
    student_id TEXT NOT NULL REFERENCES students(local_id), enrolled_on TEXT NOT NULL,
    expectations TEXT NOT NULL DEFAULT '[]', periods TEXT NOT NULL DEFAULT '[]', goal_percent INTEGER NOT NULL,
    phase TEXT NOT NULL, mentor TEXT NOT NULL DEFAULT '', note TEXT NOT NULL DEFAULT '',
    changes TEXT NOT NULL DEFAULT '[]', ended_on TEXT
);
CREATE TABLE cico_days ({BASE},
    enrolment_id TEXT NOT NULL, student_id TEXT NOT NULL REFERENCES students(local_id), date TEXT NOT NULL,
    status TEXT NOT NULL, goal_percent INTEGER NOT NULL, expectations TEXT NOT NULL DEFAULT '[]',
    periods TEXT NOT NULL DEFAULT '[]', checked_in_at TEXT, has_card INTEGER, checked_out_at TEXT,
    scores TEXT NOT NULL DEFAULT '[]', parent_signed INTEGER, comment TEXT NOT NULL DEFAULT ''
);
CREATE INDEX idx_sweeps_day ON sweeps(day, met_at);
CREATE INDEX idx_peace_room_day ON peace_room_visits(day, time_in);
CREATE INDEX idx_peace_room_in ON peace_room_visits(time_in) WHERE time_out IS NULL AND voided = 0;
CREATE INDEX idx_cico_enrolments_student ON cico_enrolments(student_id, enrolled_on);
CREATE UNIQUE INDEX idx_cico_days_card ON cico_days(enrolment_id, date) WHERE voided = 0;
CREATE INDEX idx_cico_days_day ON cico_days(day);
"""
