"""Which of the files PyInstaller's hooks collect go into the bundle (gridstation.spec uses it;
tests/test_packaging.py checks it): the libraries of Qt modules GridStation never uses (pulled in
as dependencies of QML plugins), QML itself, Wayland (the Linux smoke build runs on X11, Windows
has none), Chromium's developer tools, and translations other than Simplified Chinese and English
stay out. Names are matched for Linux (``libQt6X.so.6``) and Windows (``Qt6X.dll``) alike."""

from __future__ import annotations

import re

# never dropped: WebEngineCore and WebEngineWidgets link Core, Gui, Widgets, Network, OpenGL,
# DBus, Positioning, PrintSupport, Qml, QmlMeta, QmlModels, QmlWorkerScript, Quick,
# QuickWidgets and WebChannel; UiTools loads the Designer forms (ui/*.ui) at run time
_QT_UNUSED = (
    r"Quick3D\w*|Charts\w*|Graphs\w*|DataVisualization\w*|Multimedia\w*|3D\w+|Location|"
    r"ShaderTools|QuickControls2\w*|QuickDialogs2\w*|QuickTemplates2|QuickLayouts|QuickShapes\w*|"
    r"QuickEffects|QuickParticles|QuickTimeline\w*|QuickVectorImage\w*|Labs\w+|"
    r"RemoteObjects\w*|WebView\w*|Wayland\w*|WlShellIntegration|VirtualKeyboard\w*|Sensors\w*|"
    r"SpatialAudio|TextToSpeech|Scxml\w*|StateMachine\w*|Pdf\w*|Test|Designer\w*|"
    r"Help|Bluetooth|Nfc|SerialPort|SerialBus|HttpServer|WebSockets|Sql|Xml|"
    r"Concurrent|JsonRpc|LanguageServer|QmlCompiler|QmlLocalStorage|QmlXmlListModel|"
    r"QuickTest|QmlDom|QmlLS|QmlToolingSettings|QmlNetwork|QmlCore"
)
DROP = [
    re.compile(r"(^|[\\/])qml[\\/]", re.I),
    re.compile(rf"(^|[\\/])(lib)?Qt6({_QT_UNUSED})(\.so[.\d]*|\.dll)$", re.I),
    re.compile(r"(^|[\\/])Qt({_QT_UNUSED})\.(abi3\.so|pyd)$".replace("{_QT_UNUSED}", _QT_UNUSED), re.I),
    re.compile(r"[\\/]plugins[\\/](wayland[\w-]*|qmltooling|sceneparsers|renderers|geometryloaders|"
               r"multimedia|sensors|position|texttospeech|designer|sqldrivers|scenegraph|"
               r"webview|canbus|renderplugins|assetimporters|qmllint)[\\/]", re.I),
    re.compile(r"[\\/]plugins[\\/]platforms[\\/](lib)?q(wayland|eglfs|linuxfb|minimalegl|vnc|vkkhrdisplay)", re.I),
    re.compile(r"[\\/]plugins[\\/]platforminputcontexts[\\/]", re.I),
    # the GTK look on Linux (and libgtk-3, 9 MB, which only it loads); a PDF image plugin whose Qt
    # library is left out above; touch, tablet and console input drivers of embedded Linux
    re.compile(r"[\\/]plugins[\\/](platformthemes[\\/]libqgtk3|imageformats[\\/](lib)?qpdf)", re.I),
    re.compile(r"(^|[\\/])libgtk-3\.so", re.I),
    re.compile(r"[\\/]plugins[\\/](generic|egldeviceintegrations)[\\/]", re.I),
    re.compile(r"qtwebengine_devtools_resources\.pak$", re.I),
]
KEEP_LOCALE = re.compile(r"(_zh_CN|_en)\.qm$|[\\/](zh-CN|en-US)\.pak$", re.I)
TRANSLATION = re.compile(r"[\\/]translations[\\/]", re.I)


def wanted(entry) -> bool:
    """``entry``: a PyInstaller TOC entry ``(destination, source, kind)``."""
    dest = entry[0]
    if any(p.search(dest) for p in DROP):
        return False
    if TRANSLATION.search(dest) and dest.lower().startswith("pyside6") and not KEEP_LOCALE.search(dest):
        return False
    return True
