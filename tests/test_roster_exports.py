"""Roster import of the student lists school systems export (PowerSchool, Infinite Campus, Clever, Skyward,
Aeries, Synergy) and of any other layout through a column map remembered in the school profile.

Every name here is fictional. Each test checks the students in the database and the summary a user reads,
through the command line (``main``) or the import screen (Pilot).
"""

from __future__ import annotations

import stat

import pytest
from test_roster_import import _Desk, _plain_db, _run_screen_import, store, students  # noqa: F401 - store: a fixture

from advocate_tui.cli.main import main
from advocate_tui.profile import DEMO_PROFILE_PATH, load_profile
from advocate_tui.services.roster import RosterError, import_roster, read_roster
from advocate_tui.store import Store
from advocate_tui.store.stats_queries import all_students

#: PowerSchool's Quick Export: tab-separated, Windows-1252, CR line ends, extra columns, Grade_Level 0 for K
POWERSCHOOL = [
    "Student_Number\tLast_Name\tFirst_Name\tMiddle_Name\tGrade_Level\tHome_Room\tSchoolID\tDCID",
    "104417\tMüller\tZoë\t\t9\t114\t120\t88123",
    "104418\tPeña\tJosé\tMiguel\t0\tK-2\t120\t88124",
    "104419\tO’Connell\tSiobhán\t\t12\t\t120\t88125",
]
#: Clever's SFTP students.csv with every column of its specification
CLEVER_HEADER = ("School_id,Student_id,Student_number,State_id,Last_name,Middle_name,First_name,Grade,Gender,"
                 "Graduation_year,DOB,Race,Hispanic_Latino,Home_language,Ell_status,Frl_status,IEP_status,"
                 "Student_street,Student_city,Student_state,Student_zip,Student_email,Contact_relationship,"
                 "Contact_type,Contact_email,Contact_sis_id,Username,Password")
CLEVER_ROWS = [
    "sch-1,c-5501,22001,CA99001,Adeyemi,,Tobi,Kindergarten,M,2038,03/14/2020,B,N,Yoruba,N,N,N,1 Elm St,Oakton,CA,"
    "90001,,,,,,tadeyemi,",
    "sch-1,c-5502,22002,CA99002,Nakamura,Rei,Hana,10,F,2029,07/02/2011,A,N,Japanese,N,Y,N,,,,,,,,,,hnakamura,",
]
UNKNOWN_LAYOUT = "Pupil No|Forename|Surname|Year|Form\nU1001|Nia|Ward|9|9B\nU1002|Ravi|Patel|10|10C\n"
PUPIL_MAP = "student_id=Pupil No,given_name=Forename,family_name=Surname,grade=Year,homeroom=Form"


def cli(*argv: str) -> int:
    return main(["roster", "import", *argv, "--allow-plain"])   # the test databases are unencrypted


def on_file(db) -> dict:
    s = Store.open(db, tz="America/Chicago")
    try:
        return {x.local_id: x for x in all_students(s)}
    finally:
        s.close()


def school_profile(tmp_path):
    """The school's profile file (the demo's text, owner-only as the first start writes it)."""
    path = tmp_path / "config" / "profile.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(DEMO_PROFILE_PATH.read_text(encoding="utf-8"), encoding="utf-8")
    path.chmod(0o600)
    return path


# ------------------------------------------------------------------ school systems' exports
def test_powerschool_tab_separated_windows_1252_export_through_the_command_line(tmp_path, capsys):
    db = _plain_db(tmp_path / "school.db")
    path = tmp_path / "student.export.text"
    path.write_bytes(("\r".join(POWERSCHOOL) + "\r").encode("cp1252"))
    assert cli(str(path), "--db", str(db)) == 0
    out = capsys.readouterr()
    assert out.out.splitlines()[:3] == [
        "PowerSchool student export (tab-separated, Windows-1252): 3 row(s) read",
        "columns: Student_Number→student id, First_Name→given name, Last_Name→family name, Grade_Level→grade, "
        "Home_Room→homeroom",
        "added 3 · updated 0 · unchanged 0 · deactivated 0 · skipped 0 · rejected 0",
    ]
    got = on_file(db)
    assert [(s.given_name, s.family_name, s.grade, s.homeroom) for s in got.values()] == [
        ("Zoë", "Müller", "09", "114"), ("José", "Peña", "KG", "K-2"), ("Siobhán", "O’Connell", "12", None)]
    assert set(got) == {"104417", "104418", "104419"}
    for name in ("Zoë", "Müller", "José", "Peña", "104417"):
        assert name not in out.out + out.err


