"""Drafts of open forms: what was typed, kept in the store so a crash or power cut loses nothing.

A form writes its values here (debounced, about once a second while typing) under its own
``form_key``; saving or cancelling the form clears it. What is left after the app stopped
without saving is a crash's leftover: :func:`pending_drafts` lists them so the main screen can
offer them back (``FormScreen.from_draft(draft)`` reopens one).

Drafts are not records: they are not audited and never leave the database (not in handoffs,
reports or exports).
"""

from __future__ import annotations

import json
import os
import socket
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ..desk import Desk
from ..models.kinds import LATER
from ..models.text import without_controls
from ..portable import process_running

if TYPE_CHECKING:
    from ..models.base import Record


@dataclass
class Draft:
    """One unsaved form: which form, which record (for an amend), what was typed and when."""

    form_key: str
    form: str
    record_id: str | None
    data: dict[str, Any]
    updated_at: datetime
    #: the record being amended (None for a new record, or if it has gone)
    record: Record | None = field(default=None, repr=False)
    #: the process that wrote it: {"host": ..., "pid": ...}
    owner: dict[str, Any] | None = field(default=None, repr=False)


def new_key(form: str, record_id: str | None = None) -> str:
    """A draft key: one per amended record, a fresh one for each new-record form."""
    return f"{form}:{record_id}" if record_id else f"{form}:new:{uuid.uuid4().hex[:12]}"


def save_draft(desk: Desk, form_key: str, form: str, data: dict[str, Any], record_id: str | None = None) -> None:
    """Keep (or replace) the draft under ``form_key`` (stamped with the process that is typing it)."""
    data = {**data, _OWNER: {"host": socket.gethostname(), "pid": os.getpid(), "session": _session(desk)}}
    desk.store.put_draft(form_key, form, record_id, json.dumps(data, ensure_ascii=False, default=str))


def clear_draft(desk: Desk, form_key: str) -> None:
    """Forget a draft (its form was saved or cancelled)."""
    desk.store.drop_draft(form_key)


def get_draft(desk: Desk, form_key: str) -> Draft | None:
    """The draft under ``form_key``, or None."""
    row = desk.store.draft_row(form_key)
    return _draft(desk, row) if row else None


def pending_drafts(desk: Desk, *, include_live: bool = False) -> list[Draft]:
    """Drafts left by a crash, newest first.

    A draft still being typed in a running app (this one, or another desk's process on this
    machine, as with ``advocate serve``) is not a leftover and is skipped unless ``include_live``.
    """
    rows = desk.store.draft_rows()
    out = []
    for row in rows:
        draft = _draft(desk, row)
        if include_live or not _live(draft.owner, _session(desk)):
            out.append(draft)
    return out


def _session(desk: Desk) -> str:
    """A token for this open desk (one app run)."""
    return desk.extras.setdefault("draft_session", uuid.uuid4().hex)


def _live(owner: dict[str, Any] | None, session: str) -> bool:
    """True if the app run that wrote a draft is still running (this one, or a live process here).

    Where that can't be told (Windows, which has no ``advocate serve``), another process's draft counts
    as left over, as one from another machine does: offered back rather than lost."""
    if not owner or owner.get("host") != socket.gethostname():
        return False
    if owner.get("session") == session:
        return True
    pid = owner.get("pid")
    if not isinstance(pid, int) or pid == os.getpid():
        return False
    return process_running(pid) is True


def describe_draft(draft: Draft, desk: Desk | None = None) -> str:
    """One line for a person: 'Incident (amend) · 10:42 · Ana Garcia · pushed in line'."""
    when = draft.updated_at
    kind = _title(draft.form) + (" (amend)" if draft.record_id else "")
    ids: list[str] = []
    for key in ("students", "student"):
        value = draft.data.get(key)
        items = value if isinstance(value, list) else [value] if value else []
        ids += [i.get("student_id", "") if isinstance(i, dict) else str(i) for i in items]
    names = ""
    if ids and desk is not None:
        found = desk.store.students_by_id(ids)
        names = ", ".join(found[i].display_name if i in found else i for i in ids)
    text = next((v for k, v in draft.data.items() if k in ("note", "description", "reason") and v), "")
    text = str(text).splitlines()[0][:40] if text else ""
    return " · ".join(b for b in (kind, f"{when:%H:%M}", names, text) if b)


def _title(form: str) -> str:
    """What a person calls the form's record ("Contact note"): its kind's title, else the form's name."""
    from .kinds import kind_of_form

    kind = kind_of_form(form)
    return kind.title if kind is not None and kind.title else form.replace("_", " ").capitalize()


def _record_type(form: str) -> type[Record] | None:
    """The kind of record the form amends: its kind's model (a form named as its kind: that kind's)."""
    from .kinds import kind_of_form

    kind = kind_of_form(form)
    return kind.model if kind is not None else LATER.get(form)


def _draft(desk: Desk, row: dict[str, Any]) -> Draft:
    import pendulum

    record = None
    if row["record_id"]:
        rtype = _record_type(row["form"])
        if rtype is not None:
            record = desk.store.get(rtype, row["record_id"])
    try:
        data = json.loads(row["data"])
    except ValueError:
        data = {}
    owner = data.pop(_OWNER, None) if isinstance(data, dict) else None
    data = _without_controls(data) if isinstance(data, dict) else {}
    return Draft(form_key=row["form_key"], form=row["form"], record_id=row["record_id"], data=data,
                 updated_at=pendulum.parse(row["updated_at"]), record=record, owner=owner)


def _without_controls(value: Any) -> Any:
    """A draft's values without terminal codes (a draft typed before pastes were cleaned may hold some;
    they go back into the form's fields, which would show them raw)."""
    if isinstance(value, str):
        return without_controls(value)
    if isinstance(value, list):
        return [_without_controls(v) for v in value]
    if isinstance(value, dict):
        return {k: _without_controls(v) for k, v in value.items()}
    return value


#: key of the writer's stamp inside the stored data
_OWNER = "_owner"
