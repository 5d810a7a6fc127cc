"""The desk's own keys and theme: the profile's [keys] remap the main screen's keys (footer, help and
palette follow); what can't be used is one line at start and keeps its default; the theme chosen with
ctrl+p is there again at the next start, in an owner-only file."""

from __future__ import annotations

import stat

import pytest

from advocate_tui.app import AdvocateApp
from advocate_tui.desk import Desk
from advocate_tui.desk_settings import settings_path
from advocate_tui.profile import ProfileError, parse_profile
from advocate_tui.profile_toml import profile_to_toml
from advocate_tui.screens.forms.contact import ContactForm
from advocate_tui.screens.forms.incident import IncidentForm
from advocate_tui.screens.help import HelpScreen
from advocate_tui.screens.main import MainScreen
from conftest import ROSTER
from main_seed import screen_text


@pytest.fixture
def keyed(profile, clock, db_path):
    """A desk whose profile, read from TOML as a school writes it, carries ``keys``."""
    desks = []

    def _make(keys: dict[str, str]) -> Desk:
        text = profile_to_toml(profile) + "\n[keys]\n" + "".join(f'{a} = "{k}"\n' for a, k in keys.items())
        desk = Desk.open(db_path, parse_profile(text), clock=clock)
        desk.store.upsert_students(ROSTER)
        desks.append(desk)
        return desk

    yield _make
    for desk in desks:
        desk.close()


def footer_line(app) -> str:
    return screen_text(app).splitlines()[-1]


async def test_a_remapped_key_opens_its_form_and_footer_help_and_palette_show_it(keyed):
    app = AdvocateApp(keyed({"new_incident": "n"}))
    assert app.keys_problem == ""
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        footer = footer_line(app)
        assert "n Incident" in footer and "i Incident" not in footer
        await pilot.press("i")  # the old key: nothing
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, IncidentForm)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        keys = {line.split()[1]: line for line in screen_text(app).splitlines()
                if "New incident" in line or "New contact" in line}
        assert "n" in keys and "c" in keys and "i" not in keys
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        for ch in "new incident":
            await pilot.press("space" if ch == " " else ch)
        await pilot.pause(0.3)
        assert "New incident (quick log) (n)" in screen_text(app)


async def test_the_student_page_follows_the_remap(keyed):
    from forms_helpers import type_text

    app = AdvocateApp(keyed({"new_incident": "n"}))
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        await pilot.press("slash")
        await type_text(pilot, "S1004")
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "StudentScreen"
        assert "n Incident" in footer_line(app)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, IncidentForm)


async def test_a_clash_is_one_line_at_start_and_both_keep_their_keys(keyed):
    app = AdvocateApp(keyed({"new_incident": "c", "bogus_action": "z", "new_referral": "ctlr+r",
                             "help": "ctrl+q", "door_check": "g"}))
    problem = app.keys_problem
    assert "\n" not in problem and problem.startswith("profile [keys]: ")
    assert "c would be both new_incident and new_contact: new_incident keeps its own key" in problem
    assert "bogus_action: no such action (the actions: amend, " in problem and " data, " in problem
    assert "new_referral = 'ctlr+r': ctlr+r is not a key" in problem
    assert "help = 'ctrl+q': ctrl+q is kept for quit" in problem
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        assert [n.message for n in app._notifications] == [problem]  # said on the desk too
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, ContactForm)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, IncidentForm)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("g")  # what could be used is used
        await pilot.pause()
        assert type(app.screen).__name__ == "DoorCheckForm"


def test_two_actions_asked_for_one_key_both_keep_theirs():
    from advocate_tui.commands import resolve_keys

    keymap, problem = resolve_keys({"new_incident": "n", "new_contact": "n", "patrol": "?"})
    assert keymap == {}
    assert "n would be both new_incident and new_contact: new_incident and new_contact keep their own key" in problem
    assert "? would be both patrol and help: patrol keeps its own key" in problem


def test_keys_are_written_and_read_back_in_the_profile(profile):
    text = profile_to_toml(profile.model_copy(update={"keys": {"new_incident": "n", "find_student": "f"}}))
    assert '[keys]\n' in text and 'new_incident = "n"\n' in text
    assert parse_profile(text).keys == {"new_incident": "n", "find_student": "f"}
    with pytest.raises(ProfileError, match=r"keys.new_incident: must be text in quotes"):
        parse_profile(text.replace('new_incident = "n"', "new_incident = 3"))


async def test_the_chosen_theme_is_there_at_the_next_start(desk):
    from conftest import reopen

    app = AdvocateApp(desk)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert app.theme != "nord"
        app.theme = "nord"  # as the palette's theme picker sets it
        await pilot.pause()
    path = settings_path()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    again = AdvocateApp(reopen(desk))
    try:
        async with again.run_test(size=(120, 36)) as pilot:
            await pilot.pause()
            assert again.theme == "nord"
    finally:
        again.desk.close()