def test_clever_students_csv_takes_the_student_number(tmp_path, capsys):
    db = _plain_db(tmp_path / "school.db")
    path = tmp_path / "students.csv"
    path.write_text("\r\n".join([CLEVER_HEADER, *CLEVER_ROWS]) + "\r\n", encoding="utf-8")
    assert cli(str(path), "--db", str(db)) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[:2] == ["Clever students.csv: 2 row(s) read",
                         "columns: Student_number→student id, First_name→given name, Last_name→family name, "
                         "Grade→grade"]
    got = on_file(db)
    assert sorted(got) == ["22001", "22002"]   # the school's student number, not Clever's Student_id
    assert (got["22001"].given_name, got["22001"].family_name, got["22001"].grade) == ("Tobi", "Adeyemi", "KG")
    assert (got["22002"].given_name, got["22002"].grade, got["22002"].homeroom) == ("Hana", "10", None)


async def test_infinite_campus_export_on_the_import_screen(tmp_path, make_app, desk):
    from advocate_tui.screens.data_commands import open_roster_import

    path = tmp_path / "ic_students.csv"
    path.write_text("studentNumber,lastName,firstName,grade,homeroom\n"
                    "310045,Haddad,Tariq,07,H-7\n310046,Brenner,Ilse,KG,H-K\n", encoding="utf-8")
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        open_roster_import(app)
        await pilot.pause()
        message, summary, error = await _run_screen_import(app, pilot, path, partial=True)
    assert not error and message == "Imported."
    assert summary.splitlines()[:3] == [
        "Infinite Campus student export: 2 row(s) read",
        "columns: studentNumber→student id, firstName→given name, lastName→family name, grade→grade, "
        "homeroom→homeroom",
        "added 2 · updated 0 · unchanged 0 · deactivated 0 · skipped 0 · rejected 0",
    ]
    got = students(desk.store)
    assert (got["310045"].given_name, got["310045"].grade, got["310045"].homeroom) == ("Tariq", "07", "H-7")
    assert got["310046"].grade == "KG" and got["S1001"].active   # partial: the others stay


@pytest.mark.parametrize(("text", "kind", "expected"), [
    # Skyward: Other ID is the number the school uses; Stu-prefixed names; semicolons
    ("Student ID;Other ID;Stu Last Name;Stu First Name;Grade;Homeroom;Nickname\n"
     "8812;40101;Ekström;Nils;08;214;\n8813;40102;Mensah;Abena;11;301;Abby\n",
     "Skyward student export (semicolon-separated)", {"40101": ("Nils", "Ekström", "08", "214", None),
                                                       "40102": ("Abena", "Mensah", "11", "301", "Abby")}),
    # Aeries: Perm ID (the district's permanent number) over Student ID; -1 is transitional kindergarten
    ("Student ID,Perm ID,Last Name,First Name,Grade,Nickname\n12,900301,Quispe,Rosa,-1,\n13,900302,Tran,Minh,5,Bao\n",
     "Aeries student export", {"900301": ("Rosa", "Quispe", "TK", None, None),
                               "900302": ("Minh", "Tran", "05", None, "Bao")}),
    # Synergy: Perm ID, Home Room, pipes
    ("Perm ID|Last Name|First Name|Middle Name|Grade|Home Room\n700501|Kowalski|Marta||06|B12\n",
     "Synergy student export (pipe-separated)", {"700501": ("Marta", "Kowalski", "06", "B12", None)}),
])
def test_skyward_aeries_and_synergy_exports(tmp_path, store, text, kind, expected):
    path = tmp_path / "export.csv"
    path.write_text(text, encoding="utf-8")
    summary = import_roster(_Desk(store), path, partial=True)
    assert summary.lines()[0] == f"{kind}: {len(expected)} row(s) read"
    got = students(store)
    assert {k: (got[k].given_name, got[k].family_name, got[k].grade, got[k].homeroom, got[k].preferred_name)
            for k in expected} == expected


