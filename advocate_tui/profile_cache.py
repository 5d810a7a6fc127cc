"""The validated profile, kept between starts: a profile file whose bytes validated before is built again
without pydantic (importing it and building the profile's validators is ~0.1 s of a start, and the
profile is the same file as at the last start on almost every start).

After pydantic validates a profile, :func:`keep` writes the result as JSON to the app's cache folder
(``profiles/`` in platformdirs' user cache folder; files 0600, folders 0700), named by its key: a hash of
the file's bytes, the app's version, Python's and the profile classes' definition (the source of the
modules that define and check them). :func:`recall` finds the file of the same key and builds the
profile from it by walking the dataclasses' fields, checking every value's type on the way. A file that is
missing, damaged (its checksum, its JSON or a value of the wrong type), of another version or of another
content is ignored, and the profile validated again: :func:`recall` answers None, never raises. The cache
is never the only copy of anything: deleting the folder costs one slower start.

No pydantic, no Textual here.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import os
import sys
import types
import typing
from pathlib import Path
from typing import Any

#: the layout of a cache file (a change of it makes every older file another version's)
FORMAT = 1
#: cache files kept (the newest; a school's profile, the two demo schools' and a few edits)
KEEP = 8
_HERE = Path(__file__).resolve().parent
#: the modules whose source defines the profile's classes and their checks (part of every key)
DEFINITION = ("profile.py", "profile_fields.py", "profile_calendar.py", "profile_settings.py", "models/text.py",
              "models/errors.py")

_definition: list[bytes] = []


def cache_dir() -> Path:
    """``profiles/`` in the app's user cache folder."""
    import platformdirs

    return Path(platformdirs.user_cache_dir("advocate-tui", appauthor=False)) / "profiles"


def _definition_hash() -> bytes | None:
    """A hash of the source of the profile's classes (read once a run); None when it can't be read (no
    cache then: a profile is validated every time)."""
    if not _definition:
        digest = hashlib.sha256()
        try:
            for name in DEFINITION:
                digest.update(name.encode() + b"\0" + (_HERE / name).read_bytes() + b"\0")
        except OSError:
            _definition.append(b"")
        else:
            _definition.append(digest.digest())
    return _definition[0] or None


def key_of(raw: bytes) -> str | None:
    """The cache key of a profile file's bytes: those, the app's and Python's version and the classes'
    definition (None: no cache)."""
    from . import __version__

    definition = _definition_hash()
    if definition is None:
        return None
    head = f"advocate-tui profile cache {FORMAT}\0{__version__}\0{sys.version}\0".encode()
    return hashlib.sha256(head + definition + b"\0" + raw).hexdigest()


# --- the profile as JSON, and back ------------------------------------------------------------------


def to_plain(value: Any) -> Any:
    """A validated profile (or any part of it) as JSON data: dataclasses as objects, times and dates as ISO text."""
    if dataclasses.is_dataclass(value):
        return {f.name: to_plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list):
        return [to_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: to_plain(v) for k, v in value.items()}
    if isinstance(value, dt.time | dt.date):
        return value.isoformat()
    return value


class _Damaged(ValueError):
    """A cache file's content is not a profile of these classes."""


_SCALARS = (str, int, bool)
_DECODERS: dict[Any, Any] = {}


def from_plain(kind: Any, value: Any) -> Any:
    """``value`` (JSON data from :func:`to_plain`) rebuilt as ``kind`` (a profile class or a field's type),
    every value's type checked; :class:`_Damaged` when it is not one."""
    return _decoder(kind)(value)


def _decoder(kind: Any) -> Any:
    """The function that rebuilds a ``kind`` from JSON data (made once a run for each type)."""
    made = _DECODERS.get(kind)
    if made is None:
        made = _DECODERS[kind] = _make_decoder(kind)
    return made


