"""Saving what the forms collect: build and validate records from form values, then add/amend/void.

Form values are plain data (strings, lists, dicts) as typed; errors come back as
``Invalid({field: message})`` in words a person understands, keyed by the form's field names.
"""

from __future__ import annotations


class Invalid(ValueError):
    """Form values that can't be saved: ``errors`` maps a field name ('' = whole form) to a message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k} {v}".strip() for k, v in errors.items()))
        self.errors = dict(errors)

    def summary(self) -> str:
        """One line: 'note can't be empty; when is not a time'."""
        return "; ".join(f"{k.replace('_', ' ')} {v}".strip() for k, v in self.errors.items())
