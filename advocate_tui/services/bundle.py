"""The handoff bundle: the files a handoff is written to, and importing one on the coordinator's side.

:func:`write_bundle` writes ``handoff-<school>-<date>-<n>.json`` (the sealed
:class:`~advocate_tui.models.HandoffBundle`, with format version and checksum), ``.md`` (readable
and printable) and ``.csv`` (the referrals, for a spreadsheet), each 0600, into the profile's
handoff folder (default ``handoffs/`` beside the database — never the current directory — 0700).
It never overwrites another handoff's files: when another desk or database already wrote
``handoff-<school>-<date>-<n>``, the files get ``-<short handoff id>`` appended (:func:`free_stem`).

:func:`import_bundle` checks a bundle completely — JSON, schema (the models and, when present,
``schemas/handoff-bundle.schema.json``), checksum, roster — before writing anything, then upserts
it by record id in one transaction (audit action IMPORT). Importing the same bundle twice changes
nothing; a coordinator's progress on a referral is never rolled back by an older bundle.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from ..desk import Desk
from ..models import (
    AttendanceFollowUp,
    AuditAction,
    ContactNote,
    DoorCheck,
    Handoff,
    HandoffBundle,
    Incident,
    PatrolRound,
    Record,
    Referral,
    ReferralStatus,
    describe,
)
from ..store import StoreError
from ..store.engine import IntegrityError
from .bundle_text import bundle_csv, bundle_markdown

__all__ = ["BundleError", "ImportResult", "build_bundle", "write_bundle", "handoff_folder", "bundle_stem",
           "load_bundle", "import_bundle", "schema_path", "bundle_schema"]

#: Record lists of a bundle, with their types, in the order they are imported.
_SECTIONS: tuple[tuple[str, type[Record]], ...] = (
    ("incidents", Incident), ("attendance", AttendanceFollowUp), ("contact_notes", ContactNote),
    ("door_checks", DoorCheck), ("patrol_rounds", PatrolRound), ("referrals", Referral),
)
#: A referral the coordinator has taken further is never set back by a bundle.
_COORDINATOR_STATES = {ReferralStatus.ACCEPTED, ReferralStatus.CLOSED}


class BundleError(Exception):
    """A bundle that can't be written or imported; str() is one clear line (no student data)."""


# ----------------------------------------------------------------------------------------- writing
def build_bundle(desk: Desk, handoff: Handoff) -> HandoffBundle:
    """The sealed bundle of one handoff: its records as they are now, and the students they name."""
    store = desk.store

    def fetch(cls: type[Record], ids: list[str]) -> list:
        return [rec for rid in ids if (rec := store.get(cls, rid)) is not None]

    parts = {
        "referrals": fetch(Referral, handoff.referral_ids),
        "incidents": fetch(Incident, handoff.incident_ids),
        "attendance": fetch(AttendanceFollowUp, handoff.attendance_ids),
        "contact_notes": fetch(ContactNote, handoff.contact_note_ids),
        "door_checks": fetch(DoorCheck, handoff.door_check_ids),
        "patrol_rounds": fetch(PatrolRound, handoff.patrol_round_ids),
    }
    sids: list[str] = []
    for recs in parts.values():
        for rec in recs:
            sids.extend(rec.student_ids())
    students = store.students_by_id(sids)
    school = desk.profile.school
    bundle = HandoffBundle(
        school=school.name, school_short=school.short_name or "school", timezone=school.timezone,
        date=handoff.date, sequence=handoff.sequence, generated_at=desk.clock.now(), handoff=handoff,
        students=[students[s] for s in dict.fromkeys(sids) if s in students], **parts,
    )
    # Seal what a reader will parse back, so the checksum survives the round trip exactly.
    return HandoffBundle.model_validate_json(bundle.model_dump_json()).sealed()


