"""Table models of the analytics window (house style: plain rows in, roles answered by table).

``RawRole`` gives the unformatted value of a cell (the number the figure is), which sorting
and the tests use; ``FigureRole`` the drill-down figure a cell stands for (None: not a number
with cases behind it)."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont

from gridstation.analytics import drilldown as dd
from gridstation.analytics import evaluation
from gridstation.app import i18n

RawRole = Qt.ItemDataRole.UserRole + 11
FigureRole = Qt.ItemDataRole.UserRole + 12
NodeRole = Qt.ItemDataRole.UserRole + 13
RowIdRole = Qt.ItemDataRole.UserRole + 14

_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_ALIGN = int(Qt.ItemDataRole.TextAlignmentRole)
_FONT = int(Qt.ItemDataRole.FontRole)
_FG = int(Qt.ItemDataRole.ForegroundRole)
_BG = int(Qt.ItemDataRole.BackgroundRole)
_RIGHT = int((Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter).value)
_CENTER = int(Qt.AlignmentFlag.AlignCenter.value)
_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
DIM = QColor("#5f6368")
UP, DOWN = QColor("#1e8e3e"), QColor("#c5221f")
GRADE_COLOURS = {"A": "#1e8e3e", "B": "#7cb342", "C": "#f9a825", "D": "#ef6c00", "E": "#c62828"}

RATES = frozenset({"closure_rate", "on_time_rate", "public_share"})
MINUTES = frozenset({"avg_close_minutes", "p90_close_minutes"})
#: Lower is better for these: a rise is shown red.
LOWER_BETTER = frozenset({"overdue_now", "reworks", "returns", "extensions", "parked", "voided",
                          "avg_close_minutes", "p90_close_minutes"})


def figure_labels() -> list[tuple[str, str]]:
    """The figures of the drill-down table, in order (literal strings for lupdate)."""
    return [
        ("reported", QCoreApplication.translate("Analytics", "Reported")),
        ("filed", QCoreApplication.translate("Analytics", "Filed")),
        ("dispatched", QCoreApplication.translate("Analytics", "Dispatched")),
        ("handled", QCoreApplication.translate("Analytics", "Handled")),
        ("closed", QCoreApplication.translate("Analytics", "Closed")),
        ("closure_rate", QCoreApplication.translate("Analytics", "Closure rate")),
        ("on_time_rate", QCoreApplication.translate("Analytics", "On-time closure")),
        ("overdue_now", QCoreApplication.translate("Analytics", "Overdue now")),
        ("reworks", QCoreApplication.translate("Analytics", "Rework")),
        ("returns", QCoreApplication.translate("Analytics", "Returns")),
        ("extensions", QCoreApplication.translate("Analytics", "Extensions")),
        ("parked", QCoreApplication.translate("Analytics", "Parked")),
        ("voided", QCoreApplication.translate("Analytics", "Voided")),
        ("avg_close_minutes", QCoreApplication.translate("Analytics", "Avg to close")),
        ("p90_close_minutes", QCoreApplication.translate("Analytics", "P90 to close")),
        ("public_share", QCoreApplication.translate("Analytics", "Public share")),
    ]


def fmt_value(figure: str, v) -> str:
    if v is None:
        return "—"
    if figure in RATES:
        return f"{100 * v:.1f}%"
    if figure in MINUTES:
        return f"{v / 60:.1f} h"
    if isinstance(v, float):
        return f"{v:.1f}"
    return f"{v:,}"


def fmt_change(c, figure: str = "") -> str:
    """A count's change in per cent; a rate's (``dd.RATE_FIGURES``) in percentage points."""
    if c is None:
        return "—"
    if figure in dd.RATE_FIGURES:
        return QCoreApplication.translate("Analytics", "%1 pp").replace("%1", f"{100 * c:+.1f}")
    return f"{100 * c:+.1f}%"


class DrillModel(QAbstractTableModel):
    """The children of a node with their figures; the node's total is the last row (it stays
    last when sorting). ``compare``: "", "yoy", "prev" or "both" adds 同比/环比 columns."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[dd.DrillRow] = []
        self._total: dd.DrillRow | None = None
        self._drill: dd.DrillDown | None = None
        self._compare = "prev"
        self._cols: list[tuple[str, str]] = []  # (figure, "name" | "value" | "yoy" | "prev")
        self._sort: tuple[int, Qt.SortOrder] | None = None
        self._labels = dict(figure_labels())
        self.level_names: dict[str, str] = {}  # region level key → its configured name
        self._build_columns()

    def level_name(self, node: dd.Node) -> str:
        """The node's level in words: the city's own level name, 单元网格 for a grid."""
        if node.kind == "grid":
            return QCoreApplication.translate("Analytics", "Unit grid")
        return self.level_names.get(node.level, node.level)

    # -------------------------------------------------------------- content
    def _build_columns(self) -> None:
        cols = [("name", "name")]
        for f, _ in figure_labels():
            cols.append((f, "value"))
            if self._compare in ("yoy", "both"):
                cols.append((f, "yoy"))
            if self._compare in ("prev", "both"):
                cols.append((f, "prev"))
        self._cols = cols

    def set_compare(self, mode: str) -> None:
        self.beginResetModel()
        self._compare = mode
        self._build_columns()
        self.endResetModel()
        if self._sort:
            self.sort(0 if self._sort[0] >= len(self._cols) else self._sort[0], self._sort[1])

    def set_drill(self, d: dd.DrillDown) -> None:
        self.beginResetModel()
        self._drill = d
        self._rows = list(d.rows)
        self._total = d.total
        self.endResetModel()
        if self._sort:
            self.sort(*self._sort)

    @property
    def drill(self) -> dd.DrillDown | None:
        return self._drill

    def column_of(self, figure: str, kind: str = "value") -> int:
        return self._cols.index((figure, kind))

    def row_at(self, row: int) -> dd.DrillRow | None:
        if 0 <= row < len(self._rows):
            return self._rows[row]
        if row == len(self._rows) and self._total is not None:
            return self._total
        return None

    def is_total(self, row: int) -> bool:
        return row == len(self._rows) and self._total is not None

    # -------------------------------------------------------------- Qt
    def rowCount(self, parent=QModelIndex()) -> int:
        if parent.isValid():
            return 0
        return len(self._rows) + (1 if self._total is not None else 0)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._cols)

    def flags(self, index) -> Qt.ItemFlag:
        return _FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal or not (0 <= section < len(self._cols)):
            return None
        f, kind = self._cols[section]
        r = int(role)
        if r == _DISPLAY:
            if kind == "name":
                return QCoreApplication.translate("Analytics", "Name")
            if kind == "yoy":
                return QCoreApplication.translate("Analytics", "YoY")
            if kind == "prev":
                return QCoreApplication.translate("Analytics", "vs prev.")
            return self._labels[f]
        if r == _TOOLTIP:
            if kind == "name":
                return QCoreApplication.translate("Analytics", "Double-click a row to drill down")
            zh = dd.FIGURES.get(f, f)
            if kind == "yoy":
                p = f" ({self._drill.yoy_period.span_text()})" if self._drill else ""
                what = QCoreApplication.translate("Analytics", "change against the same dates a year earlier")
                return f"{self._labels[f]} — {what}{p}"
            if kind == "prev":
                p = f" ({self._drill.prev_period.span_text()})" if self._drill else ""
                what = QCoreApplication.translate("Analytics", "change against the previous period")
                return f"{self._labels[f]} — {what}{p}"
            what = QCoreApplication.translate("Analytics", "click a number to see the cases behind it")
            return f"{zh} — {what}"
        if r == _ALIGN and kind != "name":
            return _RIGHT
        return None

    def _raw(self, row: dd.DrillRow, f: str, kind: str):
        if kind == "name":
            return row.node.name
        if kind == "value":
            return getattr(row.current, f)
        if f == "overdue_now":
            return None  # a current figure: no comparison
        return row.change(f, kind)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self.row_at(index.row())
        if row is None or not (0 <= index.column() < len(self._cols)):
            return None
        f, kind = self._cols[index.column()]
        r = int(role)
        total = self.is_total(index.row())
        if r == _DISPLAY:
            v = self._raw(row, f, kind)
            if kind == "name":
                return QCoreApplication.translate("Analytics", "Total") + f" · {v}" if total else v
            return fmt_value(f, v) if kind == "value" else fmt_change(v, f)
        if r == int(RawRole):
            return self._raw(row, f, kind)
        if r == int(FigureRole):
            return f if kind == "value" else None
        if r == int(NodeRole):
            return row.node
        if r == _ALIGN:
            return None if kind == "name" else _RIGHT
        if r == _FONT and total:
            font = QFont()
            font.setBold(True)
            return font
        if r == _FG and kind in ("yoy", "prev"):
            c = self._raw(row, f, kind)
            if c is None or abs(c) < 1e-9:
                return DIM
            good = (c < 0) if f in LOWER_BETTER else (c > 0)
            return UP if good else DOWN
        if r == _TOOLTIP:
            if kind == "name":
                return f"{row.node.code} · {self.level_name(row.node)}"
            if kind == "value":
                parts = [f"{dd.FIGURES.get(f, f)}: {fmt_value(f, getattr(row.current, f))}"]
                if f != "overdue_now":
                    if row.yoy is not None:
                        parts.append(QCoreApplication.translate("Analytics", "YoY") + f": {fmt_value(f, getattr(row.yoy, f))} ({fmt_change(row.change(f, 'yoy'), f)})")
                    if row.prev is not None:
                        parts.append(QCoreApplication.translate("Analytics", "vs prev.") + f": {fmt_value(f, getattr(row.prev, f))} ({fmt_change(row.change(f, 'prev'), f)})")
                return "\n".join(parts)
        return None

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        if not (0 <= column < len(self._cols)):
            return
        self._sort = (column, order)
        f, kind = self._cols[column]
        self.layoutAboutToBeChanged.emit()
        old = list(self._rows)
        persistent = self.persistentIndexList()
        keep = [(p, old[p.row()] if p.row() < len(old) else None, p.column()) for p in persistent if p.isValid()]

        def key(r: dd.DrillRow):
            v = self._raw(r, f, kind)
            if kind == "name":
                return (0, r.node.code)
            return (1, 0) if v is None else (0, v)

        desc = order == Qt.SortOrder.DescendingOrder
        have = [r for r in old if kind == "name" or self._raw(r, f, kind) is not None]
        none = [r for r in old if r not in have]
        have.sort(key=key, reverse=desc)
        self._rows = have + none  # no value last either way
        pos = {id(r): i for i, r in enumerate(self._rows)}
        for p, r, c in keep:
            new_row = pos[id(r)] if r is not None else len(self._rows)
            self.changePersistentIndex(p, self.index(new_row, c))
        self.layoutChanged.emit()


