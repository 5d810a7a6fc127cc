"""Whose signatures this database accepts: trust on first use, confirmed by the key's fingerprint.

A coordinator's database serves schools, each known by its short name and the desk key(s) that sign
its handoffs (table ``trusted_keys``, kind ``handoff``). A school's first bundle is taken only when
a person confirms the signing key's fingerprint (compared with what ``advocate check`` or the
handoff screen shows at that school's desk): at a terminal prompt, in the coordinator screen's
dialog, or with ``--trust FINGERPRINT`` for scripts. From then on:

- a bundle signed by a key trusted for one school but naming another school is refused;
- a bundle for a school it serves signed by any other key is refused (a second desk of the same
  school, or a desk whose database was replaced, is added only with ``--trust`` naming its key);
- demo (fictional) and real schools never share a database.

Bundles are imported only into a coordinator's database: one marked so in meta (``desk.role``),
or one without records made at its own desk, which is marked at its first import. An advocate's
database (records made or handoffs signed there) is refused. A later kind of signed file (the
coordinator's reply) checks its signer the same way with its own ``kind``.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..desk import Desk
from ..store.keys import Revocation, TrustedKey
from .db_file import DEMO_KEY
from .signing import Signer, normalize_fingerprint

__all__ = ["TrustError", "TrustPlan", "ROLE_KEY", "COORDINATOR", "plan_trust", "accept", "require_coordinator_database",
           "mark_coordinator", "served", "refusal",
           "new_party_refusal", "confirmed", "revoke"]

from .desk_role import COORDINATOR, ROLE_KEY

#: how a new key was confirmed (kept with it)
HOW_PROMPT, HOW_FLAG, HOW_DIALOG = "prompt", "--trust", "dialog"


class TrustError(Exception):
    """A signer (or a database) refused; str() is one line and says what to do."""


@dataclass(frozen=True)
class TrustPlan:
    """What trusting a signed file's key would take: nothing (known), a confirmation (new school) or ``--trust``."""

    signer: Signer
    kind: str
    party: str
    party_name: str
    demo: bool
    #: the trusted key that signed it, when it is already trusted
    known: TrustedKey | None
    #: keys already trusted for this party (a key not among them is a second or replaced desk)
    others: tuple[TrustedKey, ...] = ()
    #: set when this very key was trusted once and revoked since (``advocate trust revoke``)
    revoked: Revocation | None = None

    @property
    def needs_confirmation(self) -> bool:
        """True for a school this database does not serve yet (a prompt or dialog may confirm it)."""
        return self.known is None and not self.others and self.revoked is None

    @property
    def needs_flag(self) -> bool:
        """True for another key of a school already served, or a revoked key: only ``--trust`` naming it adds it."""
        return self.known is None and (bool(self.others) or self.revoked is not None)


def require_coordinator_database(desk: Desk) -> None:
    """Refuse (:class:`TrustError`) a database with records of its own that is not marked a coordinator's."""
    store = desk.store
    if store.get_meta(ROLE_KEY) == COORDINATOR:
        return
    if store.has_own_records():
        raise TrustError(f"{store.path.name} is an advocate's database (records were made or handoffs signed "
                         "there): import bundles into the coordinator's own database (--db COORDINATOR.db)")


def mark_coordinator(desk: Desk) -> None:
    """Mark the database a coordinator's (inside the first import's transaction)."""
    if desk.store.get_meta(ROLE_KEY) != COORDINATOR:
        desk.store.set_meta(ROLE_KEY, COORDINATOR)


def served(desk: Desk, kind: str = "handoff") -> list[TrustedKey]:
    """The keys this database trusts for ``kind``, by party (the schools it serves, for handoffs)."""
    return desk.store.trusted_keys(kind)


def plan_trust(desk: Desk, *, kind: str, party: str, party_name: str, signer: Signer, demo: bool) -> TrustPlan:
    """Check the signer of a file against this database's trust; raise :class:`TrustError` for a refusal."""
    store = desk.store
    every = [k for kd in ("handoff", "reply") for k in store.trusted_keys(kd)]
    if any(k.demo != demo for k in every) or (not demo and store.get_meta(DEMO_KEY)):
        if demo:
            raise TrustError("this is the demo school's bundle (fictional students) and this database serves real "
                             "schools: import it into a database of its own")
        raise TrustError("this database holds the demo school's bundles (fictional students): import a real "
                         "school's bundle into a database of its own")
    known = store.trusted_key(signer.fingerprint)
    if known is not None:
        if known.kind != kind or known.party != party:
            raise TrustError(f"it is signed by the key of {known.party}'s desk but names {party}: refused")
        return TrustPlan(signer, kind, party, party_name, demo, known)
    return TrustPlan(signer, kind, party, party_name, demo, None, tuple(store.trusted_keys(kind, party)),
                     store.revocation(signer.fingerprint))


