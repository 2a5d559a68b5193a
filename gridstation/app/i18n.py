"""Translation: English source strings, Simplified Chinese first.

Every visible string goes through Qt (``self.tr`` in widgets, ``tr(context, text)`` here);
``resources/i18n/gridstation_zh_CN.ts`` holds the Chinese, compiled to ``.qm``. Labels of
core values (states, actions, positions …) live here, in one place.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from gridstation.paths import resources_dir

I18N_DIR = resources_dir() / "i18n"
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
        "to_verify": QCoreApplication.translate("State", "To verify"),
        "to_file": QCoreApplication.translate("State", "To file"),
        "to_dispatch": QCoreApplication.translate("State", "To dispatch"),
        "handling": QCoreApplication.translate("State", "Handling"),
        "parked": QCoreApplication.translate("State", "Parked"),
        "to_check": QCoreApplication.translate("State", "To re-check"),
        "to_close": QCoreApplication.translate("State", "To close"),
        "self_review": QCoreApplication.translate("State", "Self-handled, to review"),
        "closed": QCoreApplication.translate("State", "Closed"),
        "voided": QCoreApplication.translate("State", "Voided"),
    }.get(state or "", state or "")


def action_label(action: str) -> str:
    return {
        "report": QCoreApplication.translate("Action", "Report"),
        "self_handle": QCoreApplication.translate("Action", "Self-handled report"),
        "assign_verify": QCoreApplication.translate("Action", "Assign verification"),
        "verify": QCoreApplication.translate("Action", "Verify"),
        "file": QCoreApplication.translate("Action", "File"),
        "void": QCoreApplication.translate("Action", "Void"),
        "request_void": QCoreApplication.translate("Action", "Request void"),
        "dispatch": QCoreApplication.translate("Action", "Dispatch"),
        "change_level": QCoreApplication.translate("Action", "Change command level"),
        "request_return": QCoreApplication.translate("Action", "Request return"),
        "request_extension": QCoreApplication.translate("Action", "Request extension"),
        "request_park": QCoreApplication.translate("Action", "Request parking"),
        "approve_return": QCoreApplication.translate("Action", "Return approved"),
        "approve_extension": QCoreApplication.translate("Action", "Extension approved"),
        "approve_park": QCoreApplication.translate("Action", "Parking approved"),
        "approve_void": QCoreApplication.translate("Action", "Void approved"),
        "reject_return": QCoreApplication.translate("Action", "Return rejected"),
        "reject_extension": QCoreApplication.translate("Action", "Extension rejected"),
        "reject_park": QCoreApplication.translate("Action", "Parking rejected"),
        "reject_void": QCoreApplication.translate("Action", "Void rejected"),
        "decide": QCoreApplication.translate("Action", "Decide request"),
        "resume": QCoreApplication.translate("Action", "Resume"),
        "feedback": QCoreApplication.translate("Action", "Feedback"),
        "assign_check": QCoreApplication.translate("Action", "Assign re-check"),
        "recheck": QCoreApplication.translate("Action", "Re-check"),
        "close": QCoreApplication.translate("Action", "Close"),
        "rework": QCoreApplication.translate("Action", "Rework"),
        "urge": QCoreApplication.translate("Action", "Urge"),
        "reply_urge": QCoreApplication.translate("Action", "Reply to urging"),
        "review_self": QCoreApplication.translate("Action", "Review self-handling"),
    }.get(action, action)


#: A profile's own positions (``wf_position``): key → (Chinese name, English name).
_custom_positions: dict[str, tuple[str, str]] = {}


def register_positions(rules) -> None:
    """Let ``position_label`` name the positions of the rules in force (a profile's own ones
    too); call it on the GUI thread with a ``gridstation.cases.rules.RuleSet``."""
    _custom_positions.clear()
    _custom_positions.update({p.key: (p.name, p.name_en or p.name) for p in rules.positions.values()})


def position_label(position: str) -> str:
    builtin = {
        "supervisor": QCoreApplication.translate("Position", "Supervisor"),
        "intake_operator": QCoreApplication.translate("Position", "Intake operator"),
        "shift_leader": QCoreApplication.translate("Position", "Shift leader"),
        "dispatcher": QCoreApplication.translate("Position", "Dispatcher"),
        "street_dispatcher": QCoreApplication.translate("Position", "Street dispatcher"),
        "dept_handler": QCoreApplication.translate("Position", "Department handler"),
        "leader": QCoreApplication.translate("Position", "Leader"),
        "admin": QCoreApplication.translate("Position", "Administrator"),
        "wall": QCoreApplication.translate("Position", "Wall display (read-only)"),
    }
    if position in builtin:
        return builtin[position]
    names = _custom_positions.get(position)
    if names is None:
        return position
    return names[0] if _installed else names[1]


def source_label(source: str) -> str:
    return {
        "supervisor": QCoreApplication.translate("Source", "Supervisor"),
        "hotline": QCoreApplication.translate("Source", "Hotline"),
        "public": QCoreApplication.translate("Source", "Public"),
        "camera": QCoreApplication.translate("Source", "Camera"),
    }.get(source, source)


def light_label(light: str | None) -> str:
    return {
        "green": QCoreApplication.translate("Light", "On time"),
        "yellow": QCoreApplication.translate("Light", "Due soon"),
        "red": QCoreApplication.translate("Light", "Overdue"),
        "parked": QCoreApplication.translate("Light", "Parked"),
    }.get(light or "", "")


def queue_label(key: str) -> str:
    return {
        "my_tasks": QCoreApplication.translate("Queue", "My tasks"),
        "to_verify": QCoreApplication.translate("Queue", "To verify"),
        "to_file": QCoreApplication.translate("Queue", "To file"),
        "self_review": QCoreApplication.translate("Queue", "Self-handled"),
        "to_dispatch": QCoreApplication.translate("Queue", "To dispatch"),
        "handling": QCoreApplication.translate("Queue", "In handling"),
        "awaiting_feedback": QCoreApplication.translate("Queue", "Awaiting feedback"),
        "parked": QCoreApplication.translate("Queue", "Parked"),
        "to_check": QCoreApplication.translate("Queue", "To re-check"),
        "to_close": QCoreApplication.translate("Queue", "To close"),
        "approvals": QCoreApplication.translate("Queue", "Approvals"),
        "urged": QCoreApplication.translate("Queue", "Urged"),
        "overdue": QCoreApplication.translate("Queue", "Overdue"),
        "all_open": QCoreApplication.translate("Queue", "All open"),
    }.get(key, key)


def request_label(kind: str) -> str:
    return {
        "return": QCoreApplication.translate("Request", "Return"),
        "extension": QCoreApplication.translate("Request", "Extension"),
        "park": QCoreApplication.translate("Request", "Parking"),
        "void": QCoreApplication.translate("Request", "Void"),
    }.get(kind, kind)


def level_label(level: str | None) -> str:
    return {"district": QCoreApplication.translate("Level", "District"), "street": QCoreApplication.translate("Level", "Street")}.get(level or "", level or "")


def chinese() -> bool:
    """The Chinese translation is installed (the texts kept in both languages pick theirs)."""
    return QCoreApplication.translate("State", "Closed") != "Closed"


def formula_text(key: str) -> str:
    """An evaluation indicator's definition (``object.indicator``) in the user's language."""
    from gridstation.analytics import evaluation

    table = evaluation.FORMULAS_ZH if chinese() else evaluation.FORMULAS_EN
    return table.get(key) or evaluation.FORMULAS.get(key, "")


def error_message(exc: BaseException) -> str:
    """A translated, actionable message for a core error (falls back to its English text)."""
    kind = getattr(exc, "kind", "")
    if kind == "conflict":
        when = exc.at.strftime("%Y-%m-%d %H:%M:%S") if getattr(exc, "at", None) else ""
        if getattr(exc, "mine", False):
            return QCoreApplication.translate("Errors", "You changed case %1 yourself at %2 (in another window or an "
                                              "earlier step) after this view was opened. This change was not applied; "
                                              "the case has been reloaded, please decide again.").replace(
                "%1", exc.number).replace("%2", when)
        return QCoreApplication.translate("Errors", "Case %1 was changed by %2 at %3 after you opened it. Your change was not applied; "
                            "the case has been reloaded, please decide again.").replace("%1", exc.number).replace(
            "%2", exc.by or QCoreApplication.translate("Errors", "another user")).replace("%3", when)
    if kind == "unavailable" and getattr(exc, "saved_unknown", False):
        return QCoreApplication.translate("Errors", "The connection broke while saving and the database could not be "
                                          "asked whether it was saved. Try again when the connection is back: if it "
                                          "was saved, you get the same result, never a second copy.")
    if kind == "unavailable":
        return QCoreApplication.translate("Errors", "The database cannot be reached. Nothing was saved; try again when the connection is back.")
    if kind == "forbidden":
        return QCoreApplication.translate("Errors", "Not allowed: %1").replace("%1", str(exc.reason))
    if kind == "invalid_state":
        return QCoreApplication.translate("Errors", "The case is now '%1'; this action is no longer possible. The case has been reloaded.").replace(
            "%1", state_label(exc.state))
    if kind == "invalid_input":
        return QCoreApplication.translate("Errors", "Please check %1: %2").replace("%1", str(exc.field)).replace("%2", str(exc.reason))
    if kind == "schema":
        if exc.relation == "empty":
            return QCoreApplication.translate("Errors", "This database has no GridStation schema yet. An administrator "
                                              "creates it with: gridstation-cli db upgrade")
        if exc.relation == "older":
            return QCoreApplication.translate("Errors", "The database's schema (revision %1) is older than this "
                                              "GridStation's (%2). This client will not write to it. An administrator "
                                              "upgrades it once every workstation is updated: gridstation-cli db upgrade"
                                              ).replace("%1", str(exc.database)).replace("%2", str(exc.program))
        return QCoreApplication.translate("Errors", "The database's schema (revision %1) is newer than this GridStation "
                                          "knows (%2): it was upgraded by a newer version. This client will not write "
                                          "to it; install the new version.").replace("%1", str(exc.database)).replace(
            "%2", str(exc.program))
    if kind == "not_found":
        return QCoreApplication.translate("Errors", "It no longer exists (%1). Refresh and try again.").replace("%1", str(exc))
    return str(exc)


def time_unit(unit: str) -> str:
    """'d', 'h' or 'm' in the user's language (天 / 小时 / 分)."""
    return {
        "d": QCoreApplication.translate("Time", "d"),
        "h": QCoreApplication.translate("Time", "h"),
        "m": QCoreApplication.translate("Time", "m"),
    }[unit]


def minutes_text(minutes: float | None) -> str:
    """Time left as a short text: '2h05m', '-35m' (overdue), '3d4h' (2小时05分 in Chinese)."""
    if minutes is None:
        return ""
    sign = "-" if minutes < 0 else ""
    m = abs(int(round(minutes)))
    if m >= 60 * 24:
        return f"{sign}{m // (60 * 24)}{time_unit('d')}{(m % (60 * 24)) // 60}{time_unit('h')}"
    if m >= 60:
        return f"{sign}{m // 60}{time_unit('h')}{m % 60:02d}{time_unit('m')}"
    return f"{sign}{m}{time_unit('m')}"
