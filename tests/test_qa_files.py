"""An attacker's and a school IT person's test of the files that come in and go out (qa2).

De-identified exports, roster files, handoff bundles, backups: each test drives the real command line
(``cli.main.main``) on a real SQLite file in tmp_path and reads what it wrote, as the person opening the
file would.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from advocate_tui.cli.main import main
from advocate_tui.models import ContactNote, Student
from conftest import EXAMPLE_PROFILE


def _exported_text(folder: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(folder.iterdir()))


def test_a_name_with_a_stroke_or_dotless_letter_is_taken_out_as_typed_on_a_us_keyboard(desk, tmp_path):
    """'Łukasz', 'Søren', 'Işık', 'Đorđe', 'Ægir' are written 'Lukasz', 'Soren', 'Isik', 'Dorde', 'Aegir' in a
    note typed on a US keyboard: 'accents ignored' must cover letters that Unicode does not decompose."""
    names = [("S2001", "Łukasz", "Wójcik"), ("S2002", "Søren", "Bjørnsen"), ("S2003", "Işık", "Yılmaz"),
             ("S2004", "Đorđe", "Petrović"), ("S2005", "Ægir", "Þórsson")]
    desk.store.upsert_students([Student(local_id=n, given_name=g, family_name=f, grade="09") for n, g, f in names])
    typed = "Lukasz Wojcik, Soren Bjornsen, Isik Yilmaz, Dorde Petrovic and Aegir Thorsson"
    at = desk.clock.now()
    desk.store.add(ContactNote(student_id="S2001", at=at, note=f"Lunch with {typed}; {typed.upper()}."))
    out = tmp_path / "leaving"
    assert main(["export", "--json", str(out), "--db", str(desk.store.path)]) == 0
    text = _exported_text(out).casefold()
    leaked = [w for w in typed.replace(",", "").split() if w.casefold() not in ("and",) and w.casefold() in text]
    assert leaked == []
    note = next(json.loads(line) for line in (out / "contact_note.jsonl").read_text(encoding="utf-8").splitlines()
                if "Lunch" in line)
    assert note["note"].startswith("Lunch with [name] [name], [name] [name], [name] [name], [name] [name] and [name] [name];")


def test_a_name_of_two_parts_written_as_one_word_is_taken_out(desk, tmp_path):
    """'O'Brien', 'Mary-Jane', 'De la Cruz' are often typed 'OBrien', 'MaryJane', 'DeLaCruz' in a note."""
    desk.store.upsert_students([
        Student(local_id="S3001", given_name="Mary-Jane", family_name="O'Brien", grade="10"),
        Student(local_id="S3002", given_name="Rosa", family_name="De la Cruz", preferred_name="Ro-Ro", grade="10"),
    ])
    desk.store.add(ContactNote(student_id="S3001", at=desk.clock.now(),
                               note="MaryJane OBrien and Rosa DeLaCruz (RoRo) talked it through; obrien's mum called."))
    out = tmp_path / "leaving"
    assert main(["export", "--json", str(out), "--db", str(desk.store.path)]) == 0
    text = _exported_text(out).casefold()
    assert [w for w in ("maryjane", "obrien", "delacruz", "roro", "rosa") if w in text] == []


def test_a_report_never_writes_through_a_link_planted_in_its_folder(desk, tmp_path, capsys):
    """A shared reports folder where someone made the next report's name a link to another file: the report
    must not overwrite that file (the user's own, lost) nor land outside the folder."""
    db = desk.store.path
    desk.close()
    reports = tmp_path / "shared-reports"
    reports.mkdir()
    elsewhere = tmp_path / "their-notes.txt"
    elsewhere.write_text("a file of someone's that must stay\n", encoding="utf-8")
    stem = "program-report-cedar-hollow-hs-2026-11-23_2026-11-23"
    (reports / f"{stem}.csv").symlink_to(elsewhere)
    code = main(["report", "--from", "2026-11-23", "--to", "2026-11-23", "--out", str(reports), "--db", str(db)])
    err = capsys.readouterr().err
    assert elsewhere.read_text(encoding="utf-8") == "a file of someone's that must stay\n"
    assert code == 1 and err.count("\n") == 1 and "link" in err and "Traceback" not in err


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="giving a file to another user needs root")
def test_a_report_is_not_written_into_a_file_another_user_made_in_its_place(desk, tmp_path, capsys):
    """Someone with a hand in a shared folder makes the next report's file, open to them: the report must
    not go into it (they would read it), and what the file held stays."""
    db = desk.store.path
    desk.close()
    reports = tmp_path / "shared-reports"
    reports.mkdir()
    planted = reports / "program-report-cedar-hollow-hs-2026-11-23_2026-11-23.md"
    planted.write_text("theirs\n", encoding="utf-8")
    os.chown(planted, 65534, 65534)
    code = main(["report", "--from", "2026-11-23", "--to", "2026-11-23", "--out", str(reports), "--db", str(db)])
    err = capsys.readouterr().err
    assert planted.read_text(encoding="utf-8") == "theirs\n"
    assert code == 1 and err.count("\n") == 1 and "another user" in err


