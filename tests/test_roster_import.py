"""Roster import: realistic OneRoster 1.1, 1.2 (folder and zip) and simple CSV files, messy ones included.

Every name here is fictional. Each test checks the database (through the store) and the summary.
"""

from __future__ import annotations

import io
import json
import os
import random
import sqlite3
import subprocess
import sys
import unicodedata
import zipfile
from datetime import datetime

import pytest

from advocate_tui.cli.main import main
from advocate_tui.models import AuditAction, Incident, IncidentStudent, Student
from advocate_tui.services.roster import RosterError, import_roster, read_roster
from advocate_tui.store import Store
from advocate_tui.store.stats_queries import all_students

V11_HEADER = ("sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,givenName,"
              "familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password")
V12_HEADER = ("sourcedId,status,dateLastModified,enabledUser,username,userIds,givenName,familyName,middleName,"
              "identifier,email,sms,phone,agentSourcedIds,grades,password,userMasterIdentifier,"
              "resourceSourcedIds,preferredGivenName,preferredMiddleName,preferredFamilyName,primaryOrgSourcedId,"
              "pronouns")

#: A OneRoster 1.1 users.csv as a real SIS writes it: BOM, CRLF, quoted fields, every role, every grade form.
V11_ROWS = [
    'stu-001,active,2026-08-01T00:00:00Z,true,org-1,student,agarcia,"{SIS:S2001}",Ana,Garcia,,S2001,,,,,07,',
    'stu-002,active,2026-08-01T00:00:00Z,true,org-1,student,mokafor,"[""{SIS:S2002}"",""{LDAP:mokafor}""]",Mateo,'
    '"Okafor, Jr.",,,,,,,"09,10",',
    'stu-003,,2026-08-01T00:00:00Z,true,org-1,student,wming,"[{""type"":""LDAP"",""identifier"":""wm""},'
    '{""type"":""SIS"",""identifier"":""S2003""}]",明,王,,,,,,,"[""11""]",',
    'stu-004,active,,true,org-1,student,sp,,Σοφία,Παπαδοπούλου,,S2004,,,,,9,',
    'stu-005,active,,true,org-1,student,as,,Аня,Смирнова,,S2005,"a@example.org",,,,KG,',
    'stu-006,active,,true,org-1,student,ah,,أمل,حداد,,S2006,,,,,12,',
    'stu-007,tobedeleted,,true,org-1,student,gone,,Gone,Student,,S2007,,,,,10,',
    'tch-001,active,,true,org-1,teacher,tt,,Tess,Teacher,,T1,,,,,,',
    'tch-002,active,,true,org-1,teacher,rr,,Rolf,Reader,,T2,,,,,,',
    'par-001,active,,true,org-1,parent,pp,,Pat,Parent,,,,,,"stu-001",,',
    'aid-001,active,,true,org-1,aide,aa,,Al,Aide,,,,,,,,',
]


def v11_bytes(rows=V11_ROWS, *, bom=True) -> bytes:
    text = "\r\n".join([V11_HEADER, *rows]) + "\r\n"
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")


@pytest.fixture
def store(profile, clock, db_path):
    s = Store.open(db_path, tz=profile.school.timezone, now=clock.now)
    yield s
    s.close()


class _Desk:
    def __init__(self, store):
        self.store, self.user = store, "tester"


def students(store) -> dict[str, Student]:
    return {s.local_id: s for s in all_students(store)}


def audit_count(store) -> int:
    return store.db.execute("SELECT count(*) FROM audit").fetchone()[0]


# ------------------------------------------------------------------ OneRoster 1.1
def test_oneroster_11_messy_file_imports_students_only(tmp_path, store):
    path = tmp_path / "users.csv"
    path.write_bytes(v11_bytes())
    summary = import_roster(_Desk(store), path)
    assert (summary.added, summary.updated, summary.deactivated) == (6, 0, 0)
    assert summary.skipped_by_role == {"teacher": 2, "parent": 1, "aide": 1}
    assert summary.rejected == []
    got = students(store)
    assert sorted(got) == ["S2001", "S2002", "S2003", "S2004", "S2005", "S2006"]  # the tobedeleted one isn't added
    assert got["S2001"].grade == "07" and got["S2001"].sourced_id == "stu-001"
    assert got["S2002"].family_name == "Okafor, Jr." and got["S2002"].grade == "09,10"  # number from userIds
    assert got["S2003"].given_name == "明" and got["S2003"].grade == "11"  # JSON userIds, JSON grades
    assert got["S2004"].grade == "09" and got["S2004"].family_name == "Παπαδοπούλου"
    assert got["S2005"].grade == "KG" and got["S2006"].given_name == "أمل"
    assert [s.local_id for s in store.find_students("Смир")] == ["S2005"]
    lines = "\n".join(summary.lines())
    assert "added 6" in lines and "2 teacher" in lines


def test_reimport_changes_nothing(tmp_path, store):
    path = tmp_path / "users.csv"
    path.write_bytes(v11_bytes())
    import_roster(_Desk(store), path)
    before = [s.model_dump() for s in all_students(store)]
    audits = audit_count(store)
    again = import_roster(_Desk(store), path)
    assert (again.added, again.updated, again.deactivated, again.unchanged) == (0, 0, 0, 6)
    assert [s.model_dump() for s in all_students(store)] == before
    assert audit_count(store) == audits


def test_tobedeleted_deactivates_a_known_student_and_keeps_records(tmp_path, store, clock):
    path = tmp_path / "users.csv"
    rows = [r.replace("stu-007,tobedeleted", "stu-007,active") for r in V11_ROWS]
    path.write_bytes(v11_bytes(rows))
    import_roster(_Desk(store), path)
    store.add(Incident(occurred_at=clock.now(), location="Hallway", behavior="Defiance",
                       students=[IncidentStudent(student_id="S2007")]))
    path.write_bytes(v11_bytes())
    summary = import_roster(_Desk(store), path, partial=True)
    assert summary.deactivated == 1 and summary.updated == 0 and summary.marked == {"tobedeleted": 1}
    assert "marked tobedeleted: 1 (deactivated)" in summary.lines()
    assert students(store)["S2007"].active is False
    assert len(store.student_records("S2007")) == 1
    assert store.find_students("Gone") == []