def test_a_bad_row_of_an_export_names_its_column_not_its_value(tmp_path, store):
    path = tmp_path / "export.txt"
    path.write_bytes(("\r".join([*POWERSCHOOL, "\tNoNumber\tAda\t\t9\t1\t120\t1", "104420\tLee\tBo\t\t99\t1\t120\t2",
                                 "104417\tTwin\tAnn\t\t9\t1\t120\t3"]) + "\r").encode("cp1252"))
    summary = import_roster(_Desk(store), path, partial=True)
    assert [str(r) for r in summary.rejected] == [
        "line 5: Student_Number: missing", "line 6: grade: '99' is not a grade (like 07, KG or 09,10)",
        "line 7: Student_Number: same student number as line 2"]
    assert summary.added == 3 and "NoNumber" not in "\n".join(summary.lines())


# ------------------------------------------------------------------ any other layout: a column map, remembered
def test_unknown_layout_is_mapped_once_and_the_map_is_remembered(tmp_path, capsys):
    db = _plain_db(tmp_path / "school.db")
    profile = school_profile(tmp_path)
    before = profile.read_text(encoding="utf-8")
    path = tmp_path / "pupils.csv"
    path.write_text(UNKNOWN_LAYOUT, encoding="utf-8")
    assert cli(str(path), "--db", str(db), "--profile", str(profile)) == 1   # not recognised: one line
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and "pupils.csv is not a roster" in err[0] and "--map student_id=COLUMN" in err[0]
    assert on_file(db) == {}
    assert cli(str(path), "--db", str(db), "--profile", str(profile), "--map", PUPIL_MAP) == 0
    out = capsys.readouterr()
    assert out.out.splitlines() == [
        "student list (pipe-separated, columns from --map): 2 row(s) read",
        "columns: Pupil No→student id, Forename→given name, Surname→family name, Year→grade, Form→homeroom",
        "added 2 · updated 0 · unchanged 0 · deactivated 0 · skipped 0 · rejected 0",
        f"column map remembered in {profile} [roster.map]: the next file with these columns needs no --map",
    ]
    assert {k: (s.given_name, s.family_name, s.grade, s.homeroom) for k, s in on_file(db).items()} == {
        "U1001": ("Nia", "Ward", "09", "9B"), "U1002": ("Ravi", "Patel", "10", "10C")}
    # the profile keeps every line it had (comments too), gains the map, stays owner-only and loads
    after = profile.read_text(encoding="utf-8")
    assert after.startswith(before) and "[roster.map]" in after
    assert stat.S_IMODE(profile.stat().st_mode) == 0o600
    assert load_profile(profile).roster.map == {"student_id": "Pupil No", "given_name": "Forename",
                                                "family_name": "Surname", "grade": "Year", "homeroom": "Form"}
    # next term's file, same layout: no --map needed
    path.write_text(UNKNOWN_LAYOUT.replace("|10|10C", "|11|11A") + "U1003|Ines|Costa|9|9B\n", encoding="utf-8")
    assert cli(str(path), "--db", str(db), "--profile", str(profile)) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[:3] == [
        "student list (pipe-separated, columns from the profile's [roster.map]): 3 row(s) read",
        "columns: Pupil No→student id, Forename→given name, Surname→family name, Year→grade, Form→homeroom",
        "added 1 · updated 1 · unchanged 1 · deactivated 0 · skipped 0 · rejected 0",
    ]
    assert len(lines) == 3   # nothing new to remember
    got = on_file(db)
    assert (got["U1002"].grade, got["U1002"].homeroom, got["U1003"].given_name) == ("11", "11A", "Ines")
    # a recognised export with other columns is not bent by the remembered map
    other = tmp_path / "ic.csv"
    other.write_text("studentNumber,firstName,lastName,grade\nU1003,Ines,Costa,10\n", encoding="utf-8")
    assert cli(str(other), "--db", str(db), "--profile", str(profile), "--partial") == 0
    assert capsys.readouterr().out.startswith("Infinite Campus student export: 1 row(s) read")
    assert on_file(db)["U1003"].grade == "10"


