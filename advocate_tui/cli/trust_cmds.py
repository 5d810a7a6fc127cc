"""``advocate trust`` (the desk keys this database trusts) · ``advocate trust revoke FINGERPRINT --reason …``.

A coordinator whose school's laptop is lost, or whose desk was replaced, revokes that desk's key: its
bundles (or a coordinator's replies, at a school) are refused from then on, in one line that says who
revoked it and when; only ``--trust`` naming the key trusts it again. Prints fingerprints and school short
names only.
"""

from __future__ import annotations

import argparse

from .common import CliError, add_db_options


def register(sub: argparse._SubParsersAction) -> None:
    trust = sub.add_parser("trust", help="list the other desks' keys this database trusts, or revoke one",
                           description="Without a sub-command: the keys this database trusts (school desks' keys "
                                       "for handoff bundles, coordinators' keys for replies).")
    add_db_options(trust)
    trust.set_defaults(func=run_list)
    tsub = trust.add_subparsers(dest="trust_command", metavar="{revoke}")
    revoke = tsub.add_parser("revoke", help="stop trusting a desk key (a lost laptop, a replaced desk)",
                             description="Files signed by the key are refused from now on; the revocation (who, "
                                         "when, why) is kept in the audit trail. Importing with --trust naming "
                                         "the key trusts it again.")
    revoke.add_argument("fingerprint", help="the key's fingerprint, as 'advocate trust' or 'advocate check' shows it")
    revoke.add_argument("--reason", required=True, help="why, in a few words (kept in the audit trail)")
    add_db_options(revoke)
    revoke.set_defaults(func=run_revoke)


def run_list(args: argparse.Namespace) -> int:
    from .data_cmds import _open

    desk = _open(args)
    try:
        keys = [k for kind in ("handoff", "reply") for k in desk.store.trusted_keys(kind)]
    finally:
        desk.close()
    if not keys:
        print("no other desk's key is trusted here yet")
    for k in keys:
        what = "school desk" if k.kind == "handoff" else "coordinator"
        print(f"{k.fingerprint}  {what} {k.party}  since {k.trusted_at[:10]} (confirmed by {k.how or 'unknown'})")
    return 0


def run_revoke(args: argparse.Namespace) -> int:
    from ..services.trust import TrustError, revoke
    from .data_cmds import _open

    desk = _open(args)
    try:
        key = revoke(desk, args.fingerprint, args.reason)
    except TrustError as exc:
        raise CliError(str(exc)) from None
    finally:
        desk.close()
    print(f"revoked {key.fingerprint} ({key.party}): its files are refused from now on")
    return 0
