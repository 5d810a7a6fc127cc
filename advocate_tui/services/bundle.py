"""The handoff bundle: the files a handoff is written to, and importing one on the coordinator's side.

:func:`write_bundle` writes ``handoff-<school>-<date>-<n>.json`` (the
:class:`~advocate_tui.models.HandoffBundle`, signed with this desk's Ed25519 key — see
:mod:`.signing`), ``.md`` (readable and printable) and ``.csv`` (the referrals, for a spreadsheet),
each 0600, into the profile's handoff folder (default ``handoffs/`` beside the database — never the
current directory — 0700). It never overwrites another handoff's files: when another desk or
database already wrote ``handoff-<school>-<date>-<n>``, the files get ``-<short handoff id>``
appended (:func:`free_stem`).

:func:`import_bundle` checks a bundle completely before writing anything — size (at most
:data:`MAX_BUNDLE_BYTES`) and nesting (at most :data:`MAX_DEPTH`) before parsing, JSON, format
version, signature, schema (the models and, when present, ``schemas/handoff-bundle.schema.json``),
roster, time (not in the future), the database (a coordinator's) and the signer (a key this
database trusts for the bundle's school, see :mod:`.trust`) — then upserts it by record id in one
transaction (audit action IMPORT). Importing the same bundle twice changes nothing; a coordinator's
progress on a referral is never rolled back by an older bundle, nor a student's name or active flag
by a bundle older than the one that last set them.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from pydantic import ValidationError

from ..clock import Clock
from ..desk import Desk
from ..private import adopt_private_dir, make_private_dir, protect
from ..models import (
    BUNDLE_FORMAT_VERSION,
    AttendanceFollowUp,
    ContactNote,
    DoorCheck,
    Handoff,
    HandoffBundle,
    HandoffBundleContent,
    Incident,
    PatrolRound,
    Process,
    Record,
    Referral,
    ReferralStatus,
    describe,
)
from ..store import StoreError
from ..store.engine import IntegrityError
from . import trust as _trust
from .backup import DEMO_KEY
from .bundle_text import bundle_csv, bundle_markdown
from .schools import namespaced
from .signing import SignatureError, Signer, sign_document, verify_document

__all__ = ["BundleError", "ImportResult", "PendingImport", "build_bundle", "write_bundle", "handoff_folder",
           "bundle_stem", "load_bundle", "check_import", "finish_import", "import_bundle", "schema_path",
           "bundle_schema", "check_time", "MAX_BUNDLE_BYTES", "MAX_DEPTH", "MAX_CLOCK_SKEW", "read_document",
           "check_schema", "schema_file", "fields_only", "write_private", "file_format"]

#: A bundle file larger than this is refused before it is read (a day's handoff is a few hundred KB at most).
MAX_BUNDLE_BYTES = 20 * 1024 * 1024
#: The deepest nesting of objects and lists the bundle schema allows (bundle > patrol_rounds > round >
#: checkpoints > checkpoint); anything deeper is refused before it reaches the schema or the models.
MAX_DEPTH = 7  # a process's parts: bundle > processes > process > parties > party > preparation > one
#: How far in the future (by this computer's clock) a bundle's times may be: two desks' clocks differ a little.
MAX_CLOCK_SKEW = timedelta(minutes=5)

#: Record lists of a bundle, with their types, in the order they are imported.
_SECTIONS: tuple[tuple[str, type[Record]], ...] = (
    ("incidents", Incident), ("attendance", AttendanceFollowUp), ("contact_notes", ContactNote),
    ("door_checks", DoorCheck), ("patrol_rounds", PatrolRound), ("referrals", Referral), ("processes", Process),
)
#: A referral the coordinator has taken further is never set back by a bundle.
_COORDINATOR_STATES = {ReferralStatus.ACCEPTED, ReferralStatus.CLOSED}


class BundleError(Exception):
    """A bundle that can't be written or imported; str() is one clear line (no student data)."""