def handoff_folder(desk: Desk) -> Path:
    """The profile's handoff folder (relative to the database's folder), default ``handoffs/`` beside it."""
    base = Path(desk.store.path).expanduser().absolute().parent
    configured = desk.profile.handoff_folder
    if configured:
        folder = Path(configured).expanduser()
        return folder if folder.is_absolute() else base / folder
    return base / "handoffs"


def bundle_stem(bundle: HandoffBundle) -> str:
    """``handoff-<school>-<date>-<n>``."""
    return f"handoff-{bundle.school_short}-{bundle.date.isoformat()}-{bundle.sequence}"


def _handoff_id_in(path: Path) -> str | None:
    """The handoff id held by an existing bundle .json (None when unreadable: treated as someone else's)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return str(data["handoff"]["id"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def free_stem(folder: Path, bundle: HandoffBundle) -> str:
    """The file name (without extension) this bundle is written under; never another handoff's files.

    ``handoff-<school>-<date>-<n>`` when free or already this handoff's own bundle (re-exporting a
    handoff refreshes its files). When another handoff — another desk or database numbered the same
    day — already wrote that name, ``handoff-<school>-<date>-<n>-<first 8 hex digits of the handoff
    id>`` (the full id if even that is taken by another handoff).
    """
    base = bundle_stem(bundle)
    hid = bundle.handoff.id
    for stem in (base, f"{base}-{hid[:8]}", f"{base}-{hid}"):
        existing = [folder / f"{stem}.{ext}" for ext in ("json", "md", "csv") if (folder / f"{stem}.{ext}").exists()]
        if not existing or _handoff_id_in(folder / f"{stem}.json") == hid:
            return stem
    raise BundleError(f"cannot write the handoff files to {folder}: every name for handoff #{bundle.sequence} is taken")


def _write_private(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically, readable by the owner only (0600)."""
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def write_bundle(desk: Desk, handoff: Handoff, out_dir: Path | str | None = None) -> list[Path]:
    """Write the handoff's .json, .md and .csv; return their paths (json first)."""
    bundle = build_bundle(desk, handoff)
    folder = (Path(out_dir).expanduser() if out_dir else handoff_folder(desk)).absolute()
    try:
        if not folder.exists():
            folder.mkdir(parents=True, mode=0o700)
            os.chmod(folder, 0o700)
        stem = free_stem(folder, bundle)
        paths = [folder / f"{stem}.json", folder / f"{stem}.md", folder / f"{stem}.csv"]
        _write_private(paths[0], (bundle.model_dump_json(indent=2) + "\n").encode("utf-8"))
        _write_private(paths[1], bundle_markdown(bundle).encode("utf-8"))
        _write_private(paths[2], bundle_csv(bundle).encode("utf-8-sig"))
    except OSError as exc:
        raise BundleError(f"cannot write the handoff files to {folder}: {exc.strerror or exc}") from None
    return paths


# ----------------------------------------------------------------------------------------- reading
def schema_path() -> Path | None:
    """``schemas/handoff-bundle.schema.json`` of the project, if it exists."""
    root = Path(__file__).resolve().parents[2]
    for candidate in (root / "schemas" / "handoff-bundle.schema.json",
                      Path(__file__).resolve().parents[1] / "schemas" / "handoff-bundle.schema.json"):
        if candidate.is_file():
            return candidate
    return None


def bundle_schema() -> dict | None:
    """The bundle's JSON Schema: ``schemas/handoff-bundle.schema.json`` if present, else generated from the model."""
    path = schema_path()
    if path is not None:
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            pass
    try:
        from ..schemas import schema_of
    except ImportError:
        return None
    return schema_of(HandoffBundle, "handoff-bundle.schema.json")


def _check_schema(data: object) -> None:
    try:
        import jsonschema
    except ImportError:  # the models below still check everything
        return
    schema = bundle_schema()
    if schema is None:
        return
    error = jsonschema.exceptions.best_match(jsonschema.Draft202012Validator(schema).iter_errors(data))
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path if isinstance(p, str)) or "the top level"
        raise BundleError(f"not a valid handoff bundle: it fails the bundle schema at {where}")


