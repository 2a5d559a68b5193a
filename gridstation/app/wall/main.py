"""Starting the wall: application, windows on their screens, sign-in with the read-only account
(retried until it works: nobody is there to click), then the controller."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

log = logging.getLogger(__name__)

RETRY_MS = 10_000


def _password(url: str, password_file: str | None) -> str | None:
    if password_file:
        return Path(password_file).read_text(encoding="utf-8").splitlines()[0].strip() if Path(password_file).exists() else None
    env = os.environ.get("GRIDSTATION_WALL_PASSWORD")
    if env is not None:
        return env
    from gridstation.store.db import default_db_url, same_database

    # the embedded database is the demo city, whose accounts all have the password "demo"; the
    # URL the command line hands over is normalised (percent-encoded), so compare databases,
    # not strings (on Windows "C:\\…" never equalled "C%3A%5C…", and the wall never signed in)
    return "demo" if url.startswith("sqlite") and same_database(url, default_db_url()) else None


def sign_in(url: str, login: str, password: str | None):
    """(engine, actor) for the wall, or an error whose text says what to do. Blocking: call it
    in the background."""
    from gridstation.accounts.users import authenticate
    from gridstation.store.db import make_engine
    from gridstation.errors import Forbidden
    from gridstation.store.model import Position

    if password is None:
        raise Forbidden("sign in", f"no password for the wall account '{login}': give it with --password-file "
                                   "or the GRIDSTATION_WALL_PASSWORD environment variable")
    engine = make_engine(url, read_only=True)
    try:
        actor = authenticate(engine, login, password)
        if actor.position is not Position.WALL:
            raise Forbidden("sign in", f"'{login}' is a {actor.position.value} account, which may change cases; the wall "
                                       "signs in with a read-only account (position 'wall'): "
                                       "gridstation users add wall --position wall")
        return engine, actor
    except BaseException:
        engine.dispose()
        raise


def run_wall(url: str, *, screen: int | None = None, all_screens: bool = False, layout_path: str | None = None,
             login: str = "wall", password_file: str | None = None, status_file: str | None = None,
             status_interval: float = 5.0, windowed: bool = False, screenshot: str | None = None,
             screenshot_after: float = 30.0, quit_after: float | None = None) -> int:
    from gridstation import logs

    logs.setup("wall", console_level=logging.INFO)  # wall.log in the data folder, and the console if any
    from gridstation.app.application import make_application

    app = make_application()
    app.setStyleSheet("")  # the wall's windows carry their own dark style
    from PySide6.QtCore import QSettings

    from gridstation.app import i18n

    # the hall reads Chinese: the wall is Chinese unless this machine's client was set otherwise
    i18n.install(app, QSettings().value("ui/language") or "zh_CN")
    from PySide6.QtCore import QCoreApplication, QTimer

    from gridstation.wall.layout import LayoutError, default_layout, for_screens, load_layout
    from gridstation.app import tasks
    from gridstation.app.i18n import error_message
    from gridstation.app.wall.window import WallWindow

    screens = app.screens()
    try:
        if layout_path:
            layout = load_layout(layout_path)
        else:
            layout = default_layout(len(screens) if all_screens else 1)
        places = for_screens(layout, len(screens), only=screen if not all_screens else None)
        if not all_screens and screen is None:
            places = places[:1]
    except LayoutError as e:
        print(f"gridstation wall: {e}", file=sys.stderr)
        return 2

    title = layout.title or QCoreApplication.translate("Wall", "Urban management command center")
    windows: list[WallWindow] = []
    for phys, sl in places:
        scr = screens[phys]
        geo = scr.geometry()
        w = WallWindow(sl, title=title, height=geo.height(), ticker_items=layout.ticker_items,
                       ranking_items=layout.ranking_items)
        w.setScreen(scr)
        w.setGeometry(geo)
        w.setFixedSize(geo.size())  # the panels fit the screen, never the other way round
        if windowed:
            w.show()
        else:
            w.showFullScreen()
        w.show_message(QCoreApplication.translate("Wall", "Connecting to the database…"))
        windows.append(w)

    state: dict = {}

    def attempt():
        password = _password(url, password_file)
        tasks.run(lambda: sign_in(url, login, password), signed_in, failed)

    def failed(exc: BaseException):
        text = error_message(exc) if hasattr(exc, "kind") else str(exc).splitlines()[0]
        log.warning("wall: cannot sign in: %s", text)
        for w in windows:
            w.show_message(QCoreApplication.translate("Wall", "Cannot sign in to the database: %1\nTrying again every %2 s.")
                           .replace("%1", text).replace("%2", str(RETRY_MS // 1000)))
        QTimer.singleShot(RETRY_MS, attempt)

    def signed_in(res):
        from gridstation.cases.workflow import Workflow
        from gridstation.app.context import AppContext
        from gridstation.app.wall.controller import WallController

        engine, actor = res
        ctx = AppContext(url=url, engine=engine, workflow=Workflow(engine), actor=actor, read_only=True)
        for w in windows:
            w.show_message("")
        if not layout.title:
            city = _city_name(ctx)
            if city:
                for w in windows:
                    w.title.setText(QCoreApplication.translate("Wall", "%1 urban management command center").replace("%1", city))
        ctrl = WallController(ctx, layout, windows, status_file=status_file, status_interval=status_interval)
        state["controller"] = ctrl
        ctrl.start()
        log.info("wall: signed in as %s on %s; %d window(s)", actor.login, ctx.engine.url.render_as_string(), len(windows))

    attempt()
    if screenshot:
        def grab():
            for i, (phys, _sl) in enumerate(places):
                path = screenshot.replace("{n}", str(i))
                screens[phys].grabWindow(0).save(path)
                log.info("wall: screenshot of screen %d written to %s", phys, path)

        QTimer.singleShot(int(screenshot_after * 1000), grab)
    if quit_after:
        QTimer.singleShot(int(quit_after * 1000), app.quit)
    code = app.exec()
    if "controller" in state:
        state["controller"].stop()
    return code


def _city_name(ctx) -> str:
    from sqlalchemy import select

    from gridstation.store.model import Region

    with ctx.session() as s:
        return s.scalar(select(Region.name).where(Region.parent_id.is_(None)).order_by(Region.id).limit(1)) or ""