# ------------------------------------------------------------------ full roster, partial roster
def test_full_roster_deactivates_missing_students_partial_does_not(tmp_path, store, clock):
    path = tmp_path / "users.csv"
    path.write_bytes(v11_bytes())
    import_roster(_Desk(store), path)
    store.add(Incident(occurred_at=clock.now(), location="Gym", behavior="Disruption",
                       students=[IncidentStudent(student_id="S2006")]))
    fewer = [r for r in V11_ROWS if not r.startswith("stu-006")]
    path.write_bytes(v11_bytes(fewer))
    partial = import_roster(_Desk(store), path, partial=True)
    assert partial.deactivated == 0 and students(store)["S2006"].active
    full = import_roster(_Desk(store), path)
    assert full.deactivated == 1 and full.unchanged == 5
    left = students(store)["S2006"]
    assert left.active is False and left.family_name == "حداد"  # kept, not deleted
    assert len(store.student_records("S2006")) == 1
    # back on the next roster: active again
    path.write_bytes(v11_bytes())
    back = import_roster(_Desk(store), path)
    assert back.updated == 1 and students(store)["S2006"].active


def test_rejected_rows_keep_their_students_active(tmp_path, store):
    path = tmp_path / "users.csv"
    path.write_bytes(v11_bytes())
    import_roster(_Desk(store), path)
    broken = [r.replace(",Ana,Garcia,", ",,Garcia,") for r in V11_ROWS]
    path.write_bytes(v11_bytes(broken))
    summary = import_roster(_Desk(store), path)
    assert [(r.line, r.reason) for r in summary.rejected] == [(2, "given name: missing")]
    assert summary.deactivated == 0 and students(store)["S2001"].active


# ------------------------------------------------------------------ rejected rows
def test_rejected_rows_name_line_and_field_only(tmp_path, store):
    rows = [
        'stu-101,active,,true,org-1,student,x,,Lena,Brandt,,S3001,,,,,08,',
        'stu-102,active,,true,org-1,student,x,,Omar,,,S3002,,,,,08,',          # no family name
        'stu-103,active,,true,org-1,student,x,,Ines,Vogel,,S 3003,,,,,08,',     # a space in the number
        'stu-104,active,,true,org-1,student,x,,Kai,Lund,,S3004,,,,,08,,extra',  # too many fields
        'stu-101,active,,true,org-1,student,x,,Lena,Brandt,,S3005,,,,,08,',     # sourcedId twice
        'stu-106,archived,,true,org-1,student,x,,Noa,Peled,,S3006,,,,,08,',     # unknown status
        'stu-107,active,,true,org-1,student,x,,Ravi,Iyer,,S3001,,,,,08,',       # number twice
        'stu-108,active,,true,org-1,student,x,"{LDAP:nobody-with-a-very-long-login-name-here}",Uma,Roy,,,,,,,08,',
    ]
    path = tmp_path / "users.csv"
    path.write_bytes(v11_bytes(rows, bom=False))
    summary = import_roster(_Desk(store), path)
    assert summary.added == 1
    reasons = {r.line: r.reason for r in summary.rejected}
    assert reasons[3] == "family name: missing"
    assert reasons[4].startswith("identifier: not a usable student number")
    assert reasons[5].startswith("19 fields but the header has 18")
    assert reasons[6] == "sourcedId: same as line 2"
    assert reasons[7] == "status: not active or tobedeleted"
    assert reasons[8] == "identifier: same student number as line 2"
    assert reasons[9].startswith("identifier: not a usable student number")
    text = "\n".join(summary.lines())
    for name in ("Lena", "Omar", "Ines", "Kai", "Brandt", "Noa", "Ravi", "Uma", "S3001", "S 3003"):
        assert name not in text


def test_a_changed_student_number_for_the_same_sourced_id_is_refused(tmp_path, store):
    path = tmp_path / "users.csv"
    path.write_bytes(v11_bytes())
    import_roster(_Desk(store), path)
    changed = [r.replace(",S2004,", ",S9004,") for r in V11_ROWS]
    path.write_bytes(v11_bytes(changed))
    summary = import_roster(_Desk(store), path)
    assert [r.line for r in summary.rejected] == [5]
    assert "S9004" not in students(store) and students(store)["S2004"].active


def test_nothing_importable_is_refused_and_changes_nothing(tmp_path, store):
    path = tmp_path / "users.csv"
    path.write_bytes(v11_bytes())
    import_roster(_Desk(store), path)
    path.write_bytes(v11_bytes([r for r in V11_ROWS if not r.startswith("stu-")]))
    with pytest.raises(RosterError, match="no student could be imported"):
        import_roster(_Desk(store), path)
    assert all(s.active for s in all_students(store) if s.local_id != "S2007")


def test_import_is_one_transaction(tmp_path, store):
    path = tmp_path / "users.csv"
    path.write_bytes(v11_bytes())
    # the fourth student's row fails to go in (as a full disk would): nothing of the import stays
    store.db.execute("CREATE TEMP TRIGGER power_cut BEFORE INSERT ON main.students "
                     "WHEN (SELECT count(*) FROM main.students) >= 3 BEGIN SELECT RAISE(ABORT, 'power cut'); END")
    with pytest.raises(Exception, match="power cut"):
        import_roster(_Desk(store), path)
    assert all_students(store) == [] and audit_count(store) == 0


# ------------------------------------------------------------------ OneRoster 1.2
def _v12_files() -> dict[str, str]:
    users = [
        V12_HEADER,
        'u-1,active,,true,lgarcia,"[""{SIS:S4001}""]",Lucía,García,,S4001,,,,,"[""06""]",,,,Lu,,,org-1,',
        'u-2,active,,true,hdiallo,,Hawa,Diallo,,S4002,,,,,07,,,,,,,org-1,',
        'u-3,active,,true,jkim,,Ji-woo,Kim,,S4003,,,,,08,,,,,,,org-1,',
        't-1,active,,true,tbaker,,Theo,Baker,,T4001,,,,,,,,,,,,org-1,',
        'g-1,active,,true,gdiallo,,Mariam,Diallo,,,,,,,,,,,,,,org-1,',
        'x-1,active,,true,cnorole,,Cleo,Norole,,,,,,,,,,,,,,org-1,',
    ]
    roles = [
        "sourcedId,status,dateLastModified,userSourcedId,roleType,role,beginDate,endDate,orgSourcedId,userProfileSourcedId",
        "r-1,active,,u-1,primary,student,,,org-1,",
        "r-2,active,,u-2,primary,student,,,org-1,",
        "r-3,active,,u-3,primary,student,,,org-1,",
        "r-4,active,,t-1,primary,teacher,,,org-1,",
        "r-5,active,,t-1,secondary,counselor,,,org-1,",
        "r-6,active,,g-1,primary,guardian,,,org-1,",
        "r-7,tobedeleted,,u-3,secondary,aide,,,org-1,",
    ]
    manifest = ["propertyName,value", "manifest.version,1.0", "oneroster.version,1.2", "file.users,bulk",
                "file.roles,bulk"]
    classes = ["sourcedId,status,dateLastModified,title,grades,courseSourcedId,classCode,classType,location",
               "c-1,active,,Homeroom 6A,06,co-1,HR-6A,homeroom,Room 12",
               "c-2,active,,Math 7,07,co-2,M7-1,scheduled,Room 20"]
    enrollments = ["sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role,primary",
                   "e-1,active,,c-1,org-1,u-1,student,false", "e-2,active,,c-2,org-1,u-2,student,false"]
    return {name: "\n".join(lines) + "\n" for name, lines in (
        ("users.csv", users), ("roles.csv", roles), ("manifest.csv", manifest), ("classes.csv", classes),
        ("enrollments.csv", enrollments))}


