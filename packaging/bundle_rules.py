"""What the PyInstaller bundle leaves out, as tables (read by packaging/tokenwallet.spec).

Qt's wheels carry every module and plug-in Qt has; Token Wallet is a widgets app that uses
QtCore, QtGui, QtWidgets, QtCharts and QtSvg (the icons). Everything below is never imported or
loaded by it, and leaving it out keeps the bundle small and its start-up fast.
"""

from __future__ import annotations

from pathlib import PurePath

# Python modules the analysis must not follow (they are not used at run time).
EXCLUDED_MODULES = [
    "tkinter",
    "unittest",
    "pydoc_data",
    "lib2to3",
    "pytest",
    "hypothesis",
    "_pytest",
    "mypy",
    "IPython",
    "PySide6.QtWebEngineCore",
    "PySide6.QtWebEngineWidgets",
    "PySide6.QtWebEngineQuick",
    "PySide6.QtWebChannel",
    "PySide6.QtWebSockets",
    "PySide6.QtWebView",
    "PySide6.QtQml",
    "PySide6.QtQuick",
    "PySide6.QtQuickWidgets",
    "PySide6.QtQuick3D",
    "PySide6.QtQuickControls2",
    "PySide6.Qt3DCore",
    "PySide6.Qt3DRender",
    "PySide6.Qt3DInput",
    "PySide6.Qt3DLogic",
    "PySide6.Qt3DAnimation",
    "PySide6.Qt3DExtras",
    "PySide6.QtMultimedia",
    "PySide6.QtMultimediaWidgets",
    "PySide6.QtSpatialAudio",
    "PySide6.QtTextToSpeech",
    "PySide6.QtPdf",
    "PySide6.QtPdfWidgets",
    "PySide6.QtDataVisualization",
    "PySide6.QtGraphs",
    "PySide6.QtGraphsWidgets",
    "PySide6.QtLocation",
    "PySide6.QtPositioning",
    "PySide6.QtSensors",
    "PySide6.QtBluetooth",
    "PySide6.QtNfc",
    "PySide6.QtSerialPort",
    "PySide6.QtSerialBus",
    "PySide6.QtRemoteObjects",
    "PySide6.QtScxml",
    "PySide6.QtStateMachine",
    "PySide6.QtSql",
    "PySide6.QtTest",
    "PySide6.QtDesigner",
    "PySide6.QtHelp",
    "PySide6.QtUiTools",
    "PySide6.QtHttpServer",
    "PySide6.QtNetworkAuth",
    "PySide6.QtOpenGL",
    "PySide6.QtOpenGLWidgets",
    "PySide6.QtNetwork",
]


# Qt plug-ins and libraries (paths inside the bundle, by prefix) a widgets app on a desktop never
# loads: embedded-Linux platforms (EGLFS, framebuffer, VNC) and their input drivers, image formats
# the app does not read (the PDF one pulls in all of QtPdf), the virtual keyboard (pulls in
# QtQuick and QML), the GTK 3 theme (its GTK is the user's, and mixing it with bundled GLib/cairo
# breaks), the compositor side of Wayland, and QtNetwork's plug-ins (the app's HTTP is httpx).
_QT = "PySide6/Qt/"
DROPPED_BINARIES = (
    *(
        f"{_QT}plugins/platforms/libq{name}.so"
        for name in ("eglfs", "linuxfb", "minimalegl", "vkkhrdisplay", "vnc")
    ),
    f"{_QT}plugins/egldeviceintegrations/",
    f"{_QT}plugins/generic/",
    *(f"{_QT}plugins/imageformats/libq{name}.so" for name in ("pdf", "icns", "tga", "tiff", "wbmp", "webp")),
    f"{_QT}plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so",
    f"{_QT}plugins/platformthemes/libqgtk3.so",
    f"{_QT}plugins/networkinformation/",
    f"{_QT}plugins/tls/",
    *(
        f"{_QT}plugins/wayland-graphics-integration-client/lib{name}-server.so"
        for name in ("dmabuf", "drm-egl", "shm-emulation", "vulkan")
    ),
    *(
        f"{_QT}plugins/wayland-shell-integration/lib{name}.so"
        for name in ("fullscreen-shell-v1", "ivi-shell", "qt-shell", "wl-shell-plugin")
    ),
    *(
        f"{_QT}lib/libQt6{name}"
        for name in (
            "Pdf",
            "Quick",
            "Qml",  # and QmlMeta, QmlModels, QmlWorkerScript (names are prefixes)
            "VirtualKeyboard",
            "EglFSDeviceIntegration",
            "EglFsKmsSupport",
            "Network",  # only QML and PySide6.QtNetwork link it
        )
    ),
)
# Qt's own translations: only qtbase (the standard buttons and dialogs the app shows).
KEPT_TRANSLATIONS = "qtbase_"
# Babel's locale data (the CLI's dates and numbers, issue 12): ~1,100 locales, 35 MB; the CLI
# speaks English and Simplified Chinese, which Babel reads through these (zh_CN → zh_Hans_CN).
KEPT_BABEL_LOCALES = frozenset({"root", "en", "en_US", "zh", "zh_Hans", "zh_Hans_CN"})


def keep_binary(dest: str) -> bool:
    """Is the binary at ``dest`` (its path inside the bundle) one the app can load?"""
    path = PurePath(dest).as_posix()
    name = PurePath(dest).name
    if name.startswith("libQt6") and any(
        rule.startswith(f"{_QT}lib/") and name.startswith(PurePath(rule).name) for rule in DROPPED_BINARIES
    ):
        return False  # the top-level symlink PyInstaller adds for each Qt library, too
    return not any(path.startswith(rule) for rule in DROPPED_BINARIES)


def keep_data(dest: str) -> bool:
    """Is the data file at ``dest`` needed? (PyInstaller files the symlinks it makes for the
    dropped libraries under data, so those go through :func:`keep_binary` too.)"""
    if not keep_binary(dest):
        return False
    path = PurePath(dest)
    if path.as_posix().startswith(f"{_QT}translations/"):
        return path.name.startswith(KEPT_TRANSLATIONS)
    if path.parent.as_posix().endswith("babel/locale-data"):
        return path.stem in KEPT_BABEL_LOCALES
    return True
