"""The handoff bundle: the files a handoff is written to, and importing one on the coordinator's side.

:func:`write_bundle` writes ``handoff-<school>-<date>-<n>.json`` (the
:class:`~advocate_tui.models.HandoffBundle`, signed with this desk's Ed25519 key — see
:mod:`.signing`), ``.md`` (readable and printable) and ``.csv`` (the referrals, for a spreadsheet),
each 0600, into the profile's handoff folder (default ``handoffs/`` beside the database — never the
current directory — 0700). It never overwrites another handoff's files: when another desk or
database already wrote ``handoff-<school>-<date>-<n>``, the files get ``-<short handoff id>``
appended (:func:`free_stem`). Each kind's list in the bundle is its part of :mod:`.kinds`.

:func:`import_bundle` checks a bundle completely before writing anything (:mod:`.bundle_read`: size,
nesting, JSON, format version, signature, schema, consistency; then here the roster, the time (not in
the future), the database (a coordinator's) and the signer (a key this database trusts for the bundle's
school, see :mod:`.trust`)) — then upserts it by record id in one transaction (audit action IMPORT).
Importing the same bundle twice changes nothing; a coordinator's progress on a referral is never rolled
back by an older bundle (its kind's ``merge``), nor a student's name or active flag by a bundle older
than the one that last set them.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from ..clock import Clock
from ..desk import Desk
from ..private import adopt_private_dir, make_private_dir, protect
from ..models import Handoff, HandoffBundle, HandoffBundleContent, Record, Signature
from ..store import StoreError
from ..store.engine import IntegrityError
from . import trust as _trust
from .backup import DEMO_KEY
from .bundle_read import (
    MAX_BUNDLE_BYTES, MAX_DEPTH, BundleError, bundle_schema, check_consistent, check_schema, fields_only, file_format,
    file_problem, load_bundle, read_document, schema_file, schema_path,
)
from .bundle_text import bundle_csv, bundle_markdown
from .kinds import bundle_parts, kind_of, shown_parts
from .schools import namespaced
from .signing import Signer, sign_document

__all__ = ["BundleError", "ImportResult", "PendingImport", "build_bundle", "write_bundle", "handoff_folder",
           "bundle_stem", "load_bundle", "check_import", "finish_import", "import_bundle", "schema_path",
           "bundle_schema", "check_time", "MAX_BUNDLE_BYTES", "MAX_DEPTH", "MAX_CLOCK_SKEW", "read_document",
           "check_schema", "schema_file", "fields_only", "write_private", "file_format", "check_consistent",
           "file_problem"]

#: How far in the future (by this computer's clock) a bundle's times may be: two desks' clocks differ a little.
MAX_CLOCK_SKEW = timedelta(minutes=5)
#: (the old private name of the consistency check)
_check_consistent = check_consistent


# ----------------------------------------------------------------------------------------- writing
def _signed_document(desk: Desk, handoff: Handoff) -> dict:
    """The bundle of one handoff as the JSON document written to its file, signed by this desk."""
    return _signed(desk, handoff)[0]


def _signed(desk: Desk, handoff: Handoff) -> tuple[dict, HandoffBundle]:
    """:func:`_signed_document`, and the bundle it holds as a model made of the records and students it was
    written from (each validated as read; the document is their JSON): the files' Markdown and CSV are
    made from it without validating the whole document again (~9 ms of a decade day's sign-off)."""
    store = desk.store

    # each kind's list, its records as they are now (voided ones too: the void reaches the coordinator)
    parts = {part.section: store.get_many(kind.model, getattr(handoff, part.ids)) for kind, part in bundle_parts()}
    # the students in the order the bundle shows their records (referrals first)
    sids = [sid for part in shown_parts() for rec in parts[part.section] for sid in rec.student_ids()]
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
    document = sign_document(desk, _compatible(json.loads(content.model_dump_json())))
    bundle = HandoffBundle.model_construct(**{name: getattr(content, name) for name in type(content).model_fields},
                                           signature=Signature.model_validate(document["signature"]))
    return document, bundle


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
    document, bundle = _signed(desk, handoff)
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
    """(section, record) for every record of the bundle, kind by kind, the handoff last."""
    for _kind, part in bundle_parts():
        for record in getattr(bundle, part.section):
            yield part.section, record
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
            elif (merge := _merge_of(incoming)) is not None:  # a kind that keeps the coordinator's work
                if merge(desk, bundle.handoff, current, incoming, note):
                    result.updated[section] = result.updated.get(section, 0) + 1
                else:
                    result.kept += 1
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


def _merge_of(record: Record):
    """The kind's own way of taking in a record the coordinator's database has (None: the newer as is)."""
    kind = kind_of(record)
    return kind.bundle.merge if kind is not None and kind.bundle is not None else None