def _check_v12(store, summary):
    assert summary.kind.startswith("OneRoster 1.2")
    assert (summary.added, summary.skipped_by_role) == (3, {"teacher": 1, "guardian": 1, "no role": 1})
    got = students(store)
    assert sorted(got) == ["S4001", "S4002", "S4003"]
    assert got["S4001"].preferred_name == "Lu" and got["S4001"].homeroom == "HR-6A" and got["S4001"].grade == "06"
    assert got["S4002"].homeroom is None  # a scheduled class is not a homeroom


def test_oneroster_12_folder(tmp_path, store):
    folder = tmp_path / "oneroster"
    folder.mkdir()
    for name, text in _v12_files().items():
        (folder / name).write_text(text, encoding="utf-8")
    _check_v12(store, import_roster(_Desk(store), folder))
    # users.csv named directly finds roles.csv beside it
    assert import_roster(_Desk(store), folder / "users.csv").unchanged == 3


def test_oneroster_12_zip_with_a_subfolder(tmp_path, store):
    path = tmp_path / "export.zip"
    with zipfile.ZipFile(path, "w") as zf:
        for name, text in _v12_files().items():
            zf.writestr(f"district_export/{name}", text.encode("utf-8"))
    summary = import_roster(_Desk(store), path)
    _check_v12(store, summary)
    assert "zip" in summary.kind
    assert import_roster(_Desk(store), path).changed == 0


def test_oneroster_12_delta_manifest_deactivates_nobody(tmp_path, store):
    folder = tmp_path / "delta"
    folder.mkdir()
    files = _v12_files()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    import_roster(_Desk(store), folder)
    users = files["users.csv"].splitlines()
    (folder / "users.csv").write_text("\n".join([users[0], users[1]]) + "\n", encoding="utf-8")
    (folder / "manifest.csv").write_text(files["manifest.csv"].replace("file.users,bulk", "file.users,delta"))
    summary = import_roster(_Desk(store), folder)
    assert summary.partial and summary.deactivated == 0 and "delta" in summary.kind


def test_oneroster_12_users_without_roles_is_refused(tmp_path, store):
    path = tmp_path / "export" / "users.csv"
    path.parent.mkdir()
    path.write_text(_v12_files()["users.csv"], encoding="utf-8")
    with pytest.raises(RosterError, match="no role column and there is no roles.csv"):
        read_roster(path)


# ------------------------------------------------------------------ simple CSV
def test_simple_csv_with_missing_optional_columns(tmp_path, store):
    path = tmp_path / "students.csv"
    path.write_text("Student ID,Given Name,Family Name,Grade\n"
                    "S5001,Nils,Ekström,7\n\n"
                    "S5002,\"Amara\",\"N'Diaye\",10\n", encoding="utf-8")
    summary = import_roster(_Desk(store), path)
    assert summary.kind == "simple CSV" and summary.added == 2
    got = students(store)
    assert got["S5001"].grade == "07" and got["S5001"].homeroom is None and got["S5002"].family_name == "N'Diaye"


def test_simple_csv_all_columns_semicolons_and_decomposed_accents(tmp_path, store):
    decomposed = unicodedata.normalize("NFD", "Zoë")
    path = tmp_path / "students.csv"
    path.write_text("student_id;given_name;family_name;grade;homeroom;preferred_name\r\n"
                    f"S6001;{decomposed};Okafor;10;H-150;Zo\r\n", encoding="utf-8")
    import_roster(_Desk(store), path)
    got = students(store)["S6001"]
    assert got.given_name == "Zoë" and got.homeroom == "H-150" and got.preferred_name == "Zo"
    assert [s.local_id for s in store.find_students("zoe")] == ["S6001"]


def test_simple_csv_keeps_the_sourced_id_from_oneroster(tmp_path, store):
    path = tmp_path / "users.csv"
    path.write_bytes(v11_bytes())
    import_roster(_Desk(store), path)
    simple = tmp_path / "simple.csv"
    simple.write_text("student_id,given_name,family_name,grade,homeroom\nS2001,Ana,Garcia,07,H-7\n", encoding="utf-8")
    summary = import_roster(_Desk(store), simple, partial=True)
    assert summary.updated == 1
    assert students(store)["S2001"].sourced_id == "stu-001" and students(store)["S2001"].homeroom == "H-7"


# ------------------------------------------------------------------ encodings
def test_utf16_with_and_without_bom_is_read(tmp_path, store):
    text = "\r\n".join([V11_HEADER, *V11_ROWS]) + "\r\n"
    with_bom = tmp_path / "bom.csv"
    with_bom.write_bytes(text.encode("utf-16"))
    assert len(read_roster(with_bom).students) == 7
    no_bom = tmp_path / "le.csv"
    no_bom.write_bytes(text.encode("utf-16-le"))
    assert read_roster(no_bom).students[2].given_name == "明"


def test_windows_1252_is_read_as_such_and_said(tmp_path, store):
    """Excel's 'CSV' and many school systems write Windows-1252: read it so, and say so (no --encoding)."""
    path = tmp_path / "students.csv"
    path.write_bytes("student_id,given_name,family_name,grade\nS7001,José,Muñoz,9\nS7002,Zoë,O’Brien,10\n"
                     .encode("cp1252"))
    summary = import_roster(_Desk(store), path)
    assert summary.lines()[0] == "simple CSV (Windows-1252): 2 row(s) read"
    got = students(store)
    assert (got["S7001"].given_name, got["S7001"].family_name) == ("José", "Muñoz")
    assert got["S7002"].family_name == "O’Brien"


