"""Shared fixtures: the demo profile, a frozen school clock, a desk on a real SQLite file in tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest

from advocate_tui.models import Student

#: A Monday morning at the demo school (America/Chicago), during P3.
FROZEN_AT = "2026-11-23 10:45"

#: The example profile of a real (fictional) school in the repository: what a script passes as --profile.
EXAMPLE_PROFILE = str(Path(__file__).resolve().parent.parent / "examples" / "profile-us.toml")

#: A handful of fictional students, enough to tell namesakes apart.
ROSTER = [
    Student(local_id="S1001", given_name="Ana", family_name="Garcia", grade="09", homeroom="H-101"),
    Student(local_id="S1002", given_name="Ana", family_name="Garcia", grade="11", homeroom="H-204"),
    Student(local_id="S1003", given_name="Zoë", family_name="Okafor", preferred_name="Zo", grade="10", homeroom="H-150"),
    Student(local_id="S1004", given_name="Marcus", family_name="Lindqvist", grade="12", homeroom="H-301"),
    Student(local_id="S1005", given_name="Priya", family_name="Ramanathan", grade="09", homeroom="H-102"),
    Student(local_id="S1006", given_name="Tomás", family_name="Herrera", grade="10", homeroom="H-151"),
]


def save_real_demo_profile(config_home: Path) -> Path:
    """The demo school's profile as a real school's (not marked demo), saved as the profile.toml of
    the user config folder under ``config_home``: for tests that start the app from the command line
    on a database made with the demo profile."""
    from advocate_tui.profile import demo_profile
    from advocate_tui.profile_toml import profile_to_toml

    profile = demo_profile()
    real = profile.model_copy(update={"school": profile.school.model_copy(update={"demo": False})})
    path = config_home / "advocate-tui" / "profile.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(profile_to_toml(real), encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def private_dirs(tmp_path_factory, monkeypatch):
    """Keep every test away from the real user folders (data, config, state, crash reports)."""
    home = tmp_path_factory.mktemp("home")
    for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(var, str(home / var.lower()))
    monkeypatch.delenv("ADVOCATE_PASSPHRASE", raising=False)
    monkeypatch.delenv("ADVOCATE_PROFILE", raising=False)
    return home


@pytest.fixture
def profile():
    from advocate_tui.profile import demo_profile

    return demo_profile()


@pytest.fixture
def clock(profile):
    from advocate_tui.clock import Clock

    return Clock.frozen(profile, FROZEN_AT)


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "school" / "advocate.db"


@pytest.fixture
def desk(profile, clock, db_path):
    """A desk on a fresh database with the small fictional roster."""
    from advocate_tui.desk import Desk

    d = Desk.open(db_path, profile, clock=clock)
    d.store.upsert_students(ROSTER)
    yield d
    d.close()


@pytest.fixture
def make_app(desk):
    """Build the app on the desk (call with coordinator=True for the coordinator's view)."""
    from advocate_tui.app import AdvocateApp

    def _make(**kwargs):
        return AdvocateApp(desk, **kwargs)

    return _make


def reopen(desk):
    """A fresh desk on the same file and clock, as after a restart of the app."""
    from advocate_tui.desk import Desk

    desk.close()
    return Desk.open(desk.store.path, desk.profile, clock=desk.clock)


@pytest.fixture(scope="session")
def demo_file(tmp_path_factory):
    """The demo school built once per run (clock frozen at FROZEN_AT); tests copy it before use."""
    from advocate_tui.clock import Clock
    from advocate_tui.demo import build_demo
    from advocate_tui.profile import demo_profile
    from advocate_tui.store import Store

    profile = demo_profile()
    clock = Clock.frozen(profile, FROZEN_AT)
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    store = Store.open(path, tz=profile.school.timezone, now=clock.now)
    build_demo(store, profile, clock)
    store.close()
    return path


@pytest.fixture
def demo_desk(demo_file, tmp_path, profile, clock):
    """A desk on a copy of the demo school (its referrals, processes and a day of records)."""
    import shutil

    from advocate_tui.desk import Desk

    path = tmp_path / "demo.db"
    shutil.copy(demo_file, path)
    d = Desk.open(path, profile, clock=clock)
    yield d
    d.close()
