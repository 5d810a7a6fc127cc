"""The handoff review by keys: an incident logged late reaches the next handoff, rows of other days say
their date, signing asks first, an empty handoff says so, tab moves out of the summary, keys typed
right after H land in the summary."""

from __future__ import annotations

from textual import events
from textual.widgets import Input, Static, TextArea

from advocate_tui.app import AdvocateApp
from advocate_tui.models import ContactNote, Handoff, Incident, Referral
from advocate_tui.screens.forms.confirm import ConfirmScreen
from advocate_tui.screens.forms.incident import IncidentForm
from advocate_tui.screens.handoff import HandoffScreen
from advocate_tui.services import handoff as hs

from main_seed import at, saved_at

SIZE = (120, 36)


async def type_text(pilot, text: str) -> None:
    await pilot.press(*["space" if ch == " " else ch for ch in text])


def text_of(screen, selector: str) -> str:
    return str(screen.query_one(selector, Static).visual)


def friday_handoff(desk) -> Handoff:
    """Friday's day's-end handoff, signed at 15:50 with Friday's referral (the clock is Monday's again after)."""
    now = desk.clock.now()
    desk.clock.set("2026-11-20 15:50")
    desk.store.add(Referral(referred_at=at("2026-11-20 14:00"), students=["S1005"], destination="Counselor",
                            reason="Asked to talk to someone"))
    handoff = hs.sign_off(desk, "JR")
    desk.clock.set(now)
    return handoff


async def sign_by_keys(app, pilot, signer: str = "JR") -> None:
    app.screen.query_one("#handoff-signer", Input).focus()
    await type_text(pilot, signer)
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, ConfirmScreen)
    await pilot.press("y")
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_an_incident_logged_late_shows_as_logged_late_and_goes_into_the_next_handoff(desk):
    friday_handoff(desk)
    app = AdvocateApp(desk)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        await pilot.press("i")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, IncidentForm)
        form.set_values({"students": [{"student_id": "S1004", "role": "responsible"}], "behavior": "Defiance",
                         "location": "Gym"})
        form._focus_field(form._fields["when"])
        await type_text(pilot, "yesterday 14:10")  # Sunday's incident, logged on Monday morning
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, IncidentForm)
        [incident] = desk.store.select(Incident)
        assert incident.occurred_at == at("2026-11-22 14:10")
        rows = {r.key: r for r in app.screen.query_one("#incidents").rows}
        assert incident.id in rows  # on the shift screen, though its day is gone
        row = rows[incident.id]
        assert row.late and row.status == "Minor · logged late" and row.time == "11/22 14:10"
        assert "1 logged late" in str(app.screen.query_one("#incidents").border_subtitle)

        await pilot.press("H")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, HandoffScreen)
        others = text_of(screen, "#handoff-others")
        assert "Incidents of earlier days saved since the last handoff (1)" in others
        assert "Sun 11/22 14:10  Defiance at Gym" in others and "logged late" in others
        await sign_by_keys(app, pilot)
        assert "Signed handoff 2026-11-23 #1" in text_of(screen, "#handoff-result")
        await pilot.press("escape")
        await pilot.pause()
        assert incident.id not in [r.key for r in app.screen.query_one("#incidents").rows]  # handed off now
    [monday] = desk.store.select(Handoff, "date = ?", ["2026-11-23"])
    assert monday.incident_ids == [incident.id]
    assert hs.logged_late(desk, Incident) == []


async def test_rows_of_another_day_show_their_date(desk):
    then = saved_at(desk.store, at("2026-11-20 10:40"))
    then.add(ContactNote(student_id="S1003", at=at("2026-11-20 10:36"), note="Wants a mediation",
                         for_coordinator=True))
    desk.store.add(ContactNote(student_id="S1001", at=at("2026-11-23 09:10"), note="Asked for the coordinator",
                               for_coordinator=True))
    app = AdvocateApp(desk)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("H")
        await pilot.pause()
        lines = text_of(app.screen, "#handoff-others").splitlines()
        friday = next(line for line in lines if "Wants a mediation" in line)
        today = next(line for line in lines if "Asked for the coordinator" in line)
        assert "Fri 11/20 10:36" in friday  # not just "P3 · 10:36", as if it were today's
        assert "P2 · 09:10" in today and "11/23" not in today