def test_a_map_changes_one_column_of_a_recognised_export_and_replaces_the_remembered_one(tmp_path, capsys):
    db = _plain_db(tmp_path / "school.db")
    profile = school_profile(tmp_path)
    path = tmp_path / "pupils.csv"
    path.write_text(UNKNOWN_LAYOUT, encoding="utf-8")
    assert cli(str(path), "--db", str(db), "--profile", str(profile), "--map", PUPIL_MAP) == 0
    export = tmp_path / "ps.txt"
    export.write_text("Student_Number\tFirst_Name\tLast_Name\tGrade_Level\tHome_Room\tAdvisor\n"
                      "5001\tKai\tMoreno\t9\t114\tRm 2\n", encoding="utf-8")
    capsys.readouterr()
    assert cli(str(export), "--db", str(db), "--profile", str(profile), "--partial", "--map", "homeroom=Advisor") == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[:2] == ["PowerSchool student export (tab-separated, columns from --map): 1 row(s) read",
                         "columns: Student_Number→student id, First_Name→given name, Last_Name→family name, "
                         "Grade_Level→grade, Advisor→homeroom (mapped)"]
    assert on_file(db)["5001"].homeroom == "Rm 2"
    text = profile.read_text(encoding="utf-8")
    assert text.count("[roster.map]") == 1 and load_profile(profile).roster.map == {"homeroom": "Advisor"}


def test_a_map_with_the_built_in_demo_profile_is_used_but_not_remembered(tmp_path, capsys):
    db = _plain_db(tmp_path / "school.db")
    path = tmp_path / "pupils.csv"
    path.write_text(UNKNOWN_LAYOUT, encoding="utf-8")
    assert cli(str(path), "--db", str(db), "--map", PUPIL_MAP) == 0
    out = capsys.readouterr()
    assert out.err.splitlines() == ["advocate: the column map was used but not remembered: the built-in demo "
                                    "profile is in use (give the school's --profile FILE to keep it there)"]
    assert sorted(on_file(db)) == ["U1001", "U1002"]


@pytest.mark.parametrize(("map_text", "code", "expected"), [
    ("first=Forename", 2, "advocate: --map: unknown field 'first' (the fields: student_id, given_name, family_name, "
                          "grade, homeroom, preferred_name)"),
    ("student_id", 2, "advocate: --map: 'student_id' is not FIELD=COLUMN (like student_id=Student_Number)"),
    ("grade=Year,grade=Form", 2, "advocate: --map: grade is given twice"),
    ("student_id=Pupil Number,given_name=Forename,family_name=Surname", 1,
     "advocate: --map: column 'Pupil Number' is not in the header of pupils.csv (line 1)"),
    ("student_id=Pupil No,given_name=Forename", 1,
     "advocate: pupils.csv: the column map (--map) does not say where family_name is, and the file is no layout "
     "this program knows: add family_name=COLUMN"),
])
def test_a_bad_map_is_one_line_and_changes_nothing(tmp_path, capsys, map_text, code, expected):
    db = _plain_db(tmp_path / "school.db")
    profile = school_profile(tmp_path)
    before = profile.read_text(encoding="utf-8")
    path = tmp_path / "pupils.csv"
    path.write_text(UNKNOWN_LAYOUT, encoding="utf-8")
    assert cli(str(path), "--db", str(db), "--profile", str(profile), "--map", map_text) == code
    out = capsys.readouterr()
    assert out.out == "" and out.err.splitlines() == [expected]
    assert on_file(db) == {} and profile.read_text(encoding="utf-8") == before


def test_a_map_is_not_for_oneroster(tmp_path):
    from test_roster_import import v11_bytes

    path = tmp_path / "users.csv"
    path.write_bytes(v11_bytes())
    with pytest.raises(RosterError, match="is a OneRoster users.csv, whose columns are known"):
        read_roster(path, column_map={"student_id": "identifier"})


