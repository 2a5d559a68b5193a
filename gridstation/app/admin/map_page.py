"""地图: the base map under the grids (outlines, an intranet tile server or an MBTiles file)
and where the map opens."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from gridstation.admin import mapconfig as core
from gridstation.app.admin.common import Page


class MapPage(Page):
    entities = ("config",)

    def title(self) -> str:
        return self.tr("Base map")

    def hint(self) -> str:
        return self.tr("GridStation works offline: the base map is drawn from the region outlines, or comes from a "
                       "tile server on the intranet or an MBTiles file present on every workstation.")

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.loaded: tuple[dict, dict | None] = ({"type": "outlines"}, None)
        self.outlines = QRadioButton(self.tr("Outline map (district, street and community boundaries)"))
        self.xyz = QRadioButton(self.tr("Tile server on the intranet (XYZ)"))
        self.mbtiles = QRadioButton(self.tr("MBTiles file"))
        self.kind = QButtonGroup(self)
        for b in (self.outlines, self.xyz, self.mbtiles):
            self.kind.addButton(b)
        self.url = QLineEdit()
        self.url.setObjectName("TileUrl")
        self.url.setPlaceholderText("http://10.0.0.5/tiles/{z}/{x}/{y}.png")
        self.min_zoom, self.max_zoom = QSpinBox(), QSpinBox()
        for z, v in ((self.min_zoom, 0), (self.max_zoom, 18)):
            z.setRange(0, core.MAX_ZOOM)
            z.setValue(v)
        self.attribution = QLineEdit()
        self.path = QLineEdit()
        self.path.setObjectName("MbtilesPath")
        self.path.setPlaceholderText("D:/maps/city.mbtiles")
        browse = QPushButton(self.tr("Browse…"))
        browse.clicked.connect(self._browse)
        self.path_warning = QLabel()
        self.path_warning.setWordWrap(True)
        self.path_warning.setStyleSheet("color: #7a4d00;")

        base = QGroupBox(self.tr("Base map"))
        bl = QVBoxLayout(base)
        bl.addWidget(self.outlines)
        bl.addWidget(self.xyz)
        xf = QFormLayout()
        xf.setContentsMargins(24, 0, 0, 0)
        xf.addRow(self.tr("Address"), self.url)
        zr = QHBoxLayout()
        zr.addWidget(self.min_zoom)
        zr.addWidget(QLabel("–"))
        zr.addWidget(self.max_zoom)
        zr.addStretch(1)
        xf.addRow(self.tr("Zoom levels"), zr)
        xf.addRow(self.tr("Attribution"), self.attribution)
        bl.addLayout(xf)
        bl.addWidget(self.mbtiles)
        mf = QFormLayout()
        mf.setContentsMargins(24, 0, 0, 0)
        pr = QHBoxLayout()
        pr.addWidget(self.path, 1)
        pr.addWidget(browse)
        mf.addRow(self.tr("File"), pr)
        mf.addRow("", self.path_warning)
        bl.addLayout(mf)

        self.lat, self.lon = QDoubleSpinBox(), QDoubleSpinBox()
        for spin, lim in ((self.lat, 90), (self.lon, 180)):
            spin.setRange(-lim, lim)
            spin.setDecimals(6)
            spin.setSingleStep(0.001)
        self.lat.setObjectName("ViewLat")
        self.lon.setObjectName("ViewLon")
        self.zoom = QSpinBox()
        self.zoom.setRange(1, core.MAX_ZOOM)
        self.zoom.setValue(13)
        view = QGroupBox(self.tr("Where the map opens"))
        vf = QFormLayout(view)
        vf.addRow(self.tr("Latitude"), self.lat)
        vf.addRow(self.tr("Longitude"), self.lon)
        vf.addRow(self.tr("Zoom"), self.zoom)
        self.no_view = QLabel(self.tr("Not set: the map opens on the whole city."))
        self.no_view.setObjectName("AdminPageHint")
        vf.addRow("", self.no_view)

        self.save_button = QPushButton(self.tr("Save"))
        self.save_button.setObjectName("SaveMap")
        self.save_button.setProperty("primary", True)
        note = QLabel(self.tr("Open windows change their base map the next time they load the map."))
        note.setObjectName("AdminNote")
        note.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(base, 3)
        row.addWidget(view, 2)
        self.body.addLayout(row)
        self.body.addWidget(note)
        self.body.addStretch(1)
        foot = QHBoxLayout()
        foot.addStretch(1)
        foot.addWidget(self.save_button)
        self.body.addLayout(foot)
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
