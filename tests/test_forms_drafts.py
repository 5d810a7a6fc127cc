"""Drafts: what is typed in an open form survives the app stopping without saving, and is offered back."""

from __future__ import annotations

from conftest import reopen
from forms_helpers import SIZE, open_form, screen_text, type_text

from advocate_tui.app import AdvocateApp
from advocate_tui.models import ContactNote, Incident
from advocate_tui.screens.forms import ContactForm, IncidentForm, RestoreDrafts
from advocate_tui.services import drafts, recording

DRAFT_WAIT = 1.3  # the form writes its draft after about a second without typing


async def test_a_crash_loses_nothing_typed(desk, make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_form(pilot, "i", IncidentForm)
        await type_text(pilot, "zo")
        await pilot.press("enter", "h", "enter")
        await type_text(pilot, "tech")
        await pilot.press("enter")
        await type_text(pilot, "phone out during the test")
        await pilot.press("enter", "g", "enter")                # location: Gym
        await pilot.pause(DRAFT_WAIT)
        # the app stops here without saving (as if the power went)
    assert desk.store.on_day(Incident, "2026-11-23") == []

    fresh = reopen(desk)
    try:
        [left] = drafts.pending_drafts(fresh)
        assert left.form == "incident" and left.data["description"] == "phone out during the test"
        app2 = AdvocateApp(fresh)
        async with app2.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert isinstance(app2.screen, RestoreDrafts)      # the main screen offers it at start
            assert "Incident · 10:45 · Zo Okafor · phone out during the test" in screen_text(app2)
            await pilot.press("enter")                          # reopen it
            await pilot.pause()
            form = app2.screen
            assert isinstance(form, IncidentForm)
            values = form.values()
            assert values["students"] == [{"student_id": "S1003", "role": "harmed"}]
            assert values["behavior"] == "Technology violation"
            assert values["description"] == "phone out during the test"
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert not isinstance(app2.screen, IncidentForm)
        [saved] = fresh.store.on_day(Incident, "2026-11-23")
        assert saved.description == "phone out during the test" and saved.student_ids() == ["S1003"]
        assert drafts.pending_drafts(fresh) == []               # a saved form clears its draft
    finally:
        fresh.close()


async def test_cancelled_form_clears_its_draft_and_amend_drafts_keep_the_record(desk, make_app):
    note = recording.save(desk, "contact", {"student": "S1005", "note": "first try", "contact_kind": "check_in"})
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_form(pilot, "c", ContactForm)
        await type_text(pilot, "priya")
        await pilot.press("enter")
        await pilot.pause(DRAFT_WAIT)
        assert len(drafts.pending_drafts(desk, include_live=True)) == 1
        assert drafts.pending_drafts(desk) == []        # a form open right now is not a crash's leftover
        await pilot.press("escape", "y")
        await pilot.pause()
        assert drafts.pending_drafts(desk, include_live=True) == []

        app.push_screen(ContactForm(record=note))
        await pilot.pause()
        await pilot.press("tab", "tab", "end")
        await type_text(pilot, " (again)")
        await pilot.pause(DRAFT_WAIT)
    fresh = reopen(desk)
    try:
        [left] = drafts.pending_drafts(fresh)
        assert left.record_id == note.id and left.record == note
        app2 = AdvocateApp(fresh)
        async with app2.run_test(size=SIZE) as pilot:
            await pilot.pause()
            if isinstance(app2.screen, RestoreDrafts):
                app2.screen.dismiss(None)
                await pilot.pause()
            from advocate_tui.screens.forms import FormScreen

            app2.push_screen(FormScreen.from_draft(left))
            await pilot.pause()
            assert app2.screen.title_text == "Amend contact note"
            await pilot.press("ctrl+s")
            await pilot.pause()
        amended = fresh.store.get(ContactNote, note.id)
        assert amended.note == "first try (again)" and amended.amended
        assert drafts.pending_drafts(fresh) == []
    finally:
        fresh.close()


_WRITER = """
import sys, time
from advocate_tui.clock import Clock
from advocate_tui.desk import Desk
from advocate_tui.profile import demo_profile
from advocate_tui.services import drafts
p = demo_profile()
d = Desk.open(sys.argv[1], p, clock=Clock.frozen(p, "2026-11-23 10:45"))
drafts.save_draft(d, "contact:new:" + sys.argv[2], "contact", {"student": "S1001", "note": "typed at desk " + sys.argv[2]})
print("written", flush=True)
if sys.argv[2] == "live":
    time.sleep(60)
"""


def test_only_drafts_of_stopped_apps_are_offered(desk):
    """Another desk's form still open (advocate serve: a process per browser) is not offered back."""
    import subprocess
    import sys

    path = str(desk.store.path)
    subprocess.run([sys.executable, "-c", _WRITER, path, "gone"], check=True, capture_output=True)
    live = subprocess.Popen([sys.executable, "-c", _WRITER, path, "live"], stdout=subprocess.PIPE, text=True)
    try:
        assert live.stdout.readline().strip() == "written"
        offered = [d.data["note"] for d in drafts.pending_drafts(desk)]
        assert offered == ["typed at desk gone"]
        assert len(drafts.pending_drafts(desk, include_live=True)) == 2
    finally:
        live.kill()
        live.wait()
    assert sorted(d.data["note"] for d in drafts.pending_drafts(desk)) == ["typed at desk gone", "typed at desk live"]


async def test_discard_one_draft_and_reopen_the_other(desk):
    import subprocess
    import sys

    for name in ("one", "two"):
        subprocess.run([sys.executable, "-c", _WRITER, str(desk.store.path), name], check=True, capture_output=True)
    app = AdvocateApp(desk)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, RestoreDrafts)
        text = screen_text(app)
        assert "Contact note · 10:45 · Ana Garcia · typed at desk one" in text and "typed at desk two" in text
        await pilot.press("delete")                   # discard the highlighted (first) one
        await pilot.pause()
        assert len(drafts.pending_drafts(desk)) == 1
        await pilot.press("enter")                    # reopen the other
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ContactForm)
        kept = form.values()["note"]
        await pilot.press("ctrl+s")
        await pilot.pause()
    [note] = desk.store.on_day(ContactNote, "2026-11-23")
    assert note.note == kept and note.student_id == "S1001"
    assert drafts.pending_drafts(desk) == []


async def test_keys_typed_at_start_over_the_offer_discard_nothing_and_crash_nothing(desk):
    """The offer pops up by itself at start; an advocate already typing i, a name and enters (a d in
    the name, two enters) neither discards a draft nor stops the app."""
    import subprocess
    import sys

    from forms_helpers import burst

    for name in ("one", "two"):
        subprocess.run([sys.executable, "-c", _WRITER, str(desk.store.path), name], check=True, capture_output=True)
    app = AdvocateApp(desk)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, RestoreDrafts)
        await burst(pilot, "i", *"dana", "enter", "enter", "enter")
        await pilot.pause()
        assert app.is_running
    assert len(drafts.pending_drafts(desk, include_live=True)) == 2