PASS = "correct horse battery staple"


@pytest.fixture
def encrypted_db(profile, clock, tmp_path):
    from advocate_tui.desk import Desk

    path = tmp_path / "school" / "advocate.db"
    Desk.open(path, profile, clock=clock, passphrase=PASS).close()
    return path


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16"])
def test_a_passphrase_file_saved_by_notepad_or_powershell_opens_the_database(encrypted_db, tmp_path, capsys, encoding):
    """Notepad saves UTF-8 with a byte order mark, PowerShell's ``>`` UTF-16 with one: the mark is not part
    of the passphrase (the school's IT person sees the right passphrase in the file and 'wrong passphrase')."""
    pfile = tmp_path / "passphrase.txt"
    pfile.write_text(PASS + "\r\n", encoding=encoding)
    assert main(["check", "--db", str(encrypted_db), "--passphrase-file", str(pfile)]) == 0
    assert "encrypted: yes" in capsys.readouterr().out


def test_rekey_from_a_notepad_file_sets_the_passphrase_as_typed(encrypted_db, tmp_path, monkeypatch, capsys):
    """A new passphrase from a file with a byte order mark must be the one a person then types."""
    monkeypatch.setenv("ADVOCATE_PASSPHRASE", PASS)
    new = tmp_path / "new.txt"
    new.write_text("a brand new passphrase\n", encoding="utf-8-sig")
    assert main(["rekey", "--db", str(encrypted_db), "--new-passphrase-file", str(new)]) == 0
    monkeypatch.setenv("ADVOCATE_PASSPHRASE", "a brand new passphrase")
    assert main(["check", "--db", str(encrypted_db)]) == 0


def _limited_memory():  # (a child that reads /dev/zero whole would take the shared machine's memory)
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_a_passphrase_file_that_never_ends_is_one_line_not_all_memory(encrypted_db):
    """``--passphrase-file /dev/zero`` (or a big file picked by mistake): read for no more than a passphrase."""
    proc = subprocess.run([sys.executable, "-m", "advocate_tui", "check", "--db", str(encrypted_db),
                           "--passphrase-file", "/dev/zero"], capture_output=True, text=True, timeout=120,
                          stdin=subprocess.DEVNULL, preexec_fn=_limited_memory)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert proc.stderr.count("\n") == 1 and "too long for a passphrase" in proc.stderr


def test_two_desks_backing_up_in_the_same_second_each_keep_their_copy(desk, tmp_path):
    """Another desk (or a nightly 'advocate backup') is writing its copy under this second's name: this
    backup takes the next name and neither removes nor writes into the other's copy in progress (both
    used to fail, 'disk I/O error', with no backup written)."""
    from advocate_tui.services import backup
    from advocate_tui.store import files

    folder = tmp_path / "backups"
    folder.mkdir()
    theirs = folder / f"advocate-{desk.clock.now().strftime('%Y%m%d-%H%M%S')}.db{files.PARTIAL}"
    theirs.write_bytes(b"the other desk's copy, half written")
    ours = backup.make_backup(desk, f"{folder}/")
    assert theirs.read_bytes() == b"the other desk's copy, half written"
    assert ours.parent == folder and ours != theirs.with_suffix("") and backup.check_file(ours, None).ok


