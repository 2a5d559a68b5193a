"""考核权重: the weight of each indicator in each object's composite score (summing to 100) and
the grade bands, checked by ``evaluation.validate_settings`` before they are saved."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from gridstation.analytics import evaluation
from gridstation.admin import weights as core
from gridstation.app.i18n import formula_text, position_label
from gridstation.app.admin.common import AmountSpin, Page, ui_chinese


def object_label(obj: str) -> str:
    if obj in evaluation.OBJECTS:
        return position_label(obj)
    return {"department": QCoreApplication.translate("Admin", "Departments"),
            "region": QCoreApplication.translate("Admin", "Regions")}.get(obj, obj)


class EvaluationPage(Page):
    entities = ("config",)

    weights_scroll: QScrollArea
    grid: QGridLayout
    grades: QTableWidget
    add_band: QPushButton
    remove_band: QPushButton
    defaults_button: QPushButton
    revert_button: QPushButton
    save_button: QPushButton

    def title(self) -> str:
        return self.tr("Evaluation weights")

    def hint(self) -> str:
        return self.tr("Each object's composite score is the weighted sum of its indicator scores; the weights of an "
                       "object sum to 100. Indicators without a basis in a period share their weight out.")

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)  # the frame, the grade bands and the buttons: ui/evaluation_page.ui
        self.settings: dict = {}
        self.spins: dict[tuple[str, str], QDoubleSpinBox] = {}
        self.sums: dict[str, QLabel] = {}
        zh = ui_chinese()
        scored = core.defaults()["weights"]
        for i, (obj, indicators) in enumerate(evaluation.INDICATORS.items()):  # one box per evaluated object
            box = QGroupBox(object_label(obj))
            form = QFormLayout(box)
            for key, name_zh, name_en in indicators:
                if key not in scored.get(obj, {}):
                    continue  # shown in the evaluation table, not scored
                spin = AmountSpin()
                spin.setObjectName(f"Weight_{obj}_{key}")
                spin.setRange(0, 100)
                spin.setDecimals(1)
                spin.setSuffix(" %")
                spin.setToolTip(formula_text(f"{obj}.{key}"))
                spin.valueChanged.connect(lambda *_, o=obj: self._update_sum(o))
                self.spins[(obj, key)] = spin
                form.addRow(name_zh if zh else name_en, spin)
            total = QLabel()
            self.sums[obj] = total
            form.addRow(self.tr("Total"), total)
            self.grid.addWidget(box, i // 3, i % 3)

        tab = [self.weights_scroll, *self.spins.values(), self.grades, self.add_band, self.remove_band,
               self.defaults_button, self.revert_button, self.save_button]
        for a, b in zip(tab, tab[1:]):  # the weights (built here) before the .ui's grade bands and buttons
            QWidget.setTabOrder(a, b)
        self.grades.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.add_band.clicked.connect(lambda: self._add_grade("", 0))
        self.remove_band.clicked.connect(
            lambda: self.grades.removeRow(self.grades.currentRow()) if self.grades.currentRow() >= 0 else None)
        self.save_button.clicked.connect(self.save)
        self.defaults_button.clicked.connect(lambda: self._fill(core.defaults()))
        self.revert_button.clicked.connect(lambda: self._fill(self.settings))

    def load(self) -> None:
        self.read(core.load, self._loaded)

    def _loaded(self, settings: dict) -> None:
        self.settings = settings
        self._fill(settings)

    def _fill(self, settings: dict) -> None:
        for (obj, key), spin in self.spins.items():
            spin.blockSignals(True)
            spin.setValue(float(settings["weights"].get(obj, {}).get(key, 0)))
            spin.blockSignals(False)
        for obj in self.sums:
            self._update_sum(obj)
        self.grades.setRowCount(0)
        for g, m in settings["grades"]:
            self._add_grade(g, m)

    def _add_grade(self, grade: str, minimum) -> None:
        r = self.grades.rowCount()
        self.grades.insertRow(r)
        self.grades.setItem(r, 0, QTableWidgetItem(str(grade)))
        item = QTableWidgetItem(f"{float(minimum):g}")
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.grades.setItem(r, 1, item)

    def _update_sum(self, obj: str) -> None:
        total = sum(s.value() for (o, _k), s in self.spins.items() if o == obj)
        ok = abs(total - 100) < 1e-6
        self.sums[obj].setText(f"{total:g} %")
        self.sums[obj].setStyleSheet("color: #1e6b3a; font-weight: 600;" if ok else "color: #c0392b; font-weight: 600;")

    def value(self) -> dict:
        """The settings as the form holds them (checked on save)."""
        weights: dict[str, dict[str, float]] = {}
        defaults = core.defaults()["weights"]
        for (obj, key), spin in self.spins.items():
            v = spin.value()
            if v > 0 or key in defaults.get(obj, {}):
                weights.setdefault(obj, {})[key] = int(v) if float(v).is_integer() else v
        grades = []
        for r in range(self.grades.rowCount()):
            g = (self.grades.item(r, 0).text() if self.grades.item(r, 0) else "").strip()
            try:
                m = float(self.grades.item(r, 1).text()) if self.grades.item(r, 1) else 0.0
            except ValueError:
                m = -1.0  # refused by the check
            grades.append([g, int(m) if m.is_integer() else m])
        return {"weights": weights, "grades": grades,
                "region_count_bands": self.settings.get("region_count_bands", core.defaults()["region_count_bands"])}

    def save(self) -> None:
        engine, actor, value = self.ctx.engine, self.ctx.actor, self.value()
        self.run(lambda: core.save(engine, actor, value),
                 lambda saved: (self.message.info(self.tr("Evaluation weights saved.")), self._loaded(saved)))
