"""A form's problems, shown where the person is looking: next to their fields, or on the form's error line."""

from __future__ import annotations

from textual.widgets import Static

from ...widgets.literal import literal


class FieldErrors:
    """Where a form shows its problems: each next to its field (the first focused), the rest on the form's error
    line."""

    # ------------------------------------------------------------------ errors
    def show_errors(self, errors: dict[str, str]) -> None:
        """Messages next to their fields; the rest in the form's error line."""
        general: list[str] = []
        for row in self._fields.values():
            row.set_error(None)
        for loc, message in errors.items():
            row = self._fields.get(loc.split(".")[0]) if loc else None
            if row is None:
                general.append(f"{loc.replace('_', ' ')} {message}".strip() if loc else message)
            else:
                row.set_error(message)
        line = self.query_one("#form-error", Static)
        line.update(literal("; ".join(general)))
        line.set_class(bool(general), "-shown")
        first = next((self._fields[loc.split(".")[0]] for loc in errors if loc and loc.split(".")[0] in self._fields), None)
        if first is not None:
            self._focus_field(first)
            first.scroll_visible()

    def error_summary(self, errors: dict[str, str]) -> str:
        """All problems on one line, with the fields' labels ('Behaviour is required …; When …')."""
        parts = []
        for loc, message in errors.items():
            row = self._fields.get(loc.split(".")[0]) if loc else None
            label = row.label if row else loc.replace("_", " ")
            parts.append(f"{label} {message}".strip())
        return "; ".join(parts)

    def clear_errors(self) -> None:
        self.show_errors({})
