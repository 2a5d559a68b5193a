"""The map's URL scheme ``gridmap://``, registered with QtWebEngine before the QApplication
exists. Its own small module so that starting the application does not import folium and the
map page (almost a second: the client's first window waits for what ``make_application`` imports)."""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication
from PySide6.QtWebEngineCore import QWebEngineUrlScheme

log = logging.getLogger("gridstation.app.geo.mapview")

SCHEME = b"gridmap"


def register_scheme() -> bool:
    """Register ``gridmap://`` with QtWebEngine. Call before the QApplication exists; calling it
    again is harmless. Returns whether the scheme is registered."""
    if scheme_registered():
        return True
    if QCoreApplication.instance() is not None:
        log.error("register_scheme() called after the QApplication was created: the map cannot load")
        return False
    scheme = QWebEngineUrlScheme(SCHEME)
    scheme.setSyntax(QWebEngineUrlScheme.Syntax.Host)
    scheme.setFlags(
        QWebEngineUrlScheme.Flag.SecureScheme
        | QWebEngineUrlScheme.Flag.LocalAccessAllowed
        | QWebEngineUrlScheme.Flag.CorsEnabled
    )
    QWebEngineUrlScheme.registerScheme(scheme)
    return True


def scheme_registered() -> bool:
    return bytes(QWebEngineUrlScheme.schemeByName(SCHEME).name().data()) == SCHEME
