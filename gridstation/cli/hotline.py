"""``gridstation hotline run``: the 12345 hotline bridge (orders in, status and replies out)."""

from __future__ import annotations

import time
from pathlib import Path


def cmd_run(args) -> int:
    from gridstation import schema
    from gridstation.exchange.hotline import HotlineBridge
    from gridstation.store.db import make_engine

    if (args.outbox is None) == (args.url is None) and (args.outbox or args.url):
        print("gridstation hotline: give --outbox or --url, not both")
        return 2
    schema.upgrade(args.db)
    bridge = HotlineBridge(make_engine(args.db))
    while True:
        imported, queued, delivered = bridge.run_once(
            inbox=Path(args.inbox) if args.inbox else None, outdir=Path(args.outbox) if args.outbox else None,
            url=args.url, ackdir=Path(args.ack) if args.ack else None)
        parts = []
        if imported is not None and imported.files:
            parts.append(f"{imported.files} file(s): {len(imported.created)} new order(s), "
                         f"{len(imported.skipped)} seen before, {len(imported.rejected)} rejected")
            for what, why in imported.rejected:
                parts.append(f"  rejected {what}: {why}")
        if queued:
            parts.append(f"{queued} message(s) queued")
        if delivered is not None and (delivered.sent or delivered.acked or delivered.failed):
            parts.append(f"{delivered.sent} sent, {delivered.acked} acknowledged, {delivered.failed} failed (retried)")
        if parts:
            print("\n".join(parts), flush=True)
        if args.once:
            return 0
        time.sleep(args.interval)


def register(sub) -> None:
    h = sub.add_parser("hotline", help="the 12345 hotline bridge (see docs/hotline.md)").add_subparsers(
        dest="hotline_command", required=True)
    r = h.add_parser("run", help="import work orders from a folder, send status and replies back",
                     description="Poll --inbox for order files (JSON/CSV, docs/hotline.md), make their cases, "
                                 "and send status, replies and closing back to --outbox (files) or --url (HTTP "
                                 "POST), resending until acknowledged (a 2xx answer or an .ack file in --ack).")
    r.add_argument("--inbox", help="folder the platform drops order files into")
    r.add_argument("--outbox", help="folder to write outgoing messages to")
    r.add_argument("--url", help="the platform's endpoint for outgoing messages (HTTP POST, JSON)")
    r.add_argument("--ack", help="folder where the platform drops <message_id>.ack files")
    r.add_argument("--interval", type=float, default=10.0, help="seconds between polls")
    r.add_argument("--once", action="store_true", help="one round, then exit")
    r.set_defaults(func=cmd_run)