def load_bundle(path: Path | str) -> HandoffBundle:
    """Read and check a bundle file; raise :class:`BundleError` with one line if it is not sound."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise BundleError(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise BundleError(f"{path.name} is not a handoff bundle (not UTF-8 text)") from None
    except ValueError:
        raise BundleError(f"{path.name} is not a complete handoff bundle (cut short or not JSON)") from None
    if not isinstance(data, dict) or data.get("format") != "advocate-tui.handoff":
        raise BundleError(f"{path.name} is not an advocate-tui handoff bundle")
    if data.get("format_version") != 1:
        raise BundleError(f"{path.name} is a handoff bundle of format version {data.get('format_version')!r}; "
                          "this advocate-tui reads version 1")
    _check_schema(data)
    try:
        bundle = HandoffBundle.model_validate(data)
    except ValidationError as exc:
        raise BundleError(f"{path.name} is not a valid handoff bundle: {_fields_only(exc)}") from None
    if not bundle.checksum:
        raise BundleError(f"{path.name} has no checksum: refusing an unsealed bundle")
    if not bundle.checksum_ok():
        raise BundleError(f"{path.name} fails its checksum: it was changed or damaged after it was written")
    _check_consistent(bundle, path.name)
    return bundle


def _fields_only(exc: ValidationError) -> str:
    """The failing fields (never the values, which may be student data)."""
    locs = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err.get("loc", ()))
        if loc not in locs:
            locs.append(loc)
    return f"{len(exc.errors())} problem(s) at " + ", ".join(locs[:3]) + ("…" if len(locs) > 3 else "")


def _check_consistent(bundle: HandoffBundle, name: str) -> None:
    h = bundle.handoff
    if (h.date, h.sequence) != (bundle.date, bundle.sequence):
        raise BundleError(f"{name} is not consistent: its handoff is for another date or number")
    listed = {"referrals": h.referral_ids, "incidents": h.incident_ids, "attendance": h.attendance_ids,
              "contact_notes": h.contact_note_ids, "door_checks": h.door_check_ids,
              "patrol_rounds": h.patrol_round_ids}
    for section, ids in listed.items():
        if {r.id for r in getattr(bundle, section)} - set(ids):
            raise BundleError(f"{name} is not consistent: it holds {section.replace('_', ' ')} its handoff does not list")
    for ref in bundle.referrals:
        # a referral of an earlier handoff (handoff_id another one) is a change carried again: allowed
        if ref.handoff_id is None and ref.status is not ReferralStatus.NEW:
            raise BundleError(f"{name} is not consistent: a handed-off referral names no handoff")
    roster = {s.local_id for s in bundle.students}
    named = {sid for section, _cls in _SECTIONS for rec in getattr(bundle, section) for sid in rec.student_ids()}
    missing = named - roster
    if missing:
        raise BundleError(f"{name} is not consistent: it names {len(missing)} student(s) it does not include")


# --------------------------------------------------------------------------------------- importing
@dataclass
class ImportResult:
    """What an import did, in counts only."""

    bundle: HandoffBundle
    added: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: int = 0
    kept: int = 0
    students: dict[str, int] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return bool(sum(self.added.values()) or sum(self.updated.values()) or
                    self.students.get("added") or self.students.get("updated"))

    def line(self) -> str:
        """One line for the terminal: counts, no student data."""
        b = self.bundle
        added = sum(self.added.values())
        h = b.handoff
        return (f"handoff {b.date} #{b.sequence} ({h.id[:8]}, signed by {h.signed_by} at "
                f"{h.signed_at.strftime('%H:%M')}): {len(b.referrals)} referral(s) — "
                f"{self.added.get('referrals', 0)} new, {self.updated.get('referrals', 0)} updated; "
                f"{added} record(s) added, {sum(self.updated.values())} updated, {self.unchanged} unchanged, "
                f"{self.kept} kept (coordinator's newer state); students {self.students.get('added', 0)} added, "
                f"{self.students.get('updated', 0)} updated")


def _same(a: Record, b: Record) -> bool:
    return a.model_dump() == b.model_dump()


def import_bundle(desk: Desk, path: Path | str) -> ImportResult:
    """Take a bundle into this database: all checks first, then one transaction (audit action IMPORT)."""
    bundle = load_bundle(path)
    result = ImportResult(bundle=bundle)
    note = (f"handoff {bundle.date} #{bundle.sequence} ({bundle.handoff.id[:8]}, {bundle.handoff.signed_by}) "
            f"from {bundle.school_short}")
    try:
        _upsert(desk, bundle, result, note)
    except StoreError as exc:
        raise BundleError(f"not imported, nothing was written: {exc}") from None
    except IntegrityError:
        raise BundleError("not imported, nothing was written: the bundle's roster or records conflict "
                          "with this database's") from None
    return result


def _upsert(desk: Desk, bundle: HandoffBundle, result: ImportResult, note: str) -> None:
    """Every student and record of the bundle, by id, in one transaction."""
    store = desk.store
    with store.write():
        result.students = store.upsert_students(bundle.students, by=desk.user, note=note)
        for section, cls in (*_SECTIONS, ("handoff", Handoff)):
            records = [bundle.handoff] if section == "handoff" else getattr(bundle, section)
            for incoming in records:
                current = store.get(cls, incoming.id)
                if current is None:
                    store.add(incoming, by=desk.user, action=AuditAction.IMPORT, note=note)
                    result.added[section] = result.added.get(section, 0) + 1
                elif _same(current, incoming):
                    result.unchanged += 1
                elif isinstance(current, Referral):
                    _merge_referral(desk, bundle, current, incoming, result, note)
                elif current.voided:
                    result.kept += 1
                else:
                    store.set_status(incoming, by=desk.user, note=note, action=AuditAction.IMPORT)
                    result.updated[section] = result.updated.get(section, 0) + 1


#: Fields of a referral that are the coordinator's own work: a bundle never sets them back.
_COORDINATOR_FIELDS = ("status", "accepted_at", "closed_at", "facilitator", "scheduled_for", "outcome", "outcome_note")


def _carried_at(desk: Desk, referral_id: str, skip: str) -> tuple:
    """(signed_at, sequence) of the latest handoff already here that carried the referral (not ``skip``)."""
    here = desk.store.select(Handoff, "id != ? AND EXISTS (SELECT 1 FROM json_each(handoffs.referral_ids) AS j "
                             "WHERE j.value = ?)", [skip, referral_id], order_by="signed_at")
    return max(((h.signed_at, h.sequence) for h in here), default=None)


def _merge_referral(desk: Desk, bundle: HandoffBundle, current: Referral, incoming: Referral,
                    result: ImportResult, note: str) -> None:
    """Apply the advocate's newer state (a void, an amendment) without undoing the coordinator's work.

    Newer means: the bundle's handoff was signed after every other handoff here that carried the
    referral. An older bundle changes nothing; a void is final.
    """
    h = bundle.handoff
    last = _carried_at(desk, current.id, h.id)
    if current.voided or (last is not None and (h.signed_at, h.sequence) <= last):
        result.kept += 1
        return
    merged = incoming
    if current.status in _COORDINATOR_STATES or incoming.status is ReferralStatus.NEW:
        merged = incoming.model_copy(update={f: getattr(current, f) for f in _COORDINATOR_FIELDS})
    if _same(current, merged):
        result.kept += 1
        return
    what = "void" if merged.voided else ("amendment" if merged.amended else "update")
    desk.store.set_status(merged, by=desk.user, note=f"{what} from {note}", action=AuditAction.IMPORT)
    result.updated["referrals"] = result.updated.get("referrals", 0) + 1