def _make_decoder(kind: Any) -> Any:  # noqa: C901 - one case a kind of type, each short
    origin = typing.get_origin(kind)
    if origin is typing.Annotated:
        return _decoder(kind.__origin__)
    if origin is typing.Union or origin is types.UnionType:
        inner = [a for a in typing.get_args(kind) if a is not type(None)]
        if len(inner) != 1:
            raise _Damaged(kind)  # (no such field in a profile: no cache for it)
        some = _decoder(inner[0])
        return lambda value: None if value is None else some(value)
    if origin is list:
        item = _decoder(typing.get_args(kind)[0])

        def a_list(value: Any) -> list:
            if type(value) is not list:
                raise _Damaged(kind)
            return [item(v) for v in value]
        return a_list
    if origin is dict:
        entry = _decoder(typing.get_args(kind)[1])

        def a_dict(value: Any) -> dict:
            if type(value) is not dict:
                raise _Damaged(kind)
            return {k: entry(v) for k, v in value.items()}
        return a_dict
    if origin is typing.Literal:
        allowed = frozenset(typing.get_args(kind))

        def one_of(value: Any) -> Any:
            if type(value) is not str or value not in allowed:
                raise _Damaged(kind)
            return value
        return one_of
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        fields = tuple((f.name, _decoder(f.type)) for f in dataclasses.fields(kind))
        names = frozenset(name for name, _ in fields)

        def a_table(value: Any) -> Any:
            if type(value) is not dict or value.keys() != names:
                raise _Damaged(kind)
            return kind(**{name: field(value[name]) for name, field in fields})
        return a_table
    if kind is dt.time or kind is dt.date:
        def iso(value: Any) -> Any:
            if type(value) is not str:
                raise _Damaged(kind)
            made = kind.fromisoformat(value)
            if made.isoformat() != value:
                raise _Damaged(kind)
            return made
        return iso
    if kind in _SCALARS:
        def scalar(value: Any) -> Any:
            if type(value) is not kind:
                raise _Damaged(kind)
            return value
        return scalar
    raise _Damaged(kind)


# --- the files ---------------------------------------------------------------------------------------


def _file(key: str) -> Path:
    return cache_dir() / f"{key[:40]}.json"


def recall(kind: type, raw: bytes) -> Any | None:
    """The validated profile (of class ``kind``) of a file with these bytes, from the cache; None when there is
    none to trust (then validate it)."""
    key = key_of(raw)
    if key is None:
        return None
    try:
        text = _file(key).read_text(encoding="utf-8")
        head, _, body = text.partition("\n")
        meta = json.loads(head)
        if (meta.get("format"), meta.get("key"), meta.get("sum")) != (
                FORMAT, key, hashlib.sha256(body.encode()).hexdigest()):
            return None
        return from_plain(kind, json.loads(body))
    except (OSError, ValueError, TypeError, AttributeError, RecursionError):
        return None  # missing, unreadable, damaged, another version's: validated again


def keep(raw: bytes, profile: Any) -> None:
    """Keep ``profile`` (validated from a file of these bytes) for the next start; a cache that can't be
    written is no cache (nothing is said: the next start validates again)."""
    from . import private

    key = key_of(raw)
    if key is None:
        return
    body = json.dumps(to_plain(profile), ensure_ascii=False, separators=(",", ":"))
    head = json.dumps({"format": FORMAT, "key": key, "sum": hashlib.sha256(body.encode()).hexdigest()})
    target = _file(key)
    partial = target.with_name(f".{target.name}.{os.getpid()}")
    try:
        with private.open_private(partial, "w", encoding="utf-8") as fh:
            fh.write(head + "\n" + body)
        private.protect(target.parent, private.DIR_MODE)
        os.replace(partial, target)
        _prune(target.parent)
    except OSError:
        try:
            partial.unlink(missing_ok=True)
        except OSError:
            pass


def _prune(folder: Path) -> None:
    """The newest :data:`KEEP` cache files stay; older ones (profiles since edited) go."""
    entries = []
    for entry in os.scandir(folder):
        if entry.name.endswith(".json") and entry.is_file(follow_symlinks=False):
            entries.append((entry.stat(follow_symlinks=False).st_mtime, entry.path))
    for _, path in sorted(entries, reverse=True)[KEEP:]:
        try:
            os.unlink(path)
        except OSError:
            pass
