"""A profile that validated before is built from the cache of validated profiles, without pydantic (issue 16:
importing pydantic and building the profile's validators was ~0.1 s of every start); an edited profile is
validated again, a damaged or foreign cache file is ignored, and the cache is owner-only."""

from __future__ import annotations

import hashlib
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from advocate_tui.profile import DEMO_PROFILE_PATH, ProfileError, SchoolProfile, demo_profile, load_profile

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "profile-us.toml"


def cached_files(home: Path) -> list[Path]:
    """The cache files of validated profiles under the test's private folders."""
    folder = home / "xdg_cache_home" / "advocate-tui" / "profiles"
    return sorted(folder.glob("*.json")) if folder.exists() else []


def a_school_profile(tmp_path: Path, text: str | None = None) -> Path:
    path = tmp_path / "profile.toml"
    path.write_text(text if text is not None else EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    return path


def test_an_unchanged_profile_is_built_without_pydantic_at_the_next_start(tmp_path):
    """The first start validates the school's profile (and the demo's) with pydantic; the next start with the
    same files builds the same profiles without importing pydantic."""
    path = a_school_profile(tmp_path)
    script = ("import sys; from advocate_tui.profile import load_profile, demo_profile; "
              f"p = load_profile({str(path)!r}); d = demo_profile(); u = demo_profile(uk=True); "
              "print('pydantic' in sys.modules, p.school.name, p.bell_schedule[0].start, d.school.demo, u.terms.grade)")
    env = {**os.environ}  # (the private XDG folders of the test, from conftest)
    first = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, env=env)
    assert first.returncode == 0, first.stderr
    assert first.stdout.split()[0] == "True"  # validated: pydantic was needed
    again = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, env=env)
    assert again.returncode == 0, again.stderr
    assert again.stdout.split()[0] == "False"
    assert again.stdout.split()[1:] == first.stdout.split()[1:]


@pytest.mark.parametrize("source", ["example", "demo", "uk-demo", "uk-example"])
def test_a_profile_from_the_cache_is_the_validated_profile(tmp_path, private_dirs, source):
    """Every field comes back as validated: the cached profile equals the one pydantic made (names, times,
    dates, nested tables, defaults filled in)."""
    import tomllib

    from advocate_tui.profile import DEMO_PROFILE_UK_PATH
    from advocate_tui.profile_fields import adapter

    paths = {"example": EXAMPLE, "demo": DEMO_PROFILE_PATH, "uk-demo": DEMO_PROFILE_UK_PATH,
             "uk-example": EXAMPLE.with_name("profile-uk.toml")}
    path = a_school_profile(tmp_path, paths[source].read_text(encoding="utf-8"))
    validated = adapter(SchoolProfile).validate_python(tomllib.loads(path.read_text(encoding="utf-8")))
    first = load_profile(path)
    assert len(cached_files(private_dirs)) == 1
    again = load_profile(path)
    assert again == first == validated and again is not first
    with pytest.raises(AttributeError):
        again.school.name = "Another"  # frozen, as validated


def test_an_edited_profile_is_validated_again_and_refused_with_its_line(tmp_path, private_dirs):
    path = a_school_profile(tmp_path)
    load_profile(path)
    assert len(cached_files(private_dirs)) == 1  # the start before kept it
    path.write_text(path.read_text(encoding="utf-8").replace("idle_lock_minutes = 3", "idle_lock_minutes = 0"),
                    encoding="utf-8")
    with pytest.raises(ProfileError) as info:
        load_profile(path)
    assert str(info.value) == f"{path}: idle_lock_minutes: must be at least 1, not 0"
    assert len(cached_files(private_dirs)) == 1  # a refused profile is not kept


def test_a_damaged_or_foreign_cache_file_is_ignored(tmp_path, private_dirs):
    """A cache file cut short, of another profile's content, or with a value of the wrong type (its checksum
    made to fit) is not trusted: the profile is validated again, as if there were none."""
    path = a_school_profile(tmp_path)
    expected = load_profile(path)
    (kept,) = cached_files(private_dirs)
    text = kept.read_text(encoding="utf-8")

    kept.write_text(text[: len(text) // 2], encoding="utf-8")  # cut short
    assert load_profile(path) == expected

    (tmp_path / "other").mkdir()
    other = a_school_profile(tmp_path / "other", DEMO_PROFILE_PATH.read_text(encoding="utf-8"))
    demo = load_profile(other)
    (theirs,) = [f for f in cached_files(private_dirs) if f != kept]
    kept.write_text(theirs.read_text(encoding="utf-8"), encoding="utf-8")  # another file's validated profile
    assert load_profile(path) == expected != demo

    head, body = text.split("\n", 1)
    data = json.loads(body)
    data["idle_lock_minutes"] = "3"  # text where a number belongs
    body = json.dumps(data)
    meta = {**json.loads(head), "sum": hashlib.sha256(body.encode()).hexdigest()}
    kept.write_text(json.dumps(meta) + "\n" + body, encoding="utf-8")
    assert load_profile(path) == expected and load_profile(path).idle_lock_minutes == 3

    kept.write_text("\x00\xff garbage", encoding="latin-1")
    assert load_profile(path) == expected
    assert kept.read_text(encoding="utf-8") == text  # validated again, and kept again


def test_another_version_of_the_app_validates_again(tmp_path, private_dirs, monkeypatch):
    import advocate_tui

    path = a_school_profile(tmp_path)
    load_profile(path)
    monkeypatch.setattr(advocate_tui, "__version__", "99.0")
    assert load_profile(path) == load_profile(path)
    assert len(cached_files(private_dirs)) == 2  # its own key: the older version's file is not read


def test_the_cache_is_owner_only(tmp_path, private_dirs):
    old = os.umask(0)  # the loosest umask: modes are set explicitly
    try:
        demo_profile()
    finally:
        os.umask(old)
    (kept,) = cached_files(private_dirs)
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert stat.S_IMODE(kept.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(kept.parent.parent.stat().st_mode) == 0o700
