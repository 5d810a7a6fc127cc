"""A district: two schools (Cedar Hollow, the demo profile, and Lincoln, a copy of it under another name)
that use the same student numbers for different (fictional) students, and a district coordinator's
database holding both schools' signed handoffs."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from advocate_tui.desk import Desk
from advocate_tui.models import Student
from advocate_tui.services import bundle as bs
from advocate_tui.services import handoff as hs
from handoff_helpers import busy_day, trust_of

#: Lincoln's students: the same numbers as Cedar Hollow's (conftest.ROSTER), other people.
LINCOLN_ROSTER = [
    Student(local_id="S1001", given_name="Bea", family_name="Lindgren", grade="07", homeroom="L-12"),
    Student(local_id="S1002", given_name="Kofi", family_name="Mensah", grade="08", homeroom="L-14"),
    Student(local_id="S1003", given_name="Rosa", family_name="Quispe", grade="06", homeroom="L-03"),
    Student(local_id="S1004", given_name="Emil", family_name="Novak", grade="08", homeroom="L-15"),
    Student(local_id="S1005", given_name="Hana", family_name="Sato", grade="07", homeroom="L-11"),
    Student(local_id="S1006", given_name="Luca", family_name="Bianchi", grade="06", homeroom="L-02"),
]


def renamed(profile, name: str, short: str, *, demo: bool | None = None):
    """The profile of another school (or the coordinator's office): the same bells, another name (``demo=False``:
    a real school's, which a database that has recorded its school accepts)."""
    school = {"name": name, "short_name": short} | ({} if demo is None else {"demo": demo})
    return profile.model_copy(update={"school": profile.school.model_copy(update=school)})


def profile_file(folder: Path, name: str, short: str, *, demo: bool = True) -> Path:
    """The demo profile's TOML under another name, for the command line's --profile (``demo=False``: a real
    school's)."""
    from advocate_tui.profile import DEMO_PROFILE_PATH

    text = DEMO_PROFILE_PATH.read_text(encoding="utf-8")
    text = text.replace('name = "Cedar Hollow High School"', f'name = "{name}"')
    text = text.replace('short_name = "cedar-hollow-hs"', f'short_name = "{short}"')
    if not demo:
        text = text.replace("\ndemo = true\n", "\ndemo = false\n")
    path = folder / f"{short}.toml"
    path.write_text(text, encoding="utf-8")
    return path


@dataclass
class District:
    """Both schools' desks, their first day's bundles and what was on them, and the coordinator's desk."""

    cedar: object
    lincoln: object
    coord: object
    cedar_day: dict
    lincoln_day: dict
    cedar_bundle: Path
    lincoln_bundle: Path


@pytest.fixture
def district(desk, profile, clock, tmp_path):
    """Cedar Hollow (the ``desk``) and Lincoln each sign a handoff; the district's database imports both."""
    cedar_day = busy_day(desk)
    cedar_bundle = bs.write_bundle(desk, hs.sign_off(desk, "J. Rivera", "Quiet morning; a fight in the gym"))[0]
    lincoln = Desk.open(tmp_path / "lincoln" / "school.db", renamed(profile, "Lincoln Middle School", "lincoln-ms"),
                        clock=clock)
    lincoln.store.upsert_students(LINCOLN_ROSTER)
    lincoln_day = busy_day(lincoln)
    lincoln_bundle = bs.write_bundle(lincoln, hs.sign_off(lincoln, "M. Okoro"))[0]
    clock.advance(minutes=10)
    coord = Desk.open(tmp_path / "district" / "coord.db", renamed(profile, "District RJ Office", "district-rj"),
                      clock=clock, user="coordinator")
    bs.import_bundle(coord, cedar_bundle, trust=trust_of(desk))
    bs.import_bundle(coord, lincoln_bundle, trust=trust_of(lincoln))
    yield District(desk, lincoln, coord, cedar_day, lincoln_day, cedar_bundle, lincoln_bundle)
    lincoln.close()
    coord.close()


def everything(desk) -> tuple:
    """What a database holds: rows per table, the audit trail's length, the replies kept, every referral."""
    from advocate_tui.models import Referral

    store = desk.store
    return (store.counts(), len(store.audit_trail(limit=100_000)),
            store.db.execute("SELECT count(*) FROM replies").fetchone()[0],
            [r.model_dump() for r in store.select(Referral, include_voided=True)])


def one_line(err: str) -> str:
    """A refusal on stderr: exactly one line."""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]
