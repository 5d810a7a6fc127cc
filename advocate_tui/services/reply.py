"""The coordinator's reply: written at a district coordinator's desk, imported at the school it answers.

Writing (:func:`write_reply`, ``advocate handoff reply``): for one school the coordinator's database
serves, every referral of that school whose coordinator's word changed since the last reply to it
(``--all``: every referral with a word) becomes a :class:`~advocate_tui.models.ReferralReply` —
accepted, scheduled (time and place), declined (with the reason), closed (with the outcome), or just
received with a note — with an optional note for the advocate. The reply is signed with the
coordinator desk's Ed25519 key exactly as a handoff bundle is (:mod:`.signing`) and written as
``reply-<school>-<date>-<n>.json`` (and a ``.md`` to read) into the handoff folder or ``--out``, each
0600. The JSON names referrals by id only; the ``.md`` beside it names the students (by the school's
own numbers) for a person reading it.

Importing (:func:`check_reply_import` then :func:`finish_reply_import`, ``advocate handoff import``):
everything is checked before anything is written — size, nesting, format, signature, schema, time,
that this is a school's database (not a coordinator's), that the reply names this school, that demo
and real never mix, that every referral it answers is here, and that its key is a coordinator's key
this database trusts (trust on first use, with the fingerprint confirmed, as for a handoff). Then one
transaction: each referral takes the coordinator's word unless it already holds a newer one (or was
voided), and the reply is kept (its note shows on the main screen). Importing it again changes nothing.

Restorative processes (issue 12): the reply carries each of the school's processes (handed off by it,
or started by the coordinator from its referral) that the coordinator changed since the last reply to
it, as the coordinator holds it, its students by the school's own numbers (format version 2). The school
takes each in whole (its agreement items then show on the advocate's due line), unless its own copy was
changed at the school after the coordinator's change, or voided (kept: the next handoff carries it back).

What a reply carries is chosen in :mod:`.reply_pending`, written for a person in :mod:`.reply_text` and
taken in at the school by :mod:`.reply_apply`; here the writing, signing, checking and the transaction.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from ..desk import Desk
from ..models import (
    REPLY_FORMAT_VERSION,
    REPLY_FORMAT_VERSIONS,
    ReplyBundle,
    ReplyBundleContent,
    ReplyDecision,
)
from ..private import adopt_private_dir, make_private_dir
from ..store import StoreError
from ..store.schools import RECEIVED, SENT, ReplyRow
from . import school as _school
from . import trust as _trust
from .db_file import DEMO_KEY
from .bundle import (
    MAX_CLOCK_SKEW,
    BundleError,
    check_schema,
    fields_only,
    handoff_folder,
    read_document,
    schema_file,
    write_private,
)
from .reply_apply import apply_processes, apply_referrals
from .reply_pending import last_sent, pending, pending_processes, referrals_by_id, reply_item
from .reply_text import reply_markdown
from .schools import is_coordinator, served
from .signing import SignatureError, Signer, sign_document, verify_document

__all__ = ["ReplyError", "ReplyWritten", "PendingReply", "ReplyResult", "write_reply",
           "write_replies", "load_reply", "check_reply_import", "finish_reply_import", "import_reply",
           "SECTIONS", "REPLY_FORMAT"]

REPLY_FORMAT = "advocate-tui.reply"
_WHAT = "coordinator's reply"


class ReplyError(Exception):
    """A reply that can't be written; str() is one line (no student data)."""


# ----------------------------------------------------------------------------------------- writing


@dataclass(frozen=True)
class ReplyWritten:
    """A reply written: its files (json first) and what it holds."""

    reply: ReplyBundle
    paths: list[Path]

    def line(self) -> str:
        """One line for the terminal: counts, no student data."""
        r = self.reply
        counts = {d.label.lower(): sum(1 for i in r.referrals if i.decision is d) for d in ReplyDecision}
        what = ", ".join(f"{n} {d}" for d, n in counts.items() if n) or "no referrals"
        return (f"reply to {r.school_short} {r.date} #{r.sequence}: {len(r.referrals)} referral(s) ({what})"
                + (f", {len(r.processes)} restorative process(es)" if r.processes else "")
                + (" and a note for the advocate" if r.note else ""))


