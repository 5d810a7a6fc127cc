"""The first frame of a start is the ready one: the panes' rows and the footer's keys are in it
(they were filled at the first layout after it, and the keys made after the first bindings change:
the first frame showed empty panes and no keys)."""

from __future__ import annotations

from textual._compositor import LayoutUpdate

from main_seed import screen_text, seed_day


def _frame_text(update: LayoutUpdate) -> str:
    return "\n".join("".join(strip.text for strip in line) for line in update.strips)


async def test_the_first_frame_already_shows_the_rows_and_the_keys(make_app, desk):
    ids = seed_day(desk.store)
    app = make_app()
    frames: list[tuple[str, object]] = []
    display = app._display

    def capture(screen, update):  # every frame the app writes, in order
        if update is not None:
            frames.append((type(screen).__name__, update))
        return display(screen, update)

    app._display = capture
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        settled = screen_text(app)
        assert app.screen.query_one("#incidents").rows[0].key == ids["tardy"]
    main_frames = [update for name, update in frames if name == "MainScreen"]
    assert main_frames and isinstance(main_frames[0], LayoutUpdate)  # the first is the whole screen
    first = _frame_text(main_frames[0])
    # rows of four panes, and the footer's keys
    for shown in ("Ana Garcia (R)", "Propped open", "Caregiver call", "Priya Ramanathan", "q Quit", "^p palette"):
        assert shown in settled
        assert shown in first, f"{shown!r} is not in the first frame"


async def test_a_desk_s_saved_theme_is_in_the_first_frame(make_app, desk):
    """The main screen is styled in the theme chosen at this desk before its first frame is drawn (not
    drawn in the default theme, then again in the chosen one)."""
    from collections import Counter

    from textual.color import Color

    from advocate_tui.desk_settings import save_setting

    seed_day(desk.store)
    save_setting("theme", "nord")
    app = make_app()
    frames: list[LayoutUpdate] = []
    display = app._display

    def capture(screen, update):
        if update is not None and type(screen).__name__ == "MainScreen":
            frames.append(update)
        return display(screen, update)

    app._display = capture
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        assert app.theme == "nord"
        nord = Color.parse(app.current_theme.background).rich_color
    first = Counter(segment.style.bgcolor for line in frames[0].strips for strip in line for segment in strip
                    if segment.style is not None and segment.style.bgcolor is not None)
    assert first.most_common(1)[0][0] == nord
