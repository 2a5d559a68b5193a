"""What a user sees when something goes wrong that nobody handled: a dialog that says where the
log is (``gridstation.logs`` has already written the traceback there), and Qt's own warnings in
the same log."""

from __future__ import annotations

import logging
import sys

from PySide6.QtCore import QCoreApplication, Qt, QThread, QtMsgType, qInstallMessageHandler

from gridstation import logs

log = logging.getLogger("gridstation.qt")

_state = {"showing": False, "installed": False}


def report_text(exc: BaseException | None) -> str:
    where = logs.log_path()
    text = QCoreApplication.translate("Crash", "Something went wrong in GridStation: %1").replace(
        "%1", f"{type(exc).__name__}: {exc}" if exc is not None else "?")
    if where is not None:
        text += "\n\n" + QCoreApplication.translate(
            "Crash", "The details are in the log file:\n%1\nPlease send it to your support contact.").replace("%1", str(where))
    return text


def _show(exc: BaseException) -> None:
    from PySide6.QtWidgets import QApplication, QMessageBox

    app = QApplication.instance()
    if app is None or QThread.currentThread() is not app.thread() or _state["showing"]:
        return
    _state["showing"] = True  # one dialog at a time, even if showing it fails again
    try:
        box = QMessageBox(QMessageBox.Icon.Critical, QCoreApplication.translate("Crash", "GridStation — error"),
                          report_text(exc))
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.exec()
    except Exception:  # noqa: BLE001 - never let the error dialog raise in turn
        log.exception("could not show the error dialog")
    finally:
        _state["showing"] = False


def _qt_messages(kind, context, message) -> None:
    level = {QtMsgType.QtDebugMsg: logging.DEBUG, QtMsgType.QtInfoMsg: logging.INFO,
             QtMsgType.QtWarningMsg: logging.WARNING, QtMsgType.QtCriticalMsg: logging.ERROR,
             QtMsgType.QtFatalMsg: logging.CRITICAL}.get(kind, logging.WARNING)
    where = f" ({context.file}:{context.line})" if getattr(context, "file", None) else ""
    log.log(level, "%s%s", message, where)


def install() -> None:
    """After ``logs.setup``, in the client only (the unattended wall must never wait on a modal
    dialog): uncaught exceptions also open the dialog; Qt's messages go to the log."""
    if _state["installed"]:
        return
    _state["installed"] = True
    qInstallMessageHandler(_qt_messages)
    previous = sys.excepthook

    def hook(exc_type, exc, tb):
        previous(exc_type, exc, tb)  # logs it (gridstation.logs)
        if not issubclass(exc_type, KeyboardInterrupt):
            _show(exc)

    sys.excepthook = hook