def test_mixed_or_unknown_encodings_are_refused_clearly_unless_named(tmp_path, store):
    path = tmp_path / "students.csv"
    # a UTF-8 file with one line pasted in from a Windows-1252 one: reading either way garbles a name
    path.write_bytes("student_id,given_name,family_name,grade\nS7001,Renée,Faure,9\n".encode()
                     + "S7002,José,Muñoz,9\n".encode("cp1252"))
    with pytest.raises(RosterError) as err:
        read_roster(path)
    assert str(err.value) == (f"{path} mixes UTF-8 with another encoding (byte 0xE9 on line 3 is not UTF-8, but "
                              "other lines are): save it again as 'CSV UTF-8' (or, if it really is Windows-1252 "
                              "text, import it with --encoding cp1252)")
    # bytes Windows-1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D): neither, so the encoding must be named
    path.write_bytes("student_id,given_name,family_name,grade\nS7001,Jos\u00e9,Mu\u00f1oz,9\n".encode("cp437")
                     + b"S7003,\x8f\x81sa,Lee,9\n")
    with pytest.raises(RosterError) as err:
        read_roster(path)
    assert "neither UTF-8 nor Windows-1252" in str(err.value) and "--encoding" in str(err.value)
    assert "Jos" not in str(err.value)
    summary = import_roster(_Desk(store), path, encoding="cp437")
    assert students(store)["S7001"].given_name == "José" and summary.details == ["code page 437"]


@pytest.mark.parametrize("content,message", [
    (b"", "is empty"),
    (b"\n\n", "is empty"),
    (b"\xef\xbb\xbf", "is empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", r"is not a CSV roster \(binary data"),
    ("学号,名字\n1,2\n".encode(), "is not a roster: expected"),
    (b"name,score\nAda,3\n", "is not a roster"),
    (b'sourcedId,givenName,familyName\n"u1,Ana,Garcia\n', "no role column"),
])
def test_unreadable_files_are_one_clear_error(tmp_path, content, message):
    path = tmp_path / "roster.csv"
    path.write_bytes(content)
    with pytest.raises(RosterError, match=message):
        read_roster(path)


