"""An attacker's and a school IT person's test of the files that come in and go out (qa2).

De-identified exports, roster files, handoff bundles, backups: each test drives the real command line
(``cli.main.main``) on a real SQLite file in tmp_path and reads what it wrote, as the person opening the
file would.
"""

from __future__ import annotations

import json
from pathlib import Path

from advocate_tui.cli.main import main
from advocate_tui.models import ContactNote, Student


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
