"""地图: the base map under the grids (outlines, an intranet tile server or an MBTiles file)
and where the map opens."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QDoubleSpinBox,
    QFileDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QWidget,
)

from gridstation.admin import mapconfig as core
from gridstation.app.admin.common import Page


class MapPage(Page):
    entities = ("config",)

    outlines: QRadioButton
    xyz: QRadioButton
    mbtiles: QRadioButton
    url: QLineEdit
    min_zoom: QSpinBox
    max_zoom: QSpinBox
    attribution: QLineEdit
    path: QLineEdit
    browse: QPushButton
    path_warning: QLabel
    lat: QDoubleSpinBox
    lon: QDoubleSpinBox
    zoom: QSpinBox
    no_view: QLabel
    save_button: QPushButton

    def title(self) -> str:
        return self.tr("Base map")

    def hint(self) -> str:
        return self.tr("GridStation works offline: the base map is drawn from the region outlines, or comes from a "
                       "tile server on the intranet or an MBTiles file present on every workstation.")

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)  # the form: ui/map_page.ui
        self.loaded: tuple[dict, dict | None] = ({"type": "outlines"}, None)
        self.kind = QButtonGroup(self)
        for b in (self.outlines, self.xyz, self.mbtiles):
            self.kind.addButton(b)
        for z, v in ((self.min_zoom, 0), (self.max_zoom, 18)):
            z.setRange(0, core.MAX_ZOOM)
            z.setValue(v)
        self.zoom.setRange(1, core.MAX_ZOOM)
        self.zoom.setValue(13)
        self.browse.clicked.connect(self._browse)
        self.kind.buttonToggled.connect(lambda *_: self._enable())
        self.path.textChanged.connect(lambda *_: self._check_path())
        self.save_button.clicked.connect(self.save)
        self.outlines.setChecked(True)

    def _enable(self) -> None:
        for w in (self.url, self.min_zoom, self.max_zoom, self.attribution):
            w.setEnabled(self.xyz.isChecked())
        self.path.setEnabled(self.mbtiles.isChecked())
        self._check_path()

    def _check_path(self) -> None:
        missing = self.mbtiles.isChecked() and core.mbtiles_missing({"type": "mbtiles", "path": self.path.text().strip()})
        self.path_warning.setText(self.tr("This workstation has no such file; every workstation needs it at this path.")
                                  if missing and self.path.text().strip() else "")

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("MBTiles file"), "", self.tr("MBTiles (*.mbtiles)"))
        if path:
            self.path.setText(path)
            self.mbtiles.setChecked(True)

    def load(self) -> None:
        self.read(core.load, self._loaded)

    def _loaded(self, data) -> None:
        self.loaded = data
        base, view = data
        kind = base.get("type", "outlines")
        {"xyz": self.xyz, "mbtiles": self.mbtiles}.get(kind, self.outlines).setChecked(True)
        self.url.setText(base.get("url", "") if kind == "xyz" else "")
        self.min_zoom.setValue(int(base.get("min_zoom", 0)))
        self.max_zoom.setValue(int(base.get("max_zoom", 18)))
        self.attribution.setText(base.get("attribution", ""))
        self.path.setText(base.get("path", "") if kind == "mbtiles" else "")
        if view:
            self.lat.setValue(view["center"][0])
            self.lon.setValue(view["center"][1])
            self.zoom.setValue(int(view["zoom"]))
        self.no_view.setVisible(not view)
        self._enable()

    def base_value(self) -> dict:
        if self.xyz.isChecked():
            v = {"type": "xyz", "url": self.url.text().strip(), "min_zoom": self.min_zoom.value(),
                 "max_zoom": self.max_zoom.value()}
            if self.attribution.text().strip():
                v["attribution"] = self.attribution.text().strip()
            return v
        if self.mbtiles.isChecked():
            return {"type": "mbtiles", "path": self.path.text().strip()}
        return {"type": "outlines"}

    def view_value(self) -> dict:
        return {"center": [self.lat.value(), self.lon.value()], "zoom": self.zoom.value()}

    def save(self) -> None:
        engine, actor = self.ctx.engine, self.ctx.actor
        base, view = self.base_value(), self.view_value()
        if not self.loaded[1] and view["center"] == [0.0, 0.0]:
            view = None  # never set and untouched: keep "the whole city"
        self.run(lambda: core.save(engine, actor, base=base, view=view),
                 lambda changed: (self.message.info(self.tr("Map settings saved.") if changed
                                                    else self.tr("Nothing changed.")),
                                  None if getattr(self.window(), "live", False) else self.load()))
