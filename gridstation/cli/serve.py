"""``gridstation serve``: the data exchange service (Open311 GeoReport v2, the handheld page)."""

from __future__ import annotations

import logging
import os


def cmd_serve(args) -> int:
    import uvicorn

    from gridstation import schema

    schema.upgrade(args.db)  # idempotent: a copied or older database gets the exchange tables
    sqlite = args.db.startswith("sqlite")
    if args.workers is None:
        # One per core on PostgreSQL; one on SQLite, which has a single writer at a time (one
        # process queues its writers on a lock; several would wait in SQLite's busy handler).
        workers = 1 if sqlite else (os.cpu_count() or 1)
    else:
        workers = args.workers if args.workers > 0 else (os.cpu_count() or 1)
    os.environ["GRIDSTATION_DB"] = args.db  # the worker processes build their app from it
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    print(f"GridStation 数据交换服务: http://{args.host}:{args.port}/open311/v2/services.json "
          f"(手持终端页面 /handheld/), {workers} worker(s); Ctrl+C 停止", flush=True)
    # uvicorn stops gracefully on SIGINT/SIGTERM: it stops accepting, lets running requests
    # finish (each report is one transaction: it commits or writes nothing), then exits.
    uvicorn.run(
        "gridstation.exchange.service:app_from_env", factory=True, host=args.host, port=args.port,
        workers=workers, access_log=args.access_log, timeout_graceful_shutdown=args.graceful_timeout,
        log_level="info", proxy_headers=False,
    )
    return 0


def register(sub) -> None:
    s = sub.add_parser(
        "serve", help="run the data exchange service (Open311 GeoReport v2 and the handheld page)",
        description="Serve Open311 GeoReport v2 at /open311/v2/ and the supervisors' handheld page at "
                    "/handheld/ on the same database as every command (--db). See docs/open311.md.",
    )
    s.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1; 0.0.0.0 for all)")
    s.add_argument("--port", type=int, default=8311)
    s.add_argument("--workers", type=int, default=None,
                   help="worker processes (0 = one per CPU core; default: one per core on PostgreSQL, 1 on SQLite)")
    s.add_argument("--graceful-timeout", type=float, default=30.0, metavar="SECONDS",
                   help="on shutdown, how long running requests may take to finish")
    s.add_argument("--access-log", action="store_true", help="log every request")
    s.set_defaults(func=cmd_serve)