def _advocate(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """advocate in a child whose memory is capped (what it reads whole can't take the shared machine's)."""
    return subprocess.run([sys.executable, "-m", "advocate_tui", *args], capture_output=True, text=True, timeout=120,
                          stdin=subprocess.DEVNULL, preexec_fn=_limited_memory, env={**os.environ, **(env or {})})


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_a_roster_or_a_reply_note_that_never_ends_is_one_line_not_all_memory(desk):
    """``/dev/zero`` (a device has no size to check first): read no further than a roster or a note can be."""
    db = str(desk.store.path)
    desk.close()
    roster = _advocate("roster", "import", "/dev/zero", "--db", db)
    assert roster.returncode == 1 and roster.stderr.count("\n") == 1, roster.stderr
    assert "too large for a roster" in roster.stderr
    note = _advocate("handoff", "reply", "--note-file", "/dev/zero", "--db", db)
    assert note.returncode == 1 and note.stderr.count("\n") == 1 and "too long" in note.stderr, note.stderr


def test_a_roster_file_of_200_mb_is_refused_as_too_large_unread(desk, tmp_path, capsys):
    """A district's whole export picked by mistake: one line saying so, nothing imported (it was read
    whole and parsed, ~4 GiB, until memory ran out)."""
    big = tmp_path / "district-users.csv"
    with big.open("w", encoding="utf-8") as fh:
        fh.write("student_id,given_name,family_name,grade\n" + "S1,Ann,Lee,9\n" * 1000)
    os.truncate(big, 200 * 2**20)
    assert main(["roster", "import", str(big), "--db", str(desk.store.path)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "too large for a roster" in err
    assert desk.store.student("S1") is None


def test_schemas_into_a_file_is_one_line_not_a_crash(tmp_path, capsys):
    """``advocate schemas --out X`` where X is a file: one line naming it (it said 'unexpected error
    (FileExistsError)' and wrote a crash report)."""
    taken = tmp_path / "schemas"
    taken.write_text("not a folder\n", encoding="utf-8")
    assert main(["schemas", "--out", str(taken)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cannot write the schemas in" in err and "unexpected" not in err
    assert taken.read_text(encoding="utf-8") == "not a folder\n"


def test_a_students_former_name_is_taken_out_of_notes_written_under_it(desk, tmp_path):
    """A roster corrected or changed a name ('Jon Smyth' is now 'John Smith'): the notes written before
    still say 'Jon Smyth', and the de-identified export must not keep it (it knew only today's names)."""
    desk.store.upsert_students([Student(local_id="S4001", given_name="Jon", family_name="Smyth", grade="11")])
    desk.store.add(ContactNote(student_id="S4001", at=desk.clock.now(), note="Jon Smyth came by upset."))
    desk.store.upsert_students([Student(local_id="S4001", given_name="John", family_name="Smith", grade="11")])
    out = tmp_path / "leaving"
    assert main(["export", "--json", str(out), "--db", str(desk.store.path)]) == 0
    text = _exported_text(out)
    assert "Jon" not in text and "Smyth" not in text
    assert '"note":"[name] [name] came by upset."' in text.replace(": ", ":")


def test_a_student_number_written_in_a_note_is_not_left_in_a_de_identified_export(desk, tmp_path):
    """'Called home about S1004' in a note: without --with-names no file may hold a student number (the
    README: a number is as identifying as a name). It becomes the student's pseudonym, as elsewhere."""
    desk.store.add(ContactNote(student_id="S1003", at=desk.clock.now(),
                               note="Zo and S1004 (s1004 in the office's list) met; see also #S1001's file."))
    out = tmp_path / "leaving"
    assert main(["export", "--json", str(out), "--db", str(desk.store.path)]) == 0
    text = _exported_text(out)
    assert "1004" not in text and "1001" not in text
    students = {json.loads(line)["pseudonym"] for line in (out / "students.jsonl").read_text(encoding="utf-8").splitlines()}
    note = next(json.loads(line) for line in (out / "contact_note.jsonl").read_text(encoding="utf-8").splitlines())
    words = note["note"].replace("(", " ").replace("'", " ").split()
    assert sum(w in students for w in words) == 2 and "#anon-" in note["note"]


def test_a_profile_saved_by_notepad_is_read_and_one_that_never_ends_is_one_line(desk, tmp_path):
    """The school's IT person edits profile.toml in Notepad (UTF-8 with a byte order mark): it is read as
    the same profile (it was 'line 1: invalid TOML'); ``--profile /dev/zero`` is one line, not all memory."""
    from advocate_tui.profile import load_profile

    plain = Path(EXAMPLE_PROFILE)
    notepad = tmp_path / "profile.toml"
    notepad.write_bytes(b"\xef\xbb\xbf" + plain.read_bytes())
    assert load_profile(notepad) == load_profile(plain)
    db = str(desk.store.path)
    desk.close()
    if Path("/dev/zero").exists():
        proc = _advocate("report", "--profile", "/dev/zero", "--out", str(tmp_path / "r"), "--db", db)
        assert proc.returncode == 1 and proc.stderr.count("\n") == 1, proc.stderr
        assert "larger than a profile can be" in proc.stderr


def test_paths_printed_after_a_backup_a_plain_copy_or_a_report_send_no_terminal_code(desk, tmp_path, capsys):
    """A folder name holding a terminal code (made by a script from a listing, or a prank): what the
    command prints names it with the code written out, never sent raw (it cleared the screen here)."""
    db = str(desk.store.path)
    desk.close()
    odd = tmp_path / "x\x1b[2J\x1b]0;pwned\x07y"
    assert main(["backup", "--out", f"{odd}/", "--db", db]) == 0
    assert main(["export", "--plain", str(odd / "plain.db"), "--db", db]) == 0
    assert main(["report", "--out", str(odd), "--db", db]) == 0
    out, err = capsys.readouterr()
    assert "\x1b" not in out + err and "\x07" not in out + err
    assert out.count("x\\x1b[2J\\x1b]0;pwned\\x07y") == 5  # the backup, the plain copy and the report's three files


def test_check_of_something_that_is_no_database_says_what_it_is_whatever_passphrase_is_given(tmp_path):
    """`advocate check --db X` where X is an empty file or a FIFO, with a passphrase a new database would
    refuse (a script's short or wrong one): the line named the passphrase rule and "nothing was created",
    nothing about X; now it says what X is (the check never creates anything)."""
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    fifo = tmp_path / "pipe.db"
    os.mkfifo(fifo)
    for path, said in ((empty, "is empty, not an advocate-tui database"), (fifo, "is not a file")):
        done = _advocate("check", "--db", str(path), env={"ADVOCATE_PASSPHRASE": "short"})
        assert done.returncode == 1
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and str(path) in lines[0] and said in lines[0], done.stderr
        assert "nothing was created" not in done.stderr