def _demo(desk: Desk) -> bool:
    return bool(desk.store.get_meta(DEMO_KEY)) or any(k.demo for k in desk.store.trusted_keys("handoff"))


def _free_stem(folder: Path, base: str, reply_id: str) -> str:
    for stem in (base, f"{base}-{reply_id[:8]}", f"{base}-{reply_id}"):
        if not any((folder / f"{stem}.{ext}").exists() for ext in ("json", "md")):
            return stem
    raise ReplyError(f"cannot write the reply files to {folder}: every name for {base} is taken")


def write_reply(desk: Desk, school: str, *, note: str = "", out_dir: Path | str | None = None,
                everything: bool = False) -> ReplyWritten:
    """Sign and write the reply to ``school`` (its short name); remember it as sent. Raises :class:`ReplyError`."""
    if not is_coordinator(desk):
        raise ReplyError(f"{desk.store.path.name} is not a coordinator's database: on a school's own database "
                         "the advocate's desk already shows your decisions, no reply is needed")
    schools = {s.short: s for s in served(desk)}
    if school not in schools:
        raise ReplyError(f"{school} is not a school this database serves (it serves: "
                         f"{', '.join(schools) or 'none yet'})")
    note = (note or "").strip()
    refs = pending(desk, school, everything=everything)
    processes = pending_processes(desk, school, everything=everything)
    if not refs and not processes and not note:
        last = last_sent(desk, school)
        since = f" since reply {last.date} #{last.sequence}" if last else ""
        raise ReplyError(f"nothing new to tell {school}{since}: accept, schedule, decline or close a referral "
                         "first (or write a note for the advocate)")
    now = desk.clock.now()
    today = desk.clock.today()
    sequence = 1 + sum(1 for r in desk.store.replies(SENT, school) if r.date == today.isoformat())
    profile = desk.profile.school
    try:
        content = ReplyBundleContent(
            school=schools[school].name, school_short=school, coordinator=profile.name,
            coordinator_short=profile.short_name or "coordinator", timezone=profile.timezone, demo=_demo(desk),
            date=today, sequence=sequence, generated_at=now, note=note, referrals=[reply_item(r) for r in refs],
            processes=processes, format_version=REPLY_FORMAT_VERSION if processes else 1)
    except ValidationError as exc:
        raise ReplyError(f"the reply could not be made: {fields_only(exc)}") from None
    document = sign_document(desk, json.loads(content.model_dump_json()))
    reply = ReplyBundle.model_validate(document)
    folder = (Path(out_dir).expanduser() if out_dir else handoff_folder(desk)).absolute()
    try:
        if out_dir:
            make_private_dir(folder)
        else:
            adopt_private_dir(folder)
        stem = _free_stem(folder, f"reply-{school}-{today.isoformat()}-{sequence}", reply.id)
        paths = [folder / f"{stem}.json", folder / f"{stem}.md"]
        write_private(paths[0], (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
        write_private(paths[1], reply_markdown(desk, reply, refs).encode("utf-8"))
    except OSError as exc:
        raise ReplyError(f"cannot write the reply files to {folder}: {exc.strerror or exc}") from None
    desk.store.add_reply(ReplyRow(id=reply.id, direction=SENT, school=school, coordinator=reply.coordinator_short,
                                  coordinator_name=reply.coordinator, date=today.isoformat(), sequence=sequence,
                                  generated_at=now.isoformat(), note=note, referral_ids=[r.id for r in refs],
                                  fingerprint=reply.signature.fingerprint),
                         note=f"reply {today} #{sequence} to {school}: {len(refs)} referral(s)"
                              + (f", {len(processes)} process(es)" if processes else ""))
    return ReplyWritten(reply, paths)


def write_replies(desk: Desk, *, school: str | None = None, note: str = "", out_dir: Path | str | None = None,
                  everything: bool = False) -> list[ReplyWritten]:
    """A reply to ``school``, or to every served school with something new (each its own file, each with
    the note); a note alone goes to the one school served, else it needs the school named."""
    if school is not None:
        return [write_reply(desk, school, note=note, out_dir=out_dir, everything=everything)]
    if not is_coordinator(desk):
        write_reply(desk, "", note=note)  # says why not
    schools = served(desk)
    targets = [s.short for s in schools if pending(desk, s.short, everything=everything)
               or pending_processes(desk, s.short, everything=everything)]
    if not targets and note.strip() and len(schools) == 1:
        targets = [schools[0].short]
    if not targets:
        raise ReplyError("nothing new to tell any school: accept, schedule, decline or close a referral first"
                         + (" (a note alone: name its school, --school or S on the screen)" if note.strip() else ""))
    return [write_reply(desk, short, note=note, out_dir=out_dir, everything=everything) for short in targets]


# ----------------------------------------------------------------------------------------- reading


def load_reply(path: Path | str) -> ReplyBundle:
    """Read and check a reply file, its signature included; :class:`BundleError` (one line) if it is not sound."""
    path = Path(path)
    data = read_document(path, _WHAT)
    if not isinstance(data, dict) or data.get("format") != REPLY_FORMAT:
        raise BundleError(f"{path.name} is not an advocate-tui coordinator's reply")
    version = data.get("format_version")
    if version not in REPLY_FORMAT_VERSIONS:
        raise BundleError(f"{path.name} is a coordinator's reply of format version {version!r}; "
                          f"this advocate-tui reads versions {REPLY_FORMAT_VERSIONS[0]} to {REPLY_FORMAT_VERSION}")
    try:
        verify_document(data)
    except SignatureError as exc:
        raise BundleError(f"{path.name} is refused: {exc}") from None
    check_schema(data, schema_file("reply-bundle.schema.json"), _WHAT)
    try:
        return ReplyBundle.model_validate(data)
    except ValidationError as exc:
        raise BundleError(f"{path.name} is not a valid {_WHAT}: {fields_only(exc)}") from None


@dataclass(frozen=True)
class PendingReply(_trust.PendingKey):
    """A reply that passed every check that needs no one's word; :attr:`plan` says whether its key needs it."""

    path: Path
    reply: ReplyBundle
    plan: _trust.TrustPlan


def _plan(desk: Desk, reply: ReplyBundle, name: str) -> _trust.TrustPlan:
    """Every check of this database against the reply (raises :class:`BundleError`), then its signer's trust."""
    store = desk.store
    if is_coordinator(desk):
        raise BundleError(f"not imported: {store.path.name} is a coordinator's database; a reply is imported at "
                          "the school it answers (--db SCHOOL.db)")
    ours = _school.stored(desk)
    if ours.settled and (why := _school.mismatch(desk.profile, ours, store.path)) is not None:
        raise BundleError(f"not imported: {why}")  # the database's own school decides, not a profile at hand
    own = desk.profile.school.short_name
    if reply.school_short != own:
        raise BundleError(f"not imported: {name} is a reply to {reply.school_short}, and this database is "
                          f"{own}'s: refused")
    demo_here = bool(store.get_meta(DEMO_KEY))
    if reply.demo != demo_here:
        raise BundleError("not imported: " + (
            "this is a reply about the demo school (fictional students) and this is a real school's database"
            if reply.demo else "this is a real coordinator's reply and this is the demo school's database"))
    ids = [item.referral_id for item in reply.referrals]
    found = {r.id for r in referrals_by_id(desk, ids, include_voided=True)}
    missing = [i for i in ids if i not in found]
    if missing:
        raise BundleError(f"not imported: {name} answers {len(missing)} referral(s) this database does not have "
                          "(a reply to another school's database?): refused, nothing was written")
    signer = Signer(reply.signature.public_key, reply.signature.fingerprint)
    try:
        return _trust.plan_trust(desk, kind="reply", party=reply.coordinator_short, party_name=reply.coordinator,
                                 signer=signer, demo=reply.demo)
    except _trust.TrustError as exc:
        raise BundleError(f"not imported: {exc}") from None


def _check_time(desk: Desk, reply: ReplyBundle, name: str) -> None:
    if reply.generated_at > desk.clock.now() + MAX_CLOCK_SKEW:
        when = desk.clock.local(reply.generated_at).format("YYYY-MM-DD HH:mm")
        raise BundleError(f"not imported: {name} is dated {when}, in the future by this computer's clock; "
                          "check the clock of the desk that wrote it (and this one's)")


def check_reply_import(desk: Desk, path: Path | str) -> PendingReply:
    """Every check of a reply and of this database before anyone is asked to trust a key; nothing written."""
    path = Path(path)
    reply = load_reply(path)
    _check_time(desk, reply, path.name)
    return PendingReply(path, reply, _plan(desk, reply, path.name))


@dataclass
class ReplyResult:
    """What a reply's import did, in counts only."""

    reply: ReplyBundle
    applied: dict[str, int] = field(default_factory=dict)
    unchanged: int = 0
    #: referrals holding a newer word already, or voided by the advocate
    kept: int = 0
    trusted_now: bool = False
    new_reply: bool = False

    @property
    def changed(self) -> bool:
        return bool(sum(self.applied.values()) or self.new_reply)

    def line(self) -> str:
        r = self.reply
        what = ", ".join(f"{self.applied[d]} {d}" for d in (x.label.lower() for x in ReplyDecision) if d in self.applied)
        return (f"reply {r.date} #{r.sequence} from {r.coordinator_short} to {r.school_short}: "
                f"{len(r.referrals)} referral(s)" + (f" — {what}" if what else "")
                + (f", {len(r.processes)} restorative process(es)" if r.processes else "")
                + (f" — {self.applied['processes']} taken in" if self.applied.get("processes") else "")
                + f"; {self.unchanged} unchanged, {self.kept} kept (newer word here, or voided)"
                + ("; a note for the advocate" if r.note else ""))


#: The sections of a reply a school takes in, in order: (name, how); restorative processes and their
#: agreement items (issue 12) after the referrals they grow from.
SECTIONS: list[tuple[str, Callable[[Desk, ReplyBundle, ReplyResult, str], None]]] = [
    ("referrals", apply_referrals),
    ("processes", apply_processes),
]


def finish_reply_import(desk: Desk, pending_reply: PendingReply, *, trust: str | None = None,
                        how: str = _trust.HOW_FLAG) -> ReplyResult:
    """Take a checked reply in, in one transaction; ``trust`` is the fingerprint a person confirmed (if any)."""
    reply = pending_reply.reply
    result = ReplyResult(reply=reply)
    note = f"reply {reply.date} #{reply.sequence} from {reply.coordinator_short} ({reply.id[:8]})"
    try:
        with desk.store.transaction():
            plan = _plan(desk, reply, pending_reply.path.name)
            _trust.accept(desk, plan, trust=trust, how=how)
            result.trusted_now = plan.known is None
            for _name, take in SECTIONS:
                take(desk, reply, result, note)
            if desk.store.reply(reply.id) is None:
                desk.store.add_reply(ReplyRow(
                    id=reply.id, direction=RECEIVED, school=reply.school_short, coordinator=reply.coordinator_short,
                    coordinator_name=reply.coordinator, date=reply.date.isoformat(), sequence=reply.sequence,
                    generated_at=reply.generated_at.isoformat(), note=reply.note,
                    referral_ids=[i.referral_id for i in reply.referrals], fingerprint=reply.signature.fingerprint),
                    note=note)
                result.new_reply = True
    except _trust.TrustError as exc:
        raise BundleError(f"not imported: {exc}") from None
    except StoreError as exc:
        raise BundleError(f"not imported, nothing was written: {exc}") from None
    return result


def import_reply(desk: Desk, path: Path | str, *, trust: str | None = None) -> ReplyResult:
    """Check, then take a reply in (see the module's docstring)."""
    return finish_reply_import(desk, check_reply_import(desk, path), trust=trust)
