"""The indexes later migrations add for speed, as SQL (each frozen with its migration in :mod:`.schema`).

Each block says which reads it serves and what was measured (bench/, BENCHMARKS.md); on an encrypted
file every row a query reads is a page decrypted, so a read that an index answers stays as quick
however many years the file holds.
"""

from __future__ import annotations

#: m012_covering_indexes. A student's history reads the heads of their records (kind, id, role, time) and the
#: data screen counts incidents, referrals, follow-ups and door checks by day: from these indexes alone,
#: without decrypting the record rows (bench/, BENCHMARKS.md "In the app"): the Big 5 of ten years ~2 s of CPU
#: -> ~0.9 s. Building them on a decade's encrypted file takes ~3 s of CPU (more wall time on a loaded
#: machine), once, at its first open with this version; the file grows ~13 %.
COVERING_SQL = """
CREATE INDEX idx_record_students_heads ON record_students(student_id, record_type, record_id, role);
CREATE INDEX idx_incidents_heads ON incidents(id, voided, occurred_at);
CREATE INDEX idx_contact_notes_heads ON contact_notes(id, voided, at);
CREATE INDEX idx_attendance_followups_heads ON attendance_followups(id, voided, date);
CREATE INDEX idx_referrals_heads ON referrals(id, voided, referred_at);
CREATE INDEX idx_processes_heads ON processes(id, voided, started_at);
CREATE INDEX idx_sweeps_heads ON sweeps(id, voided, met_at);
CREATE INDEX idx_peace_room_visits_heads ON peace_room_visits(id, voided, time_in);
CREATE INDEX idx_cico_enrolments_heads ON cico_enrolments(id, voided, enrolled_on);
CREATE INDEX idx_cico_days_heads ON cico_days(id, voided, date);
CREATE INDEX idx_incidents_counts ON incidents(day, voided, behavior, location, level, motivation, occurred_at, id);
CREATE INDEX idx_record_students_links ON record_students(record_type, record_id, student_id, role);
CREATE INDEX idx_door_checks_counts ON door_checks(day, voided, status, door);
CREATE INDEX idx_patrol_rounds_counts ON patrol_rounds(day, voided);
CREATE INDEX idx_referrals_counts ON referrals(day, voided, destination, status, purpose, urgency, outcome, id);
CREATE INDEX idx_attendance_followups_counts ON attendance_followups(day, voided, attendance_kind, status, id);
"""


#: m013_start_indexes. Reads of every start that went through a whole table (each row read a decrypted page on
#: an encrypted file, more of them every year): the handoff signed last (``handoffs.latest_signed``: all
#: ~1,900 of a decade's handoffs sorted; now the last entry of an index), the open attendance follow-ups of
#: earlier days and the header's count of those due (``attendance.open_before``/``due_count``: one small index
#: of the open ones holds their dates, order and due date) and the header's count of CICO students still to
#: check in (``cico.to_check_in_count``: every enrolment ever; now the running phases' own entries). Decade,
#: encrypted, a fresh connection: ~23 ms + ~10 ms of CPU -> under 3 ms (bench/, BENCHMARKS.md).
START_READS_SQL = """
CREATE INDEX idx_handoffs_signed ON handoffs(signed_at);
CREATE INDEX idx_attendance_open_dates ON attendance_followups(status, voided, date, created_at, due_date)
    WHERE status = 'open';
CREATE INDEX idx_cico_enrolments_running ON cico_enrolments(phase, enrolled_on) WHERE voided = 0;
"""


#: m014_stats_indexes. What the all-years figures still read from the record rows after m012 (BENCHMARKS.md
#: "In the app"): a patrol round's checkpoints with an issue (only the rounds that have one, ~1 in 4: the index holds
#: their checkpoints so the count needs no row), a follow-up's actions (those with any), the referrals'
#: times for the process figures, and an incident's day (and time) by its id (the students' counts over
#: many years walk the incident links in id order and look each incident up here, page after page,
#: instead of jumping into the links for each incident of the range; a CICO student's incident days).
#: And for the handoff review: the flagged notes' ids (those in a handoff are left out before any row
#: is read), the referrals changed after their handoff (the last signed handoff: m013's index).
#: Each query's filter repeats its partial index's ``WHERE`` so SQLite can use it.
STATS_INDEXES_SQL = """
CREATE INDEX idx_incidents_ids ON incidents(id, voided, day, occurred_at);
CREATE INDEX idx_patrol_rounds_issues ON patrol_rounds(day, voided, zone, id, checkpoints)
    WHERE instr(checkpoints, '"issue"') > 0;
CREATE INDEX idx_attendance_followups_actions ON attendance_followups(day, voided, id, actions) WHERE actions != '[]';
CREATE INDEX idx_referrals_times ON referrals(day, voided, referred_at, id);
CREATE INDEX idx_contact_notes_flagged_ids ON contact_notes(voided, day, id) WHERE for_coordinator = 1;
CREATE INDEX idx_referrals_changed ON referrals(referred_at) WHERE (voided = 1 OR amended = 1);
"""


#: m015_follow_ups_due_index. The end-of-shift report (in every handoff bundle) counts the open follow-ups due of
#: incidents and of contact notes however old (``follow_ups.count_due_by``), voided ones left out: m006's index of the
#: open follow-ups holds no ``voided``, so the count read every open follow-up's row (the decade's generator ends none:
#: ~17,400 rows, ~95 ms a report on the encrypted decade, ~200 ms on a fresh connection). This index holds only the
#: not-voided open ones, so the count reads it alone (~2-6 ms); the lists of follow-ups due (``due_by``,
#: ``due_before``, which filter ``voided = 0`` too) read it as well. Built in ~0.1-0.3 s on the encrypted decade.
FOLLOW_UPS_DUE_SQL = """
CREATE INDEX idx_incidents_follow_up_due ON incidents(follow_up_date)
    WHERE follow_up_date IS NOT NULL AND follow_up_end IS NULL AND voided = 0;
CREATE INDEX idx_contact_notes_follow_up_due ON contact_notes(follow_up_date)
    WHERE follow_up_date IS NOT NULL AND follow_up_end IS NULL AND voided = 0;
"""