def test_a_profile_whose_map_table_sits_before_other_tables_is_rewritten_in_place(tmp_path, capsys):
    from advocate_tui.services.roster_memory import remember_map

    profile = school_profile(tmp_path)
    text = profile.read_text(encoding="utf-8")
    first_table = text.index("[school]")
    profile.write_text(text[:first_table] + '[roster.map]\nstudent_id = "Old"  # kept by hand\n\n'
                       + text[first_table:], encoding="utf-8")
    remember_map(profile, {"student_id": "Pupil No", "given_name": "Forename", "family_name": "Sur\"name"})
    after = profile.read_text(encoding="utf-8")
    assert '"Old"' not in after and after.endswith(text[first_table:]) and after.count("[roster.map]") == 1
    assert load_profile(profile).roster.map["family_name"] == 'Sur"name'
    # a map written some other way can't be rewritten safely: one line, the file as it was
    inline = text.replace("idle_lock_minutes = 3", 'idle_lock_minutes = 3\nroster = { map = { grade = "Yr" } }')
    profile.write_text(inline, encoding="utf-8")
    with pytest.raises(Exception, match=r"its roster map is not a \[roster.map\] table"):
        remember_map(profile, {"grade": "Year"})
    assert profile.read_text(encoding="utf-8") == inline


async def test_the_import_screen_takes_a_column_map_and_remembers_it(tmp_path, make_app, desk):
    from textual.widgets import Input

    from advocate_tui.screens.data_commands import open_roster_import

    profile = school_profile(tmp_path)
    desk.extras["profile_path"] = profile
    path = tmp_path / "pupils.csv"
    path.write_text(UNKNOWN_LAYOUT, encoding="utf-8")
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        open_roster_import(app)
        await pilot.pause()
        field = app.screen.query_one("#roster-map", Input)
        field.value = "first=Forename"                        # a bad map: said where the user looks, text kept
        message, _, error = await _run_screen_import(app, pilot, path, partial=True)
        assert error and message == ("the column map: unknown field 'first' (the fields: student_id, given_name, "
                                     "family_name, grade, homeroom, preferred_name)")
        assert field.value == "first=Forename" and "U1001" not in students(desk.store)
        field.value = PUPIL_MAP
        message, summary, error = await _run_screen_import(app, pilot, path, partial=True)
        assert not error and message == "Imported."
        assert summary.splitlines()[0] == "student list (pipe-separated, columns from the column map): 2 row(s) read"
        assert summary.splitlines()[-1] == (f"column map remembered in {profile} [roster.map]: the next file with "
                                            "these columns needs none")
        assert load_profile(profile).roster.map["student_id"] == "Pupil No"
        # the next file in that layout, map field empty: the remembered map reads it
        field.value = ""
        path.write_text(UNKNOWN_LAYOUT + "U1003|Ines|Costa|9|9B\n", encoding="utf-8")
        message, summary, error = await _run_screen_import(app, pilot, path, partial=True)
        assert not error and "columns from the profile's [roster.map]" in summary.splitlines()[0]
        assert "added 1 · updated 0 · unchanged 2" in summary
    got = students(desk.store)
    assert (got["U1001"].given_name, got["U1001"].homeroom, got["U1003"].family_name) == ("Nia", "9B", "Costa")


def test_a_column_name_holding_a_terminal_code_is_shown_without_it(tmp_path, capsys):
    db = _plain_db(tmp_path / "school.db")
    path = tmp_path / "export.txt"
    path.write_text("Stu\x07dent_Number\tFirst_Name\tLast_\x1bName\tGrade_Level\n\t\x1b]0;pwned\x07Ada\tLee\t9\n"
                    + "".join(f"{5001 + n}\tBo\tYu\t9\n" for n in range(40)), encoding="utf-8")  # text, not binary
    assert cli(str(path), "--db", str(db), "--partial") == 3
    out = capsys.readouterr()
    assert out.out.splitlines()[1] == ("columns: Student_Number→student id, First_Name→given name, "
                                       "Last_Name→family name, Grade_Level→grade")
    assert "rejected line 2: Student_Number: missing" in out.out.splitlines()
    assert not any(c in out.out + out.err for c in "\x1b\x07") and "pwned" not in out.out + out.err
    assert len(on_file(db)) == 40 and "5001" in on_file(db)