async def test_the_detail_of_a_carried_over_referral_says_the_day_it_was_made(desk):
    """Its row says "Fri 11/20 ↩"; the line under the table said "made 14:00", as if made today."""
    desk.store.add(Referral(referred_at=at("2026-11-20 14:00"), students=["S1005"], destination="Counselor",
                            reason="Asked to talk to someone"))
    app = AdvocateApp(desk)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("H")
        await pilot.pause()
        detail = text_of(app.screen, "#handoff-detail")
        assert "made Fri 11/20 14:00" in detail and "carried over" in detail


async def test_sign_off_asks_first_and_only_y_signs(desk):
    desk.store.add(Referral(referred_at=at("2026-11-23 09:55"), students=["S1001"], destination="Counselor",
                            reason="Conflict at lunch"))
    app = AdvocateApp(desk)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("H")
        await pilot.pause()
        screen = app.screen
        assert screen.focused is screen.query_one("#handoff-summary", TextArea)  # the first field to fill
        await type_text(pilot, "Quiet day")
        await pilot.press("tab")  # out of the summary (a tab is not typed into it)
        assert screen.focused is screen.query_one("#handoff-signer", Input)
        await pilot.press("shift+tab")
        assert screen.focused is screen.query_one("#handoff-summary", TextArea)
        await pilot.press("tab")
        await type_text(pilot, "JR")
        await pilot.press("enter")  # sign: it asks first
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        question = "\n".join(str(w.visual) for w in app.screen.query(Static))
        assert "can't be undone" in question and "1 referral" in question and "as JR?" in question
        await pilot.press("enter")  # a second enter in a hurry does not sign
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen) and desk.store.select(Handoff) == []
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is screen and desk.store.select(Handoff) == []
        await pilot.press("ctrl+s", "y")
        await app.workers.wait_for_complete()
        await pilot.pause()
    [handoff] = desk.store.select(Handoff)
    assert (handoff.signed_by, handoff.summary, len(handoff.referral_ids)) == ("JR", "Quiet day", 1)


async def test_an_empty_handoff_says_so_before_anything_is_signed(desk):
    app = AdvocateApp(desk)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("H")
        await pilot.pause()
        screen = app.screen
        assert "nothing new to hand off" in text_of(screen, "#handoff-title")
        screen.query_one("#handoff-signer", Input).focus()
        await type_text(pilot, "JR")
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen  # nothing to ask about: it says so
        assert "Nothing to hand off yet" in text_of(screen, "#handoff-result")
    assert desk.store.select(Handoff) == []


async def test_keys_typed_while_the_handoff_screen_opens_land_in_the_summary_in_order(desk):
    """The first H of a session loads the screen's code (signing included) before the screen shows, a
    few hundred milliseconds here; keys typed meanwhile arrive while its fields are still being made.
    They land in the summary, a tab moves on to the signature, in the order typed."""
    app = AdvocateApp(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.push_screen(HandoffScreen())  # (what H does, once the code is loaded)
        for key, char in [*[(("space" if c == " " else c), c) for c in "all quiet"], ("tab", "\t"),
                          ("J", "J"), ("R", "R")]:
            event = events.Key(key, char)
            event.set_sender(app)
            app.post_message(event)  # typed before the screen is mounted
        for _ in range(100):          # until every key is handled (a loaded machine takes longer than 1 s)
            await pilot.pause(0.1)
            screen = app.screen
            if isinstance(screen, HandoffScreen) and screen.query("#handoff-signer") and \
                    screen.query_one("#handoff-signer", Input).value == "JR":
                break
        screen = app.screen
        assert isinstance(screen, HandoffScreen)
        assert screen.query_one("#handoff-summary", TextArea).text == "all quiet"
        assert screen.query_one("#handoff-signer", Input).value == "JR"


async def test_at_160x48_the_review_shows_each_purpose_in_full(desk):
    """A short column that names what a referral is for is never the one cut ('Safety…')."""
    desk.store.add(Referral(referred_at=at("2026-11-23 09:55"), students=["S1001", "S1004", "S1005"],
                            destination="Administration", purpose="safety_review",
                            reason="Threat reported by several peers at lunch; review today before the buses"))
    desk.store.add(Referral(referred_at=at("2026-11-23 10:05"), students=["S1003"], destination="Counselor",
                            purpose="reentry_meeting", reason="Back from a suspension"))
    app = AdvocateApp(desk)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("H")
        await pilot.pause()
        table = app.screen.query_one("#handoff-referrals")
        column = [c.key.value for c in table.columns.values()].index("purpose")
        shown = sorted(str(table.get_row_at(i)[column]) for i in range(table.row_count))
        assert shown == ["Re-entry meeting", "Safety review"]
