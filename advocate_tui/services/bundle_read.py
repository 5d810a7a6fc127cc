"""Reading a handoff bundle (or reply) file and checking it completely before anything is written.

:func:`load_bundle` checks, in order: size (at most :data:`MAX_BUNDLE_BYTES`) and nesting (at most
:data:`MAX_DEPTH`) before parsing, JSON, format version, signature, schema (the models and, when present,
``schemas/handoff-bundle.schema.json``) and that the bundle is consistent (its records are the ones its
handoff lists, each kind's by its part of :mod:`.kinds`; every student they name is in it). Raises
:class:`BundleError` with one line that names no student. No Textual here.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from pydantic import ValidationError

from ..models import BUNDLE_FORMAT_VERSION, HandoffBundle, ReferralStatus
from ..portable import not_a_file, open_for_reading
from .kinds import bundle_parts
from .signing import SignatureError, verify_document

__all__ = ["BundleError", "MAX_BUNDLE_BYTES", "MAX_DEPTH", "schema_path", "schema_file", "bundle_schema",
           "check_schema", "file_problem", "read_document", "file_format", "load_bundle", "fields_only",
           "check_consistent"]

#: A bundle file larger than this is refused before it is read (a day's handoff is a few hundred KB at most).
MAX_BUNDLE_BYTES = 20 * 1024 * 1024
#: The deepest nesting of objects and lists the bundle schema allows (bundle > patrol_rounds > round >
#: checkpoints > checkpoint); anything deeper is refused before it reaches the schema or the models.
MAX_DEPTH = 7  # a process's parts: bundle > processes > process > parties > party > preparation > one


class BundleError(Exception):
    """A bundle that can't be written or imported; str() is one clear line (no student data)."""


def schema_path(name: str = "handoff-bundle.schema.json") -> Path | None:
    """``schemas/<name>`` (default the handoff bundle's) of the project, if it exists."""
    root = Path(__file__).resolve().parents[2]
    for candidate in (root / "schemas" / name, Path(__file__).resolve().parents[1] / "schemas" / name):
        if candidate.is_file():
            return candidate
    return None


def schema_file(name: str) -> dict | None:
    """The JSON Schema ``schemas/<name>`` if present, else the one generated from its model."""
    path = schema_path(name)
    if path is not None:
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            pass
    try:
        from ..schemas import SCHEMA_FILES, schema_of
    except ImportError:
        return None
    return schema_of(SCHEMA_FILES[name], name) if name in SCHEMA_FILES else None


def bundle_schema() -> dict | None:
    """The bundle's JSON Schema: ``schemas/handoff-bundle.schema.json`` if present, else generated from the model."""
    return schema_file("handoff-bundle.schema.json")


def check_schema(data: object, schema: dict | None, what: str = "handoff bundle") -> None:
    """Refuse (one line, naming the failing member, never its value) a document its JSON Schema refuses."""
    try:
        import jsonschema
    except ImportError:  # the models still check everything
        return
    if schema is None:
        return
    error = jsonschema.exceptions.best_match(jsonschema.Draft202012Validator(schema).iter_errors(data))
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path if isinstance(p, str)) or "the top level"
        raise BundleError(f"not a valid {what}: it fails the {what.split()[0]} schema at {where}")


def _check_schema(data: object) -> None:
    check_schema(data, bundle_schema())


def _depth(data: object) -> int:
    """How deeply objects and lists nest in ``data`` (1 for a flat object), without recursion."""
    deepest, stack = 0, [(data, 1)]
    while stack:
        node, level = stack.pop()
        if isinstance(node, dict):
            children = node.values()
        elif isinstance(node, list):
            children = node
        else:
            continue
        deepest = max(deepest, level)
        if level > MAX_DEPTH:
            break
        stack.extend((child, level + 1) for child in children if isinstance(child, (dict, list)))
    return deepest


def _refusal(path: Path, st: os.stat_result, what: str) -> str | None:
    """Why ``path`` (whose stat is ``st``) can't be a ``what``, before a byte of it is read; None if it may be."""
    kind = not_a_file(st.st_mode)
    if kind is not None:
        return f"{path} is {kind}, not a {what} file: refused unread"
    if st.st_size > MAX_BUNDLE_BYTES:
        return (f"{path.name} is {st.st_size / (1024 * 1024):.0f} MB, larger than a {what} can be "
                f"({MAX_BUNDLE_BYTES // (1024 * 1024)} MB): refused unread")
    return None


def file_problem(path: Path | str, what: str = "handoff bundle") -> str | None:
    """Why the typed ``path`` can't be a ``what`` (missing, a folder, a pipe or device, too large), in one
    line, without opening it (a pipe or terminal would wait for a writer); None when it may be one."""
    path = Path(path)
    try:
        st = path.stat()
    except OSError as exc:
        return f"cannot read {path}: {exc.strerror or exc}"
    return _refusal(path, st, what)


