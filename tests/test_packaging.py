"""Packaging: what the bundle leaves out, what the wheel carries, one version number, the icon.
(The bundle itself is built and smoke-run by .ci/run: packaging/smoke.sh.)"""

from __future__ import annotations

import os
import struct
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "packaging"))

from bundle_filter import wanted  # noqa: E402


@pytest.mark.parametrize("dest, keep", [
    # what QtWebEngine links, on Linux and on Windows
    ("PySide6/Qt/lib/libQt6WebEngineCore.so.6", True),
    ("PySide6/Qt6WebEngineCore.dll", True),
    ("PySide6/Qt/lib/libQt6Quick.so.6", True),
    ("PySide6/Qt6QuickWidgets.dll", True),
    ("PySide6/Qt/lib/libQt6QmlModels.so.6", True),
    ("PySide6/Qt/lib/libQt6Positioning.so.6", True),
    ("PySide6/Qt/lib/libQt6Svg.so.6", True),
    ("PySide6/Qt/plugins/platforms/libqxcb.so", True),
    ("PySide6/plugins/platforms/qwindows.dll", True),
    ("PySide6/Qt/plugins/imageformats/libqsvg.so", True),
    ("PySide6/QtWebEngineWidgets.abi3.so", True),
    ("PySide6/QtPrintSupport.pyd", True),
    # QUiLoader builds the Designer forms (ui/*.ui) at run time
    ("PySide6/Qt/lib/libQt6UiTools.so.6", True),
    ("PySide6/QtUiTools.abi3.so", True),
    ("PySide6/QtUiTools.pyd", True),
    ("ui/sign_in_dialog.ui", True),
    # translations: Simplified Chinese and English only
    ("PySide6/Qt/translations/qtbase_zh_CN.qm", True),
    ("PySide6/translations/qtbase_en.qm", True),
    ("PySide6/Qt/translations/qtwebengine_locales/zh-CN.pak", True),
    ("PySide6/translations/qtwebengine_locales/en-US.pak", True),
    ("PySide6/Qt/translations/qtbase_de.qm", False),
    ("PySide6/Qt/translations/qtwebengine_locales/ja.pak", False),
    # never used
    ("PySide6/Qt/lib/libQt6Quick3D.so.6", False),
    ("PySide6/Qt6Quick3DRuntimeRender.dll", False),
    ("PySide6/Qt/lib/libQt6Charts.so.6", False),
    ("PySide6/Qt6Graphs.dll", False),
    ("PySide6/Qt/lib/libQt6DataVisualization.so.6", False),
    ("PySide6/Qt6Multimedia.dll", False),
    ("PySide6/Qt/lib/libQt6Pdf.so.6", False),
    ("PySide6/Qt/qml/QtQuick/Controls/libqtquickcontrols2plugin.so", False),
    ("PySide6\\qml\\QtQuick3D\\qmldir", False),
    ("PySide6/QtTest.abi3.so", False),
    ("PySide6/QtQuick3D.pyd", False),
    ("PySide6/Qt/resources/qtwebengine_devtools_resources.pak", False),
    ("PySide6/Qt/plugins/platforms/libqwayland-egl.so", False),
    ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", False),
    # ours
    ("resources/i18n/gridstation_zh_CN.qm", True),
    ("db/versions/0001_initial_schema.py", True),
])
def test_bundle_leaves_out_only_what_is_never_used(dest, keep):
    assert wanted((dest, "/src", "BINARY")) is keep


def test_one_version_number():
    import gridstation

    version = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    assert gridstation.__version__ == version
    iss = (ROOT / "packaging" / "windows" / "gridstation.iss").read_text(encoding="utf-8-sig")
    # the installer reads the version back from GridStation.exe's version resource (written by
    # gridstation.spec from pyproject.toml): no second number to keep in step
    assert "GetVersionNumbersString" in iss and version not in iss
    assert "AppId={{8736C970-4653-40F4-9173-EFBF49324B9F}" in iss  # fixed: upgrades in place
    spec = (ROOT / "gridstation.spec").read_text(encoding="utf-8")
    assert 'tomllib.loads((root / "pyproject.toml")' in spec and "version=version_file(" in spec


def test_windows_icon_holds_every_size():
    data = (ROOT / "resources" / "icons" / "gridstation.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind) == (0, 1) and count >= 5
    sizes = {data[6 + 16 * i] or 256 for i in range(count)}
    assert {16, 32, 48, 256} <= sizes


@pytest.mark.slow
def test_wheel_carries_resources_and_migrations(tmp_path):
    """pip install gridstation-*.whl must be able to migrate and to find its resources."""
    r = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-2000:]
    wheel = next(tmp_path.glob("gridstation-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in ("gridstation/migrations/env.py", "gridstation/migrations/script.py.mako",
                   "gridstation/migrations/versions/0001_initial_schema.py", "gridstation/resources/map/page.j2",
                   "gridstation/resources/i18n/gridstation_zh_CN.qm", "gridstation/resources/themes/light.qss",
                   "gridstation/resources/icons/gridstation.svg", "gridstation/resources/wall/one-screen.toml",
                   "gridstation/app/main.py", "gridstation/logs.py", "gridstation/ui/sign_in_dialog.ui",
                   "gridstation/ui/action_form.ui"):
        assert needed in names, needed
    assert not any(n.startswith(("tests/", "db/", "resources/", "ui/")) for n in names)
    # installed as the wheel lays it out, gridstation.paths finds them inside the package
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    code = ("import gridstation.paths as p; m = p.migrations_dir(); r = p.resources_dir(); "
            "print(m.relative_to(p._PKG), r.relative_to(p._PKG), p.ui_dir().relative_to(p._PKG))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path,
                         env={**os.environ, "PYTHONPATH": str(site)}, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["migrations", "resources", "ui"]