# ----------------------------------------------------------------------------------------- writing
def _signed_document(desk: Desk, handoff: Handoff) -> dict:
    """The bundle of one handoff as the JSON document written to its file, signed by this desk."""
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
        "processes": fetch(Process, handoff.process_ids),
    }
    sids: list[str] = []
    for recs in parts.values():
        for rec in recs:
            sids.extend(rec.student_ids())
    students = store.students_by_id(sids)
    school = desk.profile.school
    content = HandoffBundleContent(
        school=school.name, school_short=school.short_name or "school", timezone=school.timezone,
        demo=bool(store.get_meta(DEMO_KEY)), date=handoff.date, sequence=handoff.sequence,
        generated_at=desk.clock.now(), handoff=handoff,
        students=[students[s] for s in dict.fromkeys(sids) if s in students], **parts,
        shift_report=_shift_report(desk, handoff),
    )
    # Sign exactly what a reader will parse back from the file.
    return sign_document(desk, _compatible(json.loads(content.model_dump_json())))


#: Fields added after bundle format 2 was first written, left out while they hold their default: a
#: coordinator one version behind still reads the bundle of a school that has had no reply yet.
_LATER_FIELDS = {"students": {"school": None},
                 "referrals": {"place": None, "coordinator_note": "", "decided_at": None}}


def _compatible(document: dict) -> dict:
    for section, defaults in _LATER_FIELDS.items():
        for item in document.get(section, []):
            for name, default in defaults.items():
                if name in item and item[name] == default:
                    del item[name]
    return document


def _shift_report(desk: Desk, handoff: Handoff) -> str:
    """The end-of-shift report of the handoff's day, as Markdown (issue 14)."""
    from ..models.bundle import REPORT_MAX
    from .shift_report import cut_to, text

    return cut_to(text(desk, handoff.date), REPORT_MAX)


def build_bundle(desk: Desk, handoff: Handoff) -> HandoffBundle:
    """The signed bundle of one handoff: its records as they are now, and the students they name."""
    return HandoffBundle.model_validate(_signed_document(desk, handoff))


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