def refusal(plan: TrustPlan) -> str:
    """The one line that says why a key is not taken without confirmation, and how to confirm it."""
    fp = plan.signer.fingerprint
    if plan.revoked is not None:
        r = plan.revoked
        why = f" ({r.reason})" if r.reason else ""
        return (f"it is signed by the desk key {fp}, which {r.by or 'someone'} revoked on {r.at[:10]}{why}: refused; "
                f"only if that desk is to be trusted again, import with --trust {fp}")
    if plan.needs_flag:
        who = "that coordinator really has a new desk" if plan.kind == "reply" else \
            "that school really has a new or second desk"
        return (f"it is signed by a key this database does not trust for {plan.party} (fingerprint {fp}; trusted: "
                f"{', '.join(k.fingerprint for k in plan.others)}); if {who}, "
                f"compare {fp} with 'advocate check' there and import with --trust {fp}")
    return new_party_refusal(plan.party, fp, plan.kind)


def new_party_refusal(party: str, fingerprint: str, kind: str = "handoff") -> str:
    """Why a new school's first bundle (or a new coordinator's first reply) is not taken without
    confirmation, and how to confirm its key."""
    if kind == "reply":
        return (f"{party} is not a coordinator this database has taken a reply from yet: compare the reply's key "
                f"fingerprint {fingerprint} with 'advocate check' at the coordinator's desk, then import at a "
                f"terminal or with --trust {fingerprint}")
    return (f"{party} is not a school this database serves yet: compare the bundle's key fingerprint {fingerprint} "
            f"with 'advocate check' at that school's desk, then import at a terminal or with --trust {fingerprint}")


def confirmed(trust: str, fingerprint: str) -> str:
    """``trust`` (a fingerprint as typed) when it names the key with ``fingerprint``; else :class:`TrustError`."""
    wanted = normalize_fingerprint(trust)
    if wanted is None:
        raise TrustError(f"{trust!r} is not a key fingerprint (8 groups of 4 letters and digits, as "
                         "'advocate check' shows it)")
    if wanted != fingerprint:
        raise TrustError(f"the fingerprint given to trust ({wanted}) is not this file's key ({fingerprint}): refused")
    return wanted


def accept(desk: Desk, plan: TrustPlan, *, trust: str | None, how: str) -> TrustedKey:
    """The trusted key for ``plan``, adding it when ``trust`` (a confirmed fingerprint) names it.

    Call inside the import's write transaction, after :func:`plan_trust` (run again there).
    ``trust`` is a fingerprint a person confirmed: given for a key already trusted it must match it
    too (a script's ``--trust`` never waves through another key).
    """
    wanted = None if trust is None else confirmed(trust, plan.signer.fingerprint)
    if plan.known is not None:
        return plan.known
    if wanted is None:
        raise TrustError(refusal(plan))
    return desk.store.add_trusted_key(
        TrustedKey(fingerprint=plan.signer.fingerprint, public_key=plan.signer.public_key, kind=plan.kind,
                   party=plan.party, party_name=plan.party_name, demo=plan.demo, how=how),
        note=f"trusted ({how}) for {plan.party}" + (" as another desk" if plan.others else ""))


def revoke(desk: Desk, fingerprint: str, reason: str) -> TrustedKey:
    """Stop trusting the key ``fingerprint`` (as typed): its files are refused from now on, unless a person
    trusts it again by naming it with ``--trust``. :class:`TrustError` when it is not a trusted key."""
    wanted = normalize_fingerprint(fingerprint)
    if wanted is None:
        raise TrustError(f"{fingerprint!r} is not a key fingerprint (8 groups of 4 letters and digits, as "
                         "'advocate check' shows it)")
    if not reason.strip():
        raise TrustError("say why the key is revoked (--reason \"laptop lost\"): it is kept in the audit trail")
    key = desk.store.revoke_trusted_key(wanted, " ".join(reason.split()))
    if key is None:
        raise TrustError(f"{wanted} is not a key this database trusts ('advocate trust' lists them)")
    return key


def key_lines(path, passphrase: str | None) -> list[str]:
    """``advocate check``'s lines about keys, read without writing: this desk's fingerprint, the keys it trusts."""
    from ..store.file_contents import keys_of_file

    found = keys_of_file(path, passphrase)
    if found is None:
        return []
    lines = [f"desk key: {found.own}" if found.own else "desk key: none yet (made when the app next starts or signs a handoff)"]
    for kind, party, fingerprint, at, how in found.trusted:
        what = "school desk" if kind == "handoff" else "coordinator"
        lines.append(f"trusted {what} key: {party} {fingerprint} (since {at[:10]}, confirmed by {how})")
    return lines


class PendingKey:
    """What a file waiting for trust in its signer's key offers (a handoff bundle, a reply): whether a person
    must confirm the key's fingerprint or ``--trust`` must name it, and the one line refusing it. The class
    using it holds ``plan`` (a :class:`TrustPlan`)."""

    plan: TrustPlan

    @property
    def needs_confirmation(self) -> bool:
        """The first file from this signer: a person confirms its key's fingerprint (prompt, dialog)."""
        return self.plan.needs_confirmation

    @property
    def needs_flag(self) -> bool:
        """Another key for a signer already trusted: taken only with ``--trust`` naming it."""
        return self.plan.needs_flag

    @property
    def fingerprint(self) -> str:
        return self.plan.signer.fingerprint

    def refusal(self) -> str:
        """The one line for a key nobody confirmed, saying how to confirm it."""
        return f"not imported: {refusal(self.plan)}"