class CasesModel(QAbstractTableModel):
    """The cases behind a number: number, category, grid, state, reported at."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._lines: list = []

    def set_lines(self, lines: list) -> None:
        self.beginResetModel()
        self._lines = list(lines)
        self.endResetModel()

    def ids(self) -> list[int]:
        return [c.id for c in self._lines]

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._lines)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else 5

    def flags(self, index) -> Qt.ItemFlag:
        return _FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and int(role) == _DISPLAY and 0 <= section < 5:
            return (QCoreApplication.translate("Analytics", "Number"), QCoreApplication.translate("Analytics", "Category"), QCoreApplication.translate("Analytics", "Grid"), QCoreApplication.translate("Analytics", "State"), QCoreApplication.translate("Analytics", "Reported at"))[section]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not (0 <= index.row() < len(self._lines)):
            return None
        c = self._lines[index.row()]
        r = int(role)
        if r == _DISPLAY:
            col = index.column()
            if col == 0:
                return c.number
            if col == 1:
                return c.category
            if col == 2:
                return c.grid
            if col == 3:
                return i18n.state_label(c.state)
            if col == 4:
                return c.reported_at.strftime("%Y-%m-%d %H:%M") if c.reported_at else ""
        if r == int(RowIdRole):
            return c.id
        return None

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        keys = (lambda c: c.number, lambda c: c.category, lambda c: c.grid, lambda c: c.state,
                lambda c: c.reported_at)
        if not (0 <= column < 5):
            return
        self.layoutAboutToBeChanged.emit()
        self._lines.sort(key=keys[column], reverse=order == Qt.SortOrder.DescendingOrder)
        self.layoutChanged.emit()


class EvalModel(QAbstractTableModel):
    """An evaluation result: type, code, name, indicators, composite score, grade."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.result: evaluation.EvalResult | None = None
        self._rows: list[evaluation.EvalRow] = []
        self._keys: list[str] = []
        self._names = {k: (zh, en) for obj in evaluation.INDICATORS.values() for k, zh, en in obj}
        self.level_names: dict[str, str] = {}  # region level key → its configured (Chinese) name

    def set_result(self, res: evaluation.EvalResult) -> None:
        self.beginResetModel()
        self.result = res
        self._rows = list(res.rows)
        keys: list[str] = []
        for r in self._rows:
            for k in r.values:
                if k not in keys:
                    keys.append(k)
        self._keys = keys
        self.endResetModel()

    def indicator_column(self, key: str) -> int:
        return 3 + self._keys.index(key)

    @property
    def score_column(self) -> int:
        return 3 + len(self._keys)

    @property
    def grade_column(self) -> int:
        return 4 + len(self._keys)

    def row_at(self, row: int):
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else 5 + len(self._keys)

    def flags(self, index) -> Qt.ItemFlag:
        return _FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    def _kind(self, col: int) -> str | None:
        if col == 0:
            return "type"
        if col == 1:
            return "code"
        if col == 2:
            return "name"
        if 3 <= col < 3 + len(self._keys):
            return "ind"
        if col == self.score_column:
            return "score"
        if col == self.grade_column:
            return "grade"
        return None

    def _formula(self, key: str) -> str | None:
        objs = {r.object for r in self._rows}
        for o in sorted(objs):
            if f"{o}.{key}" in evaluation.FORMULAS:
                return i18n.formula_text(f"{o}.{key}")
        return None

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal:
            return None
        kind = self._kind(section)
        r = int(role)
        if kind is None:
            return None
        if r == _DISPLAY:
            if kind == "ind":
                k = self._keys[section - 3]
                return self._names.get(k, (k, k))[1].capitalize() if not _zh() else self._names.get(k, (k, k))[0]
            return {"type": QCoreApplication.translate("Analytics", "Type"), "code": QCoreApplication.translate("Analytics", "Code"), "name": QCoreApplication.translate("Analytics", "Name"), "score": QCoreApplication.translate("Analytics", "Score"),
                    "grade": QCoreApplication.translate("Analytics", "Grade")}[kind]
        if r == _TOOLTIP:
            if kind == "ind":
                return self._formula(self._keys[section - 3])
            if kind == "score" and self.result is not None:
                w = self.result.weights
                zh = i18n.chinese()
                return QCoreApplication.translate("Analytics", "Composite: the weighted sum of the indicator scores") + "\n" + "\n".join(
                    ", ".join(f"{self._names.get(k, (k, k))[0 if zh else 1]} {v:g}%" for k, v in ws.items())
                    for ws in w.values())
            if kind == "grade":
                return "A ≥ 90, B ≥ 75, C ≥ 60, D ≥ 40, E < 40"
        if r == _ALIGN and kind in ("ind", "score"):
            return _RIGHT
        return None

    def _raw(self, row, col: int):
        kind = self._kind(col)
        if kind == "type":
            return row.extra.get("level") or row.extra.get("position") or row.object
        if kind == "code":
            return row.code
        if kind == "name":
            return row.name
        if kind == "ind":
            return row.values.get(self._keys[col - 3])
        if kind == "score":
            return row.score
        if kind == "grade":
            return row.grade
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self.row_at(index.row())
        kind = self._kind(index.column())
        if row is None or kind is None:
            return None
        r = int(role)
        v = self._raw(row, index.column())
        if r == _DISPLAY:
            if kind == "type":
                if row.object == "region":
                    return self.level_names.get(v) or (QCoreApplication.translate("Analytics", "Unit grid")
                                                       if v == "grid" else v)
                if row.object == "department":
                    return i18n.level_label(v)
                return i18n.position_label(v)
            if kind == "ind":
                k = self._keys[index.column() - 3]
                if v is None:
                    return "—"
                if isinstance(v, float) and (k.endswith("rate") or k.endswith("on_time") or k.endswith("accuracy")
                                             or k == "public_share"):
                    return f"{100 * v:.1f}%"
                return f"{v:.1f}" if isinstance(v, float) else f"{v:,}"
            if kind == "score":
                return "—" if v is None else f"{v:.1f}"
            return v or ""
        if r == int(RawRole):
            return v
        if r == int(RowIdRole):
            return row.id
        if r == _ALIGN:
            if kind in ("ind", "score"):
                return _RIGHT
            if kind == "grade":
                return _CENTER
        if kind == "grade" and v:
            if r == _BG:
                return QColor(GRADE_COLOURS.get(v, "#9e9e9e"))
            if r == _FG:
                return QColor("white")
            if r == _FONT:
                font = QFont()
                font.setBold(True)
                return font
        if r == _TOOLTIP and kind == "ind":
            k = self._keys[index.column() - 3]
            s = row.scores.get(k)
            return None if s is None else QCoreApplication.translate("Analytics", "Score") + f": {s:.1f}"
        return None

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        if self._kind(column) is None:
            return
        self.layoutAboutToBeChanged.emit()
        have = [r for r in self._rows if self._raw(r, column) is not None]
        none = [r for r in self._rows if self._raw(r, column) is None]
        have.sort(key=lambda r: self._raw(r, column), reverse=order == Qt.SortOrder.DescendingOrder)
        self._rows = have + none
        self.layoutChanged.emit()


def _zh() -> bool:
    return QCoreApplication.translate("Analytics", "Name") != "Name"


__all__ = [
    "CasesModel",
    "DrillModel",
    "EvalModel",
    "FigureRole",
    "NodeRole",
    "QPersistentModelIndex",
    "RawRole",
    "RowIdRole",
    "figure_labels",
    "fmt_change",
    "fmt_value",
]
