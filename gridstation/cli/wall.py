"""``gridstation wall``: the command hall's big screen (full screen, read-only, unattended)."""

from __future__ import annotations

import argparse


def cmd_wall(args) -> int:
    from gridstation.store.db import default_db_url

    import os

    # the wall only reads: it can run on a hot standby (its change feed then polls change_log)
    url = args.read_db or os.environ.get("GRIDSTATION_READ_DB") or args.db or default_db_url()
    from gridstation.wall.layout import LayoutError, load_layout

    if args.layout:
        try:
            load_layout(args.layout)  # a wrong file is said here, before any window opens
        except LayoutError as e:
            print(f"gridstation wall: {e}")
            return 2
    from gridstation.app.wall.main import run_wall

    return run_wall(url, screen=args.screen, all_screens=args.all_screens, layout_path=args.layout,
                    login=args.user, password_file=args.password_file, status_file=args.status_file,
                    status_interval=args.status_interval, windowed=args.windowed,
                    screenshot=args.screenshot, screenshot_after=args.screenshot_after, quit_after=args.quit_after)


def register(sub) -> None:
    w = sub.add_parser(
        "wall", help="the wall display: full screen, read-only, live, unattended",
        description="Show the command hall's wall display. It signs in with a read-only account (position "
                    "'wall'; the demo has 'wall' / 'demo'); the password comes from --password-file or the "
                    "GRIDSTATION_WALL_PASSWORD environment variable (the embedded demo database needs none). "
                    "See docs/wall-layout.md for the layout file.",
    )
    where = w.add_mutually_exclusive_group()
    where.add_argument("--screen", type=int, default=None, metavar="N",
                       help="show the layout's first screen on physical screen N (0-based)")
    where.add_argument("--all-screens", action="store_true",
                       help="one window per screen of the layout, on as many physical screens as there are")
    w.add_argument("--layout", metavar="FILE", help="layout file (TOML, see docs/wall-layout.md; default: built in, for one screen or for all of them)")
    w.add_argument("--user", default="wall", help="the read-only account (default: wall)")
    w.add_argument("--password-file", metavar="FILE", help="a file whose first line is the account's password")
    w.add_argument("--status-file", metavar="FILE", help="write a JSON heartbeat here (for monitoring)")
    w.add_argument("--status-interval", type=float, default=5.0, metavar="SECONDS", help=argparse.SUPPRESS)
    w.add_argument("--windowed", action="store_true", help=argparse.SUPPRESS)  # screenshots and tests
    # the README's screenshots: grab every screen to PATH (a {n} in it: the screen) after N s
    w.add_argument("--screenshot", metavar="PATH", help=argparse.SUPPRESS)
    w.add_argument("--screenshot-after", type=float, default=30.0, help=argparse.SUPPRESS)
    w.add_argument("--quit-after", type=float, default=None, help=argparse.SUPPRESS)
    w.set_defaults(func=cmd_wall)