@pytest.mark.parametrize("prefix", [b"", b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf"])
@pytest.mark.parametrize("size", [64, 3000, 20_000])
@pytest.mark.parametrize("nuls", [True, False])
def test_random_bytes_are_binary_not_empty(tmp_path, prefix, size, nuls):
    """QA: a garbage file said 'bad3.csv is empty'; any random file (with or without a BOM) is binary data."""
    rnd = random.Random(size * 7 + len(prefix) + nuls)
    data = bytes(rnd.randrange(256) for _ in range(size))
    if not nuls:
        data = data.replace(b"\x00", b"\x01")
    path = tmp_path / "bad3.csv"
    path.write_bytes(prefix + data)
    with pytest.raises(RosterError) as err:
        read_roster(path)
    assert str(err.value) == f"{path} is not a CSV roster (binary data; if it is a spreadsheet, save it as CSV UTF-8)"


def test_cli_random_file_is_one_line_binary_data(tmp_path, capsys):
    db = _plain_db(tmp_path / "school.db")
    path = tmp_path / "bad3.csv"
    rnd = random.Random(3)
    path.write_bytes(bytes(rnd.randrange(256) for _ in range(3000)))
    assert main(["roster", "import", str(path), "--db", str(db), "--allow-plain"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"advocate: {path} is not a CSV roster (binary data; if it is a spreadsheet, save it as CSV UTF-8)"]


def test_a_workbook_is_not_a_roster(tmp_path):
    path = tmp_path / "roster.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(RosterError, match="Excel workbook"):
        read_roster(path)


# ------------------------------------------------------------------ zip bombs: what is read from a zip is capped
def _zip_bomb(path, mib: int, members=("users.csv",)):
    """A zip of a few hundred KiB whose members each inflate to ``mib`` MiB (a header line, then zeros)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in members:
            with zf.open(name, "w", force_zip64=True) as fh:
                fh.write((V11_HEADER + "\r\n").encode())
                zeros = bytes(1 << 20)
                for _ in range(mib):
                    fh.write(zeros)
    return path


#: ``advocate`` in a child that prints its own peak memory (VmHWM, KiB) on stdout when done. VmHWM
#: counts only this program (the parent's pages, which ru_maxrss keeps from before exec, don't count).
PEAK_CHILD = """import sys
from advocate_tui.cli.main import main
code = main(sys.argv[1:])
print([line.split()[1] for line in open("/proc/self/status") if line.startswith("VmHWM:")][0])
sys.exit(code)
"""


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="peak memory read from /proc (Linux)")
def test_a_zip_bomb_is_refused_in_one_line_naming_the_cap_without_inflating_it(tmp_path):
    """QA: a 240 KiB zip inflating to 240 MB took 4.8 GB of memory; now reading stops at the 64 MiB cap."""
    bomb = _zip_bomb(tmp_path / "roster.zip", 200)
    assert bomb.stat().st_size < 1 << 20
    db = tmp_path / "school.db"
    proc = subprocess.run([sys.executable, "-c", PEAK_CHILD, "roster", "import", str(bomb), "--db", str(db)],
                          capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=120)
    lines = proc.stderr.strip().splitlines()
    assert proc.returncode == 1
    assert lines == ["advocate: roster.zip:users.csv inflates to more than 64 MiB, the most read from one zip "
                     "member; nothing was imported (unzip it and import the folder)"]
    peak_kib = int(proc.stdout.strip())
    assert peak_kib < 320 * 1024, f"peak memory {peak_kib // 1024} MiB"  # 200 MiB inflated whole: ~550 MiB
    assert not db.exists()


def test_zip_members_are_capped_one_by_one_and_together(tmp_path, monkeypatch):
    from advocate_tui.services import roster_formats

    monkeypatch.setattr(roster_formats, "MAX_ZIP_MEMBER", 3 << 20)
    monkeypatch.setattr(roster_formats, "MAX_ZIP_TOTAL", 5 << 20)
    one = _zip_bomb(tmp_path / "one.zip", 4)
    with pytest.raises(RosterError) as err:
        read_roster(one)
    assert str(err.value).startswith("one.zip:users.csv inflates to more than 3 MiB, the most read from one zip member")
    both = tmp_path / "both.zip"  # a real OneRoster 1.2 export, each file padded with 2 MiB of blank lines
    with zipfile.ZipFile(both, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in _v12_files().items():
            zf.writestr(name, text.encode() + b"\r\n" * (1 << 20))
    with pytest.raises(RosterError) as err:
        read_roster(both)
    assert str(err.value).startswith("both.zip: its files inflate to more than 5 MiB together, the most read from one zip")
    monkeypatch.setattr(roster_formats, "MAX_ZIP_TOTAL", 64 << 20)
    assert len(read_roster(both).students) == 3  # the same export under the caps is read


# ------------------------------------------------------------------ the command line
def _plain_db(path):
    """An unencrypted database for the command-line tests (they pass --allow-plain: a school's roster
    goes only into an encrypted database without it)."""
    Store.open(path, tz="America/Chicago").close()
    return path


def test_cli_prints_summary_and_rejected_lines_without_names(tmp_path, capsys):
    db = _plain_db(tmp_path / "school.db")
    rows = [*V11_ROWS, 'stu-900,active,,true,org-1,student,x,,Yusuf,,,S2900,,,,,08,']
    path = tmp_path / "users.csv"
    path.write_bytes(v11_bytes(rows))
    assert main(["roster", "import", str(path), "--db", str(db), "--allow-plain"]) == 3  # good rows in, one rejected
    out = capsys.readouterr()
    assert "added 6" in out.out and "rejected 1" in out.out and "line 13: family name: missing" in out.out
    assert "Yusuf" not in out.out + out.err and "S2900" not in out.out + out.err
    assert main(["roster", "import", str(path), "--db", str(db), "--allow-plain"]) == 3
    assert "added 0 · updated 0 · unchanged 6" in capsys.readouterr().out


def test_cli_unreadable_file_is_one_line_and_writes_nothing(tmp_path, capsys):
    db = tmp_path / "new" / "school.db"
    path = tmp_path / "students.csv"
    path.write_bytes("student_id,given_name,family_name,grade\nS1,Renée,Faure,9\n".encode()
                     + "S2,José,Muñoz,9\n".encode("latin-1"))   # UTF-8 and Latin-1 mixed: neither reads right
    assert main(["roster", "import", str(path), "--db", str(db), "--allow-plain"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("advocate: ") and "mixes UTF-8 with another encoding" in err[0]
    assert not db.exists()
    assert main(["roster", "import", str(tmp_path / "missing.csv"), "--db", str(db), "--allow-plain"]) == 1
    assert "no such file" in capsys.readouterr().err


def test_cli_progress_bar_for_a_large_roster_on_a_terminal(tmp_path, capsys, monkeypatch):
    db = _plain_db(tmp_path / "school.db")
    path = tmp_path / "big.csv"
    lines = ["student_id,given_name,family_name,grade"] + [f"N{i:05d},Given{i},Family{i},{9 + i % 4}"
                                                          for i in range(10_000)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    class Tty(io.StringIO):
        def isatty(self):
            return True

    fake = Tty()
    monkeypatch.setattr("sys.stderr", fake)
    assert main(["roster", "import", str(path), "--db", str(db), "--allow-plain"]) == 0, fake.getvalue()
    assert "importing [" in fake.getvalue() and "10000/10000" in fake.getvalue()
    assert "added 10000" in capsys.readouterr().out
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM students WHERE active = 1").fetchone()[0] == 10_000


def test_district_export_filtered_to_one_school(tmp_path, store):
    rows = [r.replace(",org-1,", ",org-2,") if r.startswith(("stu-005", "stu-006")) else r for r in V11_ROWS]
    rows.append('stu-008,active,,true,"org-1,org-2",student,x,,Elif,Kaya,,S2008,,,,,08,')
    path = tmp_path / "users.csv"
    path.write_bytes(v11_bytes(rows))
    summary = import_roster(_Desk(store), path, org="org-1")
    assert summary.added == 5 and summary.skipped_by_role["student of another school"] == 2
    assert sorted(students(store)) == ["S2001", "S2002", "S2003", "S2004", "S2008"]
    folder = tmp_path / "v12"
    folder.mkdir()
    for name, text in _v12_files().items():
        (folder / name).write_text(text.replace("r-2,active,,u-2,primary,student,,,org-1,",
                                                "r-2,active,,u-2,primary,student,,,org-9,")
                                   .replace(",org-1,\n", ",,\n") if name in ("roles.csv",) else text, encoding="utf-8")
    parsed = read_roster(folder, org="org-9")
    assert [s.local_id for s in parsed.students] == ["S4002"]


# ------------------------------------------------------------------ QA: a bad file must not empty the roster
SIMPLE_HEADER = "student_id,given_name,family_name,grade\n"
REAL_ROSTER = SIMPLE_HEADER + "R1,Fay,Orr,9\nR2,Gus,Pym,10\nR3,Hal,Quin,11\n"


def _db_with_roster(tmp_path, roster=REAL_ROSTER):
    db = _plain_db(tmp_path / "school.db")
    real = tmp_path / "real.csv"
    real.write_text(roster, encoding="utf-8")
    assert main(["roster", "import", str(real), "--db", str(db), "--allow-plain"]) == 0
    return db


def _active(db) -> dict[str, str | None]:
    s = Store.open(db, tz="America/Chicago")
    try:
        return {x.local_id: x.grade for x in all_students(s) if x.active}
    finally:
        s.close()


def test_qa_bad_simple_csv_deactivates_no_one_and_exits_3(tmp_path, capsys):
    db = _db_with_roster(tmp_path)
    capsys.readouterr()
    bad = tmp_path / "bad.csv"
    bad.write_text(SIMPLE_HEADER + "S1,Ann,Lee,9\nS2,Bob\nS3,Cy,Dee,banana\n", encoding="utf-8")
    assert main(["roster", "import", str(bad), "--db", str(db), "--allow-plain"]) == 3
    out = capsys.readouterr()
    lines = out.out.splitlines()
    assert "added 1 · updated 0 · unchanged 0 · deactivated 0 · skipped 0 · rejected 2" in lines
    assert any(line.startswith("no one was deactivated because 2 rows were rejected") and "fix them or use --partial"
               in line for line in lines)
    assert "rejected line 3: 2 fields but the header has 4 (a cut-off line?)" in lines
    assert "rejected line 4: grade: 'banana' is not a grade (like 07, KG or 09,10)" in lines
    for name in ("Ann", "Lee", "Bob", "Cy", "Dee", "Fay", "Gus", "Hal"):
        assert name not in out.out + out.err
    assert _active(db) == {"R1": "09", "R2": "10", "R3": "11", "S1": "09"}  # the good row is in, nobody left
    # the user confirms: deactivate anyway (the rejected rows' students are still never deactivated)
    assert main(["roster", "import", str(bad), "--db", str(db), "--allow-plain", "--deactivate-missing"]) == 3
    assert "deactivated 3" in capsys.readouterr().out
    assert _active(db) == {"S1": "09"}


def test_a_roster_missing_half_the_school_deactivates_no_one_without_the_flag(tmp_path, capsys):
    db = _db_with_roster(tmp_path, REAL_ROSTER + "R4,Ida,Rowe,12\n")
    capsys.readouterr()
    one_grade = tmp_path / "grade9.csv"
    one_grade.write_text(SIMPLE_HEADER + "R1,Fay,Orr,9\nR2,Gus,Pym,10\nN1,Jo,Sato,9\n", encoding="utf-8")
    assert main(["roster", "import", str(one_grade), "--db", str(db), "--allow-plain"]) == 3  # 2 of 4 missing: half
    out = capsys.readouterr().out
    assert "deactivated 0" in out and "rejected 0" in out
    assert "no one was deactivated: 2 of the 4 active students are missing from this roster" in out
    assert "--partial" in out and "--deactivate-missing" in out
    assert set(_active(db)) == {"R1", "R2", "R3", "R4", "N1"}  # the new student is in all the same
    assert main(["roster", "import", str(one_grade), "--db", str(db), "--allow-plain", "--partial"]) == 0
    assert set(_active(db)) == {"R1", "R2", "R3", "R4", "N1"}
    assert main(["roster", "import", str(one_grade), "--db", str(db), "--allow-plain", "--deactivate-missing"]) == 0
    assert set(_active(db)) == {"R1", "R2", "N1"}
    capsys.readouterr()
    with pytest.raises(SystemExit) as stop:
        main(["roster", "import", str(one_grade), "--db", str(db), "--allow-plain", "--partial", "--deactivate-missing"])
    assert stop.value.code == 2
    assert "not allowed with" in capsys.readouterr().err


def test_a_few_leavers_are_still_deactivated_by_a_full_roster(tmp_path, capsys):
    db = _db_with_roster(tmp_path, REAL_ROSTER + "R4,Ida,Rowe,12\nR5,Kit,Sousa,12\n")
    full = tmp_path / "full.csv"
    full.write_text(REAL_ROSTER + "R4,Ida,Rowe,12\n", encoding="utf-8")  # 1 of 5 left: under half
    capsys.readouterr()
    assert main(["roster", "import", str(full), "--db", str(db), "--allow-plain"]) == 0
    assert "deactivated 1" in capsys.readouterr().out
    assert set(_active(db)) == {"R1", "R2", "R3", "R4"}


@pytest.mark.parametrize("given,stored", [
    ("9", "09"), ("09", "09"), ("13", "13"), ("kg", "KG"), ("K", "KG"), ("Kindergarten", "KG"), ("pk", "PK"),
    ("TK", "TK"), ("IT", "IT"), ("PR", "PR"), ("PS", "PS"), ("UG", "UG"), ("other", "Other"), ("Ninth grade", "09"),
    ("Grade 9", "09"), ("gr. 07", "07"), ("9th", "09"), ("1st grade", "01"), ('"09,10"', "09,10"), ('"[""kg"",""01""]"', "KG,01"), ("", None),
])
def test_grades_accepted_and_normalised(tmp_path, store, given, stored):
    path = tmp_path / "students.csv"
    path.write_text(SIMPLE_HEADER + f"G1,Lia,Mott,{given}\n", encoding="utf-8")
    summary = import_roster(_Desk(store), path)
    assert summary.rejected == [] and students(store)["G1"].grade == stored


@pytest.mark.parametrize("given,reason", [
    ("banana", "grade: 'banana' is not a grade"), ("14", "grade: '14' is not a grade"),
    ("0", "grade: '0' is not a grade"), ("007", "grade: '007' is not a grade"),
    ("Grade 14", "grade: 'Grade 14' is not a grade"), ("9a", "grade: '9a' is not a grade"),
    ('"07,x"', "grade: 'x' is not a grade"), ("Mott", "grade: the value is not a grade"),  # a name: not echoed
    ("a-very-long-grade-value", "grade: the value is not a grade"),
])
def test_bad_grades_are_rejected_by_line_with_the_value(tmp_path, store, given, reason):
    path = tmp_path / "students.csv"
    path.write_text(SIMPLE_HEADER + f"G0,Ed,Ames,7\nG1,Lia,Mott,{given}\n", encoding="utf-8")
    summary = import_roster(_Desk(store), path)
    assert [str(r) for r in summary.rejected] == [f"line 3: {reason} (like 07, KG or 09,10)"]
    assert sorted(students(store)) == ["G0"]
    assert "Mott" not in "\n".join(summary.lines())


def test_oneroster_grades_are_checked_too(tmp_path, store):
    rows = [r.replace(",9,", ",Year Nine,") for r in V11_ROWS]
    path = tmp_path / "users.csv"
    path.write_bytes(v11_bytes(rows))
    summary = import_roster(_Desk(store), path)
    assert [str(r) for r in summary.rejected] == ["line 5: grade: 'Year Nine' is not a grade (like 07, KG or 09,10)"]
    assert "S2004" not in students(store)


# ------------------------------------------------------------------ QA: tobedeleted rows are counted
def test_qa_tobedeleted_row_is_counted_in_the_summary(tmp_path, store, capsys):
    """5 rows read = 3 added + 1 skipped + 1 marked tobedeleted (it used to vanish from the counts)."""
    rows = [V11_ROWS[0], V11_ROWS[3], V11_ROWS[4], V11_ROWS[6], V11_ROWS[7]]
    path = tmp_path / "users.csv"
    path.write_bytes(v11_bytes(rows))
    summary = import_roster(_Desk(store), path)
    assert (summary.rows, summary.added, summary.skipped, summary.marked) == (5, 3, 1, {"tobedeleted": 1})
    assert summary.rows == (summary.added + summary.updated + summary.unchanged + summary.skipped
                            + sum(summary.marked.values()) + len(summary.rejected))
    assert "marked tobedeleted: 1 (not on file or already inactive: nothing to deactivate)" in summary.lines()
    assert "S2007" not in students(store)
    # once the student is on file, the same row deactivates them
    store.upsert_students([Student(local_id="S2007", sourced_id="stu-007", given_name="Gone", family_name="Student",
                                   grade="10")])
    again = import_roster(_Desk(store), path)
    assert again.marked == {"tobedeleted": 1} and again.deactivated == 1 and again.unchanged == 3
    assert "marked tobedeleted: 1 (deactivated)" in again.lines() and students(store)["S2007"].active is False


def test_every_row_of_the_messy_file_is_accounted_for(tmp_path, store):
    path = tmp_path / "users.csv"
    path.write_bytes(v11_bytes([*V11_ROWS, 'stu-900,active,,true,org-1,student,x,,Yusuf,,,S2900,,,,,08,']))
    summary = import_roster(_Desk(store), path)
    assert (summary.rows, summary.added, summary.skipped, sum(summary.marked.values()), len(summary.rejected)) \
        == (12, 6, 4, 1, 1)


def test_a_tobedeleted_row_needs_only_its_id_and_counts_on_the_command_line(tmp_path, capsys):
    db = _plain_db(tmp_path / "school.db")
    path = tmp_path / "users.csv"
    path.write_bytes(v11_bytes(V11_ROWS[:7]))
    assert main(["roster", "import", str(path), "--db", str(db), "--allow-plain"]) == 0
    # the SIS blanks the leaver's names and grade: still just a removal, not a rejected row
    leaving = 'stu-006,tobedeleted,,true,org-1,student,,,,,,S2006,,,,,,'
    path.write_bytes(v11_bytes([*V11_ROWS[:5], leaving]))
    capsys.readouterr()
    assert main(["roster", "import", str(path), "--db", str(db), "--allow-plain"]) == 0
    out = capsys.readouterr().out
    assert "marked tobedeleted: 1 (deactivated)" in out and "rejected 0" in out and "deactivated 1" in out
    assert _active(db) == {"S2001": "07", "S2002": "09,10", "S2003": "11", "S2004": "09", "S2005": "KG"}


# ------------------------------------------------------------------ the app's import screen: same rules, same words
async def _run_screen_import(app, pilot, path, *, partial=False, deactivate=False):
    from textual.widgets import Input

    app.screen.query_one("#roster-path", Input).value = str(path)
    app.screen.query_one("#roster-partial").value = partial
    app.screen.query_one("#roster-deactivate").value = deactivate
    await pilot.press("ctrl+s")
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()
    message = app.screen.query_one("#roster-message")
    return str(message.render()), str(app.screen.query_one("#roster-summary").render()), message.has_class("-error")


@pytest.mark.parametrize("size", [(120, 36), (80, 24)])
async def test_import_screen_has_the_same_guards_and_messages(tmp_path, make_app, desk, size):
    from advocate_tui.screens.data_commands import open_roster_import
    from advocate_tui.screens.roster_import import RosterImportScreen

    bad = tmp_path / "bad.csv"
    bad.write_text(SIMPLE_HEADER + "S1,Ann,Lee,9\nS2,Bob\nS3,Cy,Dee,banana\n", encoding="utf-8")
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        open_roster_import(app)
        await pilot.pause()
        assert isinstance(app.screen, RosterImportScreen)
        for box in ("#roster-partial", "#roster-deactivate"):  # both switches on screen, even at 80x24
            region = app.screen.query_one(box).region
            assert region.width > 10 and region.right <= size[0] and region.bottom <= size[1]
        message, summary, error = await _run_screen_import(app, pilot, bad)
        assert error and message == ("Imported, but 2 rows were rejected and 6 missing student(s) were not "
                                     "deactivated (see below).")
        assert "deactivated 0" in summary and "rejected 2" in summary
        assert "no one was deactivated because 2 rows were rejected" in summary
        assert "use the 'partial roster' box" in summary and "--partial" not in summary
        assert "rejected line 4: grade: 'banana' is not a grade" in summary
        for name in ("Ann", "Lee", "Bob", "Dee", "Garcia", "Okafor"):
            assert name not in message + summary
        got = students(desk.store)
        assert got["S1"].grade == "09" and "S3" not in got
        assert all(got[s].active for s in ("S1001", "S1002", "S1003", "S1004", "S1005", "S1006"))
        # both boxes: refused before anything is read
        message, _, error = await _run_screen_import(app, pilot, bad, partial=True, deactivate=True)
        assert error and message.startswith("Tick one box at most")
        # a file from another school: half or more of the roster missing → nobody deactivated
        other = tmp_path / "other.csv"
        other.write_text(SIMPLE_HEADER + "S1,Ann,Lee,9\nN2,Eli,Moss,KG\n", encoding="utf-8")
        message, summary, error = await _run_screen_import(app, pilot, other)
        assert error and message == "Imported, but 6 missing student(s) were not deactivated (see below)."
        assert "no one was deactivated: 6 of the 7 active students are missing" in summary
        assert "the 'deactivate missing students anyway' box" in summary
        assert sum(s.active for s in students(desk.store).values()) == 8
        # ticked: they go (records stay)
        message, summary, error = await _run_screen_import(app, pilot, other, deactivate=True)
        assert not error and message == "Imported." and "deactivated 6" in summary
        assert {k for k, s in students(desk.store).items() if s.active} == {"S1", "N2"}
        # a tobedeleted row is counted and deactivates its student
        users = tmp_path / "users.csv"
        users.write_bytes(v11_bytes(['stu-1,tobedeleted,,true,org-1,student,x,,,,,N2,,,,,,']))
        message, summary, error = await _run_screen_import(app, pilot, users, partial=True)
        assert "marked tobedeleted: 1 (deactivated)" in summary and not students(desk.store)["N2"].active
        # every row rejected: nothing imported, and the rows are listed
        worse = tmp_path / "worse.csv"
        worse.write_text(SIMPLE_HEADER + "S7,Ann,Lee,banana\n", encoding="utf-8")
        message, summary, error = await _run_screen_import(app, pilot, worse)
        assert error and message.startswith("Nothing was imported") and "no student could be imported" in message
        assert summary == "rejected line 2: grade: 'banana' is not a grade (like 07, KG or 09,10)"
        # random bytes: binary data, not "empty"
        junk = tmp_path / "bad3.csv"
        rnd = random.Random(5)
        junk.write_bytes(bytes(rnd.randrange(256) for _ in range(3000)))
        message, summary, error = await _run_screen_import(app, pilot, junk)
        assert error and "is not a CSV roster (binary data" in message and summary == ""


async def test_at_80x24_the_rows_rejected_are_on_screen_after_an_import(tmp_path, make_app, desk):
    """"Imported, but 3 rows were rejected … (see below)": below, at 80x24, showed only the two count lines
    of the result, and which rows were rejected and why was cut off. After an import the help text gives
    its room to the result: every line of it is on screen without scrolling."""
    from advocate_tui.screens.data_commands import open_roster_import

    bad = tmp_path / "bad.csv"
    bad.write_text(SIMPLE_HEADER + "S1,Ann,Lee,9\nS2,Bob\nS3,Cy,Dee,banana\nS4,,Fox,10\n", encoding="utf-8")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        open_roster_import(app)
        await pilot.pause()
        message, summary, error = await _run_screen_import(app, pilot, bad)
        assert error and "3 rows were rejected" in message
        box = app.screen.query_one("#roster-summary-box")
        shown = box.scrollable_content_region.height
        assert summary.count("rejected line") == 3
        assert box.virtual_size.height <= shown, (box.virtual_size.height, shown)
        assert box.region.bottom <= 24


# ------------------------------------------------------------------ names are data, never terminal codes
#: A simple roster with markup in names (imported, as typed) and control characters in names,
#: homeroom and number (rejected, by line and field, never quoting the value); enough ordinary rows
#: that the file is text, not binary data.
HOSTILE_ROSTER = (
    "student_id,given_name,family_name,grade,homeroom,preferred_name\n"
    + "".join(f"K{n},Kim,Ng,9,H-1,\n" for n in range(40))              # lines 2-41
    + "M1,Brack[/x],[sic],9,H-1,[redacted]\n"                            # line 42: markup is just text
    + "M2,[link=https://example.org]Ann,Lee,9,H-1,\n"                    # line 43
    + "C1,Bo\x1b]0;pwned\x07b,Lee,9,H-1,\n"                              # line 44: retitles a terminal
    + "C2,Cy,\x1b[31mRed,9,H-1,\n"                                       # line 45
    + 'C3,"Two\nLines",Lee,9,H-1,\n'                                     # lines 46-47: a line break
    + "C5,Eve,Lee,9,\x1b[2JH-1,\n"                                       # line 48: homeroom
    + "C6,Fay,Lee,9,H-1,\u202eevil\n"                                    # line 49: a bidi override
    + "C\x1b7,Gus,Lee,9,H-1,\n"                                          # line 50: the number
)
CONTROL_REASON = "can't hold control characters (a tab, line break or terminal code)"


def test_names_with_control_characters_are_rejected_by_line_and_the_rest_imported(tmp_path, store):
    path = tmp_path / "roster.csv"
    path.write_text(HOSTILE_ROSTER, encoding="utf-8")
    summary = import_roster(_Desk(store), path)
    assert [(r.line, r.reason) for r in summary.rejected] == [
        (44, f"given name: {CONTROL_REASON}"), (45, f"family name: {CONTROL_REASON}"),
        (46, f"given name: {CONTROL_REASON}"), (48, f"homeroom: {CONTROL_REASON}"),
        (49, f"preferred name: {CONTROL_REASON}"),
        (50, "student_id: not a usable student number (up to 32 characters, no spaces, commas, semicolons or "
             "control characters)"),
    ]
    got = students(store)
    assert summary.added == 42 and not {"C1", "C2", "C3", "C5", "C6"} & set(got)
    assert (got["M1"].given_name, got["M1"].family_name, got["M1"].preferred_name) == ("Brack[/x]", "[sic]", "[redacted]")
    assert got["M2"].given_name == "[link=https://example.org]Ann"
    text = "\n".join(summary.lines())
    assert "\x1b" not in text and "Bo" not in text and "pwned" not in text and "Red" not in text


def test_cli_reports_rows_with_control_characters_without_echoing_them(tmp_path, capsys):
    db = _plain_db(tmp_path / "school.db")
    path = tmp_path / "roster.csv"
    path.write_text(HOSTILE_ROSTER, encoding="utf-8")
    assert main(["roster", "import", str(path), "--db", str(db), "--allow-plain"]) == 3     # good rows in, six rejected
    out = capsys.readouterr()
    assert "added 42" in out.out and "rejected 6" in out.out
    assert f"line 44: given name: {CONTROL_REASON}" in out.out
    assert not any(c in out.out + out.err for c in "\x1b\x07\u202e") and "pwned" not in out.out + out.err


async def test_import_screen_lists_rows_with_control_characters_and_shows_markup_names_as_typed(
        tmp_path, make_app, desk):
    from hostile import rendered
    from textual.widgets import OptionList

    from advocate_tui.screens.data_commands import open_roster_import

    path = tmp_path / "roster.csv"
    path.write_text(HOSTILE_ROSTER, encoding="utf-8")
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        open_roster_import(app)
        await pilot.pause()
        message, summary, error = await _run_screen_import(app, pilot, path, partial=True)
        assert error and message == "Imported, but 6 rows were rejected (see below)."
        assert f"rejected line 44: given name: {CONTROL_REASON}" in summary
        assert "Bo" not in summary and "pwned" not in summary
        rendered(app)
        await pilot.press("escape", "slash", "M", "1")                   # the imported names, as typed
        await pilot.pause()
        matches = app.screen.query_one(OptionList)
        assert str(matches.get_option_at_index(0).prompt) == "[redacted] [sic] (M1 · gr 09 · H-1)"
        assert "[redacted] [sic] (M1 · gr 09 · H-1)" in rendered(app)


def test_a_file_name_with_a_terminal_code_is_quoted_not_sent_raw(tmp_path, capsys):
    db = _plain_db(tmp_path / "school.db")
    missing = tmp_path / "x\x1b]0;pwned\x07\ny.csv"
    assert main(["roster", "import", str(missing), "--db", str(db), "--allow-plain"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "\x1b" not in err and "\x07" not in err
    assert "x\\x1b]0;pwned\\x07\\ny.csv: no such file or folder" in err


def test_a_large_roster_again_changes_only_what_changed_each_change_audited(tmp_path, store):
    """1,200 students (several of the store's batches of writes), then the next term's file: three rows
    changed in different batches, one student gone, one new. Only those are written, each with its audit
    entry saying what changed, and the changed names are what a search finds."""
    def write(rows):
        path = tmp_path / "students.csv"
        path.write_text("student_id,given_name,family_name,grade\n"
                        + "".join(f"{n},{g},{f},{gr}\n" for n, g, f, gr in rows), encoding="utf-8")
        return path

    first = [(f"L{i:04d}", f"Given{i}", f"Family{i}", str(9 + i % 4)) for i in range(1200)]
    assert import_roster(_Desk(store), write(first)).added == 1200
    assert audit_count(store) == 1200
    second = list(first[:1199]) + [("L9999", "Nadia", "Quispe", "9")]
    second[3] = ("L0003", "Renée", "Family3", "10")
    second[700] = ("L0700", "Given700", "Okonkwo-Bell", "9")
    second[1100] = ("L1100", "Given1100", "Family1100", "12")
    summary = import_roster(_Desk(store), write(second))
    assert (summary.added, summary.updated, summary.unchanged, summary.deactivated) == (1, 3, 1196, 1)
    on_file = students(store)
    assert on_file["L0003"].given_name == "Renée" and on_file["L0003"].grade == "10"
    assert on_file["L0700"].family_name == "Okonkwo-Bell" and on_file["L1100"].grade == "12"
    assert on_file["L9999"].active and not on_file["L1199"].active and on_file["L0004"].given_name == "Given4"
    assert audit_count(store) == 1200 + 5
    for number, changed in (("L0003", {"given_name", "grade"}), ("L0700", {"family_name"}), ("L1100", {"grade"}),
                            ("L1199", {"active"})):
        added, change = store.history(number)
        assert added.action == change.action == AuditAction.ROSTER and added.before is None
        assert change.before == added.after and change.after["local_id"] == number
        assert {k for k in change.after if change.after[k] != change.before[k]} - {"updated_at"} == changed
    assert len(store.history("L0004")) == 1 and len(store.history("L9999")) == 1
    assert [s.local_id for s in store.find_students("renee")] == ["L0003"]
    assert [s.local_id for s in store.find_students("okonkwo")] == ["L0700"]
    assert [s.local_id for s in store.find_students("nadia q")] == ["L9999"]
    # the writes leave nothing behind on the store's connection
    assert store.db.execute("SELECT count(*) FROM sqlite_temp_master").fetchone()[0] == 0
