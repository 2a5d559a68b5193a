"""Translation: English source strings, Simplified Chinese first.

Every visible string goes through Qt (``self.tr`` in widgets, ``tr(context, text)`` here);
``resources/i18n/gridstation_zh_CN.ts`` holds the Chinese, compiled to ``.qm``. Labels of
core values (states, actions, positions …) live here, in one place.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator, QLibraryInfo

I18N_DIR = Path(__file__).resolve().parent.parent.parent / "resources" / "i18n"
_installed: list[QTranslator] = []


def tr(context: str, text: str) -> str:
    return QCoreApplication.translate(context, text)


def install(app, lang: str | None = None) -> str:
    """Install the translators for ``lang`` ("zh_CN", "en"); default: zh_CN on a Chinese
    system, else English. Returns the language used."""
    for t in _installed:
        app.removeTranslator(t)
    _installed.clear()
    if lang is None:
        lang = "zh_CN" if QLocale.system().language() == QLocale.Language.Chinese else "en"
    if lang.startswith("zh"):
        ours = QTranslator(app)
        if ours.load(str(I18N_DIR / "gridstation_zh_CN.qm")):
            app.installTranslator(ours)
            _installed.append(ours)
        qt = QTranslator(app)
        if qt.load("qtbase_zh_CN", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
            app.installTranslator(qt)
            _installed.append(qt)
    return lang


# QT_TRANSLATE_NOOP-style tables: the strings stay literal so lupdate finds them.
def state_label(state: str | None) -> str:
    return {
        "to_verify": tr("State", "To verify"),
        "to_file": tr("State", "To file"),
        "to_dispatch": tr("State", "To dispatch"),
        "handling": tr("State", "Handling"),
        "parked": tr("State", "Parked"),
        "to_check": tr("State", "To re-check"),
        "to_close": tr("State", "To close"),
        "self_review": tr("State", "Self-handled, to review"),
        "closed": tr("State", "Closed"),
        "voided": tr("State", "Voided"),
    }.get(state or "", state or "")


def action_label(action: str) -> str:
    return {
        "report": tr("Action", "Report"),
        "self_handle": tr("Action", "Self-handled report"),
        "assign_verify": tr("Action", "Assign verification"),
        "verify": tr("Action", "Verify"),
        "file": tr("Action", "File"),
        "void": tr("Action", "Void"),
        "request_void": tr("Action", "Request void"),
        "dispatch": tr("Action", "Dispatch"),
        "change_level": tr("Action", "Change command level"),
        "request_return": tr("Action", "Request return"),
        "request_extension": tr("Action", "Request extension"),
        "request_park": tr("Action", "Request parking"),
        "approve_return": tr("Action", "Return approved"),
        "approve_extension": tr("Action", "Extension approved"),
        "approve_park": tr("Action", "Parking approved"),
        "approve_void": tr("Action", "Void approved"),
        "reject_return": tr("Action", "Return rejected"),
        "reject_extension": tr("Action", "Extension rejected"),
        "reject_park": tr("Action", "Parking rejected"),
        "reject_void": tr("Action", "Void rejected"),
        "decide": tr("Action", "Decide request"),
        "resume": tr("Action", "Resume"),
        "feedback": tr("Action", "Feedback"),
        "assign_check": tr("Action", "Assign re-check"),
        "recheck": tr("Action", "Re-check"),
        "close": tr("Action", "Close"),
        "rework": tr("Action", "Rework"),
        "urge": tr("Action", "Urge"),
        "reply_urge": tr("Action", "Reply to urging"),
        "review_self": tr("Action", "Review self-handling"),
    }.get(action, action)


def position_label(position: str) -> str:
    return {
        "supervisor": tr("Position", "Supervisor"),
        "intake_operator": tr("Position", "Intake operator"),
        "shift_leader": tr("Position", "Shift leader"),
        "dispatcher": tr("Position", "Dispatcher"),
        "street_dispatcher": tr("Position", "Street dispatcher"),
        "dept_handler": tr("Position", "Department handler"),
        "leader": tr("Position", "Leader"),
        "admin": tr("Position", "Administrator"),
    }.get(position, position)


def source_label(source: str) -> str:
    return {
        "supervisor": tr("Source", "Supervisor"),
        "hotline": tr("Source", "Hotline"),
        "public": tr("Source", "Public"),
        "camera": tr("Source", "Camera"),
    }.get(source, source)


def light_label(light: str | None) -> str:
    return {
        "green": tr("Light", "On time"),
        "yellow": tr("Light", "Due soon"),
        "red": tr("Light", "Overdue"),
        "parked": tr("Light", "Parked"),
    }.get(light or "", "")


def queue_label(key: str) -> str:
    return {
        "my_tasks": tr("Queue", "My tasks"),
        "to_verify": tr("Queue", "To verify"),
        "to_file": tr("Queue", "To file"),
        "self_review": tr("Queue", "Self-handled"),
        "to_dispatch": tr("Queue", "To dispatch"),
        "handling": tr("Queue", "In handling"),
        "awaiting_feedback": tr("Queue", "Awaiting feedback"),
        "parked": tr("Queue", "Parked"),
        "to_check": tr("Queue", "To re-check"),
        "to_close": tr("Queue", "To close"),
        "approvals": tr("Queue", "Approvals"),
        "urged": tr("Queue", "Urged"),
        "overdue": tr("Queue", "Overdue"),
        "all_open": tr("Queue", "All open"),
    }.get(key, key)


def request_label(kind: str) -> str:
    return {
        "return": tr("Request", "Return"),
        "extension": tr("Request", "Extension"),
        "park": tr("Request", "Parking"),
        "void": tr("Request", "Void"),
    }.get(kind, kind)


def level_label(level: str | None) -> str:
    return {"district": tr("Level", "District"), "street": tr("Level", "Street")}.get(level or "", level or "")


def error_message(exc: BaseException) -> str:
    """A translated, actionable message for a core error (falls back to its English text)."""
    kind = getattr(exc, "kind", "")
    if kind == "conflict":
        when = exc.at.strftime("%Y-%m-%d %H:%M:%S") if getattr(exc, "at", None) else ""
        return tr("Errors", "Case %1 was changed by %2 at %3 after you opened it. Your change was not applied; "
                            "the case has been reloaded, please decide again.").replace("%1", exc.number).replace(
            "%2", exc.by or tr("Errors", "another user")).replace("%3", when)
    if kind == "unavailable":
        return tr("Errors", "The database cannot be reached. Nothing was saved; try again when the connection is back.")
    if kind == "forbidden":
        return tr("Errors", "Not allowed: %1").replace("%1", str(exc.reason))
    if kind == "invalid_state":
        return tr("Errors", "The case is now '%1'; this action is no longer possible. The case has been reloaded.").replace(
            "%1", state_label(exc.state))
    if kind == "invalid_input":
        return tr("Errors", "Please check %1: %2").replace("%1", str(exc.field)).replace("%2", str(exc.reason))
    if kind == "not_found":
        return tr("Errors", "It no longer exists (%1). Refresh and try again.").replace("%1", str(exc))
    return str(exc)


def minutes_text(minutes: float | None) -> str:
    """Time left as a short text: '2h05m', '-35m' (overdue), '3d' working days."""
    if minutes is None:
        return ""
    sign = "-" if minutes < 0 else ""
    m = abs(int(round(minutes)))
    if m >= 60 * 24:
        return f"{sign}{m // (60 * 24)}{tr('Time', 'd')}{(m % (60 * 24)) // 60}{tr('Time', 'h')}"
    if m >= 60:
        return f"{sign}{m // 60}{tr('Time', 'h')}{m % 60:02d}{tr('Time', 'm')}"
    return f"{sign}{m}{tr('Time', 'm')}"