def read_document(path: Path, what: str = "handoff bundle") -> dict:
    """A bundle (or reply) file as parsed JSON: size, encoding, JSON and nesting checked, in that order.

    Only a regular file is read: it is opened without waiting (a pipe or terminal put in its place would
    otherwise hold the reader until something wrote to it) and refused unless it is a file."""
    try:
        fd, st = open_for_reading(path)
        try:
            refusal = _refusal(path, st, what)
            if refusal is not None:
                raise BundleError(refusal)
            fh = os.fdopen(fd, "rb")
        except BaseException:
            os.close(fd)
            raise
        with fh:
            raw = fh.read(MAX_BUNDLE_BYTES + 1)
    except OSError as exc:
        raise BundleError(f"cannot read {path}: {exc.strerror or exc}") from None
    if len(raw) > MAX_BUNDLE_BYTES:
        raise BundleError(f"{path.name} is larger than a {what} can be "
                          f"({MAX_BUNDLE_BYTES // (1024 * 1024)} MB): refused")
    too_deep = BundleError(f"{path.name} is not a {what}: its content nests deeper than a {what.split()[-1]}'s "
                           f"({MAX_DEPTH} levels)")
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise BundleError(f"{path.name} is not a {what} (not UTF-8 text)") from None
    except RecursionError:
        raise too_deep from None
    except ValueError:
        raise BundleError(f"{path.name} is not a complete {what} (cut short or not JSON)") from None
    if _depth(data) > MAX_DEPTH:
        raise too_deep
    return data


def _read_document(path: Path) -> dict:
    return read_document(path)


def file_format(path: Path | str) -> str | None:
    """The ``format`` a bundle or reply file says it is (``advocate-tui.handoff``, ``advocate-tui.reply``);
    None when the file can't be read as one (reading it as a bundle then says why)."""
    try:
        data = read_document(Path(path), "bundle or reply")
    except BundleError:
        return None
    value = data.get("format") if isinstance(data, dict) else None
    return value if isinstance(value, str) else None


def load_bundle(path: Path | str) -> HandoffBundle:
    """Read and check a bundle file, its signature included; raise :class:`BundleError` (one line) if it is not sound.

    Whether its signer is trusted is the importing database's question (:func:`check_import`).
    """
    path = Path(path)
    data = _read_document(path)
    if not isinstance(data, dict) or data.get("format") != "advocate-tui.handoff":
        raise BundleError(f"{path.name} is not an advocate-tui handoff bundle")
    version = data.get("format_version")
    if version == 1:
        raise BundleError(f"{path.name} is an unsigned bundle from an older advocate-tui (format version 1): "
                          "write it again at the school's desk with 'advocate handoff export --date DAY'")
    if version != BUNDLE_FORMAT_VERSION:
        raise BundleError(f"{path.name} is a handoff bundle of format version {version!r}; "
                          f"this advocate-tui reads version {BUNDLE_FORMAT_VERSION}")
    try:
        verify_document(data)
    except SignatureError as exc:
        raise BundleError(f"{path.name} is refused: {exc}") from None
    _check_schema(data)
    try:
        bundle = HandoffBundle.model_validate(data)
    except ValidationError as exc:
        raise BundleError(f"{path.name} is not a valid handoff bundle: {fields_only(exc)}") from None
    check_consistent(bundle, path.name)
    return bundle


def fields_only(exc: ValidationError) -> str:
    """The failing fields (never the values, which may be student data)."""
    locs = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err.get("loc", ()))
        if loc not in locs:
            locs.append(loc)
    return f"{len(exc.errors())} problem(s) at " + ", ".join(locs[:3]) + ("…" if len(locs) > 3 else "")


def check_consistent(bundle: HandoffBundle, name: str) -> None:
    """Refuse a bundle whose records are not the ones its handoff lists, or that names a student it lacks."""
    h = bundle.handoff
    if (h.date, h.sequence) != (bundle.date, bundle.sequence):
        raise BundleError(f"{name} is not consistent: its handoff is for another date or number")
    for _kind, part in bundle_parts():
        section = part.section
        if {r.id for r in getattr(bundle, section)} - set(getattr(h, part.ids)):
            raise BundleError(f"{name} is not consistent: it holds {section.replace('_', ' ')} its handoff does not list")
    for ref in bundle.referrals:
        # a referral of an earlier handoff (handoff_id another one) is a change carried again: allowed
        if ref.handoff_id is None and ref.status is not ReferralStatus.NEW:
            raise BundleError(f"{name} is not consistent: a handed-off referral names no handoff")
    roster = {s.local_id for s in bundle.students}
    named = {sid for _kind, part in bundle_parts() for rec in getattr(bundle, part.section)
             for sid in rec.student_ids()}
    missing = named - roster
    if missing:
        raise BundleError(f"{name} is not consistent: it names {len(missing)} student(s) it does not include")