def write_private(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically, readable by the owner only (0600)."""
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
    try:
        protect(fd)
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
    document = _signed_document(desk, handoff)
    bundle = HandoffBundle.model_validate(document)
    folder = (Path(out_dir).expanduser() if out_dir else handoff_folder(desk)).absolute()
    try:
        if out_dir:
            make_private_dir(folder)  # a folder named for this export: made 0700 (with its parents) if missing
        else:
            adopt_private_dir(folder)  # the handoff folder: 0700, tightened if found looser
        stem = free_stem(folder, bundle)
        paths = [folder / f"{stem}.json", folder / f"{stem}.md", folder / f"{stem}.csv"]
        write_private(paths[0], (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
        write_private(paths[1], bundle_markdown(bundle, desk.words).encode("utf-8"))
        write_private(paths[2], bundle_csv(bundle).encode("utf-8-sig"))
    except OSError as exc:
        raise BundleError(f"cannot write the handoff files to {folder}: {exc.strerror or exc}") from None
    return paths


# ----------------------------------------------------------------------------------------- reading
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


def read_document(path: Path, what: str = "handoff bundle") -> dict:
    """A bundle (or reply) file as parsed JSON: size, encoding, JSON and nesting checked, in that order."""
    try:
        size = path.stat().st_size
        if size > MAX_BUNDLE_BYTES:
            raise BundleError(f"{path.name} is {size / (1024 * 1024):.0f} MB, larger than a {what} can be "
                              f"({MAX_BUNDLE_BYTES // (1024 * 1024)} MB): refused unread")
        with path.open("rb") as fh:
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
    _check_consistent(bundle, path.name)
    return bundle


def fields_only(exc: ValidationError) -> str:
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
              "patrol_rounds": h.patrol_round_ids, "processes": h.process_ids}
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
    #: True when this import trusted the bundle's key (the school's first bundle, or another desk's)
    trusted_now: bool = False

    @property
    def changed(self) -> bool:
        return bool(sum(self.added.values()) or sum(self.updated.values()) or
                    self.students.get("added") or self.students.get("updated"))

    def short_line(self) -> str:
        """The counts that matter to the coordinator, briefly: referrals new and updated, records, students."""
        return (f"{self.added.get('referrals', 0)} new referral(s), {self.updated.get('referrals', 0)} updated; "
                f"{sum(self.added.values())} record(s) added, {sum(self.updated.values())} updated; "
                f"{self.students.get('added', 0)} student(s) added")

    def line(self) -> str:
        """One line for the terminal: the school (a coordinator's database may serve several), counts, no
        student data."""
        b = self.bundle
        added = sum(self.added.values())
        h = b.handoff
        return (f"{b.school_short} · handoff {b.date} #{b.sequence} ({h.id[:8]}, signed by {h.signed_by} at "
                f"{h.signed_at.strftime('%H:%M')}): {len(b.referrals)} referral(s) — "
                f"{self.added.get('referrals', 0)} new, {self.updated.get('referrals', 0)} updated; "
                f"{added} record(s) added, {sum(self.updated.values())} updated, {self.unchanged} unchanged, "
                f"{self.kept} kept (coordinator's newer state); students {self.students.get('added', 0)} added, "
                f"{self.students.get('updated', 0)} updated"
                + (f", {self.students['kept']} kept (newer here)" if self.students.get("kept") else ""))


def _same(a: Record, b: Record) -> bool:
    return a.model_dump() == b.model_dump()


@dataclass(frozen=True)
class PendingImport(_trust.PendingKey):
    """A bundle that passed every check that needs no one's word; :attr:`plan` says whether its key needs it."""

    path: Path
    bundle: HandoffBundle
    plan: _trust.TrustPlan


def _signer(bundle: HandoffBundle) -> Signer:
    return Signer(bundle.signature.public_key, bundle.signature.fingerprint)


def check_time(clock: Clock, bundle: HandoffBundle, name: str) -> None:
    """Refuse a bundle written or signed later than now (beyond :data:`MAX_CLOCK_SKEW`)."""
    limit = clock.now() + MAX_CLOCK_SKEW
    latest = max(bundle.generated_at, bundle.handoff.signed_at)
    if latest > limit:
        when = clock.local(latest).format("YYYY-MM-DD HH:mm")
        raise BundleError(f"not imported: {name} is dated {when}, in the future by this computer's clock; "
                          "check the clock of the desk that wrote it (and this one's)")


def _plan(desk: Desk, bundle: HandoffBundle) -> _trust.TrustPlan:
    _trust.require_coordinator_database(desk)
    return _trust.plan_trust(desk, kind="handoff", party=bundle.school_short, party_name=bundle.school,
                             signer=_signer(bundle), demo=bundle.demo)


def check_import(desk: Desk, path: Path | str) -> PendingImport:
    """Every check of a bundle and of this database before anyone is asked to trust a key; nothing written.

    Raises :class:`BundleError` (one line) for a refusal.
    """
    path = Path(path)
    bundle = load_bundle(path)
    check_time(desk.clock, bundle, path.name)
    try:
        plan = _plan(desk, bundle)
    except _trust.TrustError as exc:
        raise BundleError(f"not imported: {exc}") from None
    return PendingImport(path, bundle, plan)


def finish_import(desk: Desk, pending: PendingImport, *, trust: str | None = None,
                  how: str = _trust.HOW_FLAG) -> ImportResult:
    """Import a checked bundle in one transaction; ``trust`` is the fingerprint a person confirmed (if any).

    The database's trust is checked again inside the transaction (another import may have come
    between); a refusal writes nothing.
    """
    bundle = pending.bundle
    result = ImportResult(bundle=bundle)
    note = (f"handoff {bundle.date} #{bundle.sequence} ({bundle.handoff.id[:8]}, {bundle.handoff.signed_by}) "
            f"from {bundle.school_short}")
    try:
        with desk.store.transaction():
            plan = _plan(desk, bundle)
            _trust.accept(desk, plan, trust=trust, how=how)
            result.trusted_now = plan.known is None
            _trust.mark_coordinator(desk)
            _check_school(desk, bundle)
            _upsert(desk, namespaced(bundle), result, note)
    except _trust.TrustError as exc:
        raise BundleError(f"not imported: {exc}") from None
    except StoreError as exc:
        raise BundleError(f"not imported, nothing was written: {exc}") from None
    except IntegrityError:
        raise BundleError("not imported, nothing was written: the bundle's roster or records conflict "
                          "with this database's") from None
    return result


def import_bundle(desk: Desk, path: Path | str, *, trust: str | None = None) -> ImportResult:
    """Take a bundle into this database: all checks first, then one transaction (audit action IMPORT).

    A school this database does not serve yet (or another key of one it serves) needs ``trust``:
    the signing key's fingerprint, as a person compared it with the school desk's.
    """
    return finish_import(desk, check_import(desk, path), trust=trust)


def _records(bundle: HandoffBundle):
    """(section, record) for every record of the bundle, the handoff last."""
    for section, _cls in _SECTIONS:
        for record in getattr(bundle, section):
            yield section, record
    yield "handoff", bundle.handoff


def _check_school(desk: Desk, bundle: HandoffBundle) -> None:
    """Refuse a bundle holding a record (by id) that another school's handoff brought here."""
    by_kind: dict[str, list[str]] = {}
    for _section, record in _records(bundle):
        by_kind.setdefault(record.kind, []).append(record.id)
    for kind, ids in by_kind.items():
        others = {school for school in desk.store.record_schools(kind, ids).values() if school != bundle.school_short}
        if others:
            raise BundleError(f"not imported: {bundle.school_short}'s bundle holds records that {sorted(others)[0]}'s "
                              "handoff brought here (the same record ids): refused, nothing was written")


def _upsert(desk: Desk, bundle: HandoffBundle, result: ImportResult, note: str) -> None:
    """Every student and record of the bundle (its students already under the coordinator's keys, see
    :func:`.schools.namespaced`), by id, in one transaction; each record remembers its school."""
    store = desk.store
    with store.transaction():
        result.students = _upsert_students(desk, bundle, note)
        for section, incoming in _records(bundle):
            cls = type(incoming)
            store.set_record_school(incoming.kind, incoming.id, bundle.school_short, bundle.handoff.id)
            current = store.get(cls, incoming.id)
            if current is None:
                store.import_record(incoming, note=note)
                result.added[section] = result.added.get(section, 0) + 1
            elif _same(current, incoming):
                result.unchanged += 1
            elif isinstance(current, Referral):
                _merge_referral(desk, bundle, current, incoming, result, note)
            elif current.voided:
                result.kept += 1
            else:
                store.import_record(incoming, note=note)
                result.updated[section] = result.updated.get(section, 0) + 1


def _upsert_students(desk: Desk, bundle: HandoffBundle, note: str) -> dict[str, int]:
    """The bundle's students, each as of the bundle's time: a student last set by a newer bundle is kept."""
    store = desk.store
    as_of = bundle.generated_at
    counts = {"added": 0, "updated": 0, "unchanged": 0, "kept": 0}
    for student in bundle.students:
        current = store.student(student.local_id)
        if current is not None and current.updated_at is not None and current.updated_at > as_of:
            same = current.model_dump(exclude={"updated_at"}) == student.model_dump(exclude={"updated_at"})
            counts["unchanged" if same else "kept"] += 1
            continue
        counts[store.upsert_student(student, note=note, as_of=as_of)] += 1
    return counts


#: Fields of a referral that are the coordinator's own work: a bundle never sets them back.
_COORDINATOR_FIELDS = ("status", "accepted_at", "closed_at", "facilitator", "scheduled_for", "place", "outcome",
                       "outcome_note", "coordinator_note", "decided_at")


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
    desk.store.import_record(merged, note=f"{what} from {note}")
    result.updated["referrals"] = result.updated.get("referrals", 0) + 1
