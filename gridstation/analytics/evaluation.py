"""Comprehensive evaluation (综合评价): regions, departments and positions, scored and graded.

The indicators and default composites follow ../shared/domain.md §5 (after GB/T 30428.4 and
CJ/T 292; the weights are configurable defaults, not law). Every figure comes from the rollups
(``rollup.py``) and is traceable to its cases (``drilldown.cases_behind`` for region figures;
the rollup rules for the rest). The definitions, including every ambiguous point, are in
docs/evaluation.md; ``FORMULAS`` holds the tooltip text of each indicator in Chinese and English.

Scoring, the same for every object:

* Each indicator gets a **score from 0 to 100**: a rate r scores 100·r (a rate where lower is
  better, such as the rework rate, scores 100·(1 − r)); a volume scores 100 × count ÷ the
  largest count of its peer group; a case count where fewer is better scores
  100 × (1 − count ÷ the largest count of the peer group); the regions' case count is banded.
* The **composite** is Σ weightᵢ × scoreᵢ ÷ 100 with weights summing to 100. An indicator with
  no basis in the period (a rate whose denominator is zero) has no score, and its weight is
  shared out over the object's other indicators in proportion to their weights.
* An object **with no activity in the period**, or whose every rate lacks a basis (only a
  volume is known), is listed with its figures but gets neither composite nor grade: there is
  nothing to grade it on (``_finish``).
* **Grades** from the composite: A ≥ 90, B ≥ 75, C ≥ 60, D ≥ 40, E below (editable bands).

Periods are half-open ``[from, to)`` and, like the drill-down, count the cases *reported* in the
period with what became of them as of the evaluation; position figures count what the person
did on the days of the period (see docs/evaluation.md for the three cohort exceptions).
"""

from __future__ import annotations

import copy
import json
import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from gridstation.analytics import rollup
from gridstation.store import settings as settings_mod
from gridstation.analytics.drilldown import figures_by_group
from gridstation.analytics.scope import Node, Period, grid_groups, resolve_node
from gridstation.store.model import ConfigChange, Department, Position, Region, RegionLevel, UnitGrid, User
from gridstation.analytics.model import RollupCaseDay, RollupPositionDay

__all__ = [
    "DEFAULTS",
    "FORMULAS",
    "FORMULAS_EN",
    "FORMULAS_ZH",
    "INDICATORS",
    "OBJECTS",
    "EvalResult",
    "EvalRow",
    "evaluate",
    "evaluate_departments",
    "evaluate_positions",
    "evaluate_regions",
    "grade",
    "load_settings",
    "save_settings",
    "validate_settings",
]

SETTING_KEY = "evaluation"

#: Objects and their indicators (key, 中文, English), in the order of the table.
INDICATORS: dict[str, list[tuple[str, str, str]]] = {
    "supervisor": [
        ("reports", "上报数", "reports"),
        ("valid_reports", "有效上报数", "valid reports"),
        ("valid_rate", "有效上报率", "valid-report rate"),
        ("missed", "漏报数", "missed reports"),
        ("missed_rate", "漏报率", "missed-report rate"),
        ("verify_on_time", "按时核实率", "on-time verification (核实) rate"),
        ("recheck_on_time", "按时核查率", "on-time re-check (核查) rate"),
    ],
    "intake_operator": [
        ("received", "受理数", "reports received"),
        ("verify_dispatch_on_time", "核实派遣及时率", "on-time dispatch of verification tasks"),
        ("check_dispatch_on_time", "核查派遣及时率", "on-time dispatch of re-check tasks"),
    ],
    "shift_leader": [
        ("filed", "立案数", "cases filed"),
        ("filing_on_time", "按时立案率", "on-time filing rate"),
        ("filing_accuracy", "立案准确率", "accurate filing rate"),
        ("closing_on_time", "按时结案率", "on-time closing rate"),
    ],
    "dispatcher": [
        ("dispatched", "派遣数", "dispatches"),
        ("dispatch_on_time", "按时派遣率", "on-time dispatch rate"),
        ("dispatch_accuracy", "派遣准确率", "accurate dispatch rate"),
    ],
    "department": [
        ("cases_due", "应处置案件数", "cases due"),
        ("closure_rate", "结案率", "closure rate"),
        ("handling_on_time", "按期处置率", "on-time handling rate"),
        ("rework_rate", "返工率", "rework rate"),
    ],
    "region": [
        ("cases", "案件数", "cases"),
        ("density", "案件密度(件/平方公里)", "cases per km²"),
        ("public_share", "公众上报占比", "public-report share"),
        ("closure_rate", "结案率", "closure rate"),
        ("on_time_rate", "按期结案率", "on-time closure rate"),
    ],
}
#: Which position values each position object covers (street dispatchers are dispatchers too).
OBJECTS = {
    "supervisor": (Position.SUPERVISOR.value,),
    "intake_operator": (Position.INTAKE_OPERATOR.value,),
    "shift_leader": (Position.SHIFT_LEADER.value,),
    "dispatcher": (Position.DISPATCHER.value, Position.STREET_DISPATCHER.value),
}

#: Default weights (scored indicators only; each object's weights sum to 100), grade bands and
#: the regions' case-count bands (density ÷ the peer mean → score; fewer cases is better).
DEFAULTS: dict = {
    "weights": {
        "supervisor": {"valid_rate": 40, "missed_rate": 20, "verify_on_time": 20, "recheck_on_time": 20},
        "intake_operator": {"received": 25, "verify_dispatch_on_time": 40, "check_dispatch_on_time": 35},
        "shift_leader": {"filing_on_time": 25, "filing_accuracy": 40, "closing_on_time": 35},
        "dispatcher": {"dispatched": 20, "dispatch_on_time": 40, "dispatch_accuracy": 40},
        "department": {"cases_due": 10, "closure_rate": 30, "handling_on_time": 30, "rework_rate": 30},
        "region": {"cases": 20, "public_share": 20, "closure_rate": 30, "on_time_rate": 30},
    },
    "grades": [["A", 90], ["B", 75], ["C", 60], ["D", 40], ["E", 0]],
    "region_count_bands": [[0.5, 100], [0.8, 90], [1.2, 80], [1.5, 70], [2.0, 60], [None, 40]],
}

FORMULAS_ZH: dict[str, str] = {
    "supervisor.reports": "上报数：监督员在期间内上报（含自处理）的案件数。",
    "supervisor.valid_reports": "有效上报数：期间内上报、已立案（或自处理经审核通过）的案件数。",
    "supervisor.valid_rate": "有效上报率 = 有效上报数 ÷（有效上报数 + 立案前作废数）× 100%；尚未立案或作废的上报不计入。得分 = 有效上报率 × 100。",
    "supervisor.missed": "漏报数：期间内热线、公众上报并已立案的案件（重复上报已在立案前作废，故立案即为监督员未先发现的问题），按网格平均分摊给巡查范围覆盖该网格的监督员。",
    "supervisor.missed_rate": "漏报率 = 漏报数 ÷（有效上报数 + 漏报数）× 100%。得分 = 100 − 漏报率 × 100。",
    "supervisor.verify_on_time": "按时核实率 = 在案件立案时限（从上报起计）内完成的核实数 ÷ 核实数 × 100%。",
    "supervisor.recheck_on_time": "按时核查率 = 在核查时限（从处置反馈起计）内完成的核查数 ÷ 核查数 × 100%。",
    "intake_operator.received": "受理数：受理员在期间内受理的热线、公众、视频上报数。得分 = 受理数 ÷ 同岗位最高受理数 × 100。",
    "intake_operator.verify_dispatch_on_time": "核实派遣及时率 = 上报后10个工作分钟内派出的核实任务数 ÷ 核实任务派遣数 × 100%。",
    "intake_operator.check_dispatch_on_time": "核查派遣及时率 = 处置反馈后10个工作分钟内派出的核查任务数 ÷ 核查任务派遣数 × 100%。",
    "shift_leader.filed": "立案数：值班长在期间内立案的案件数（不计分）。",
    "shift_leader.filing_on_time": "按时立案率 = 在立案时限内立案数 ÷ 立案数 × 100%。",
    "shift_leader.filing_accuracy": "立案准确率 =（立案数 − 立案后作废数）÷ 立案数 × 100%。",
    "shift_leader.closing_on_time": "按时结案率 = 在结案时限内结案数（含自处理审核通过）÷ 结案数 × 100%。",
    "dispatcher.dispatched": "派遣数：派遣员在期间内的派遣次数。得分 = 派遣数 ÷ 同岗位最高派遣数 × 100。",
    "dispatcher.dispatch_on_time": "按时派遣率 = 在派遣时限内派遣数 ÷ 派遣数 × 100%。",
    "dispatcher.dispatch_accuracy": "派遣准确率 = 1 − 被回退的派遣数 ÷ 派遣数（派遣错误以部门回退为准）。",
    "department.cases_due": "应处置案件数：期间内上报、派遣给本部门且未被本部门回退的案件数。得分（少者为优，权重10）= 100 ×（1 − 本部门数 ÷ 同级部门最高数）。",
    "department.closure_rate": "结案率 = 以本部门为最终处置部门的结案数 ÷（应处置案件数 − 当前挂账数）× 100%。",
    "department.handling_on_time": "按期处置率 = 在处置时限（含批准的延期，不计挂账时间）内反馈的处置轮次 ÷ 处置反馈总次数 × 100%。",
    "department.rework_rate": "返工率 = 返工次数（核查未通过或值班长返工）÷ 处置反馈次数 × 100%。得分 = 100 − 返工率 × 100。",
    "region.cases": "案件数：期间内上报并已立案的案件数。得分按案件密度分档：本区域每平方公里案件数 ÷ 同级区域平均值，≤0.5 得100，≤0.8 得90，≤1.2 得80，≤1.5 得70，≤2 得60，其余得40。",
    "region.density": "案件密度 = 案件数 ÷ 区域内单元网格面积（平方公里）（不计分，用于分档）。",
    "region.public_share": "公众上报占比 = 热线、公众上报数 ÷ 上报数 × 100%。得分 = 100 − 占比 × 100。",
    "region.closure_rate": "结案率 = 结案数 ÷ 应结案数 × 100%，应结案数 = 立案数 − 立案后作废数 − 当前挂账数。",
    "region.on_time_rate": "按期结案率 = 按期结案数 ÷ 结案数 × 100%；按期指最后一轮处置在处置时限（含延期、不计挂账）内反馈。",
}
FORMULAS_EN: dict[str, str] = {
    "supervisor.reports": "Reports: cases the supervisor reported in the period (self-handled included).",
    "supervisor.valid_reports": "Valid reports: of those, the ones filed (or whose self-handling was approved).",
    "supervisor.valid_rate": "Valid-report rate = valid reports ÷ (valid reports + reports voided before filing) × 100%; reports not yet filed or voided do not count. Score = rate × 100.",
    "supervisor.missed": "Missed reports: hotline and public reports of the period that were filed (a duplicate of an earlier report is voided before filing, so a filed one is a problem no supervisor reported first), shared equally among the supervisors whose patrol area contains the grid.",
    "supervisor.missed_rate": "Missed-report rate = missed ÷ (valid reports + missed) × 100%. Score = 100 − rate × 100.",
    "supervisor.verify_on_time": "On-time verification = verifications done by the case's filing deadline (which runs from the report) ÷ verifications × 100%.",
    "supervisor.recheck_on_time": "On-time re-check = re-checks done by the re-check deadline (from the department's feedback) ÷ re-checks × 100%.",
    "intake_operator.received": "Received: hotline, public and camera reports taken in the period. Score = received ÷ the most received by an intake operator × 100.",
    "intake_operator.verify_dispatch_on_time": "On-time dispatch of verification tasks = tasks sent within 10 working minutes of the report ÷ tasks sent × 100%.",
    "intake_operator.check_dispatch_on_time": "On-time dispatch of re-check tasks = tasks sent within 10 working minutes of the feedback ÷ tasks sent × 100%.",
    "shift_leader.filed": "Filed: cases the shift leader filed in the period (not scored).",
    "shift_leader.filing_on_time": "On-time filing = filings by the filing deadline ÷ filings × 100%.",
    "shift_leader.filing_accuracy": "Accurate filing = (filed − voided after filing) ÷ filed × 100%.",
    "shift_leader.closing_on_time": "On-time closing = closings by the closing deadline (self-handling approvals included) ÷ closings × 100%.",
    "dispatcher.dispatched": "Dispatched: dispatches made in the period. Score = dispatches ÷ the most by a peer of the same position × 100.",
    "dispatcher.dispatch_on_time": "On-time dispatch = dispatches by the dispatch deadline ÷ dispatches × 100%.",
    "dispatcher.dispatch_accuracy": "Accurate dispatch = 1 − dispatches returned (回退) as not the department's ÷ dispatches.",
    "department.cases_due": "Cases due: cases reported in the period, dispatched to the department and not returned by it. Score (fewer is better, weight 10) = 100 × (1 − cases ÷ the most of a department of the same level).",
    "department.closure_rate": "Closure rate = cases closed with the department as the last one handling them ÷ (cases due − parked now) × 100%.",
    "department.handling_on_time": "On-time handling = handling rounds fed back by their deadline (approved extensions added, parked time not counted) ÷ feedbacks × 100%.",
    "department.rework_rate": "Rework rate = reworks (failed re-checks and the shift leader's reworks) ÷ feedbacks × 100%. Score = 100 − rate × 100.",
    "region.cases": "Cases: cases reported in the period and filed. Banded score on density ÷ the mean density of the regions of the same level: ≤ 0.5 → 100, ≤ 0.8 → 90, ≤ 1.2 → 80, ≤ 1.5 → 70, ≤ 2 → 60, above → 40.",
    "region.density": "Density = cases ÷ the area of the region's unit grids in km² (not scored; it sets the band).",
    "region.public_share": "Public-report share = hotline and public reports ÷ reports × 100%. Score = 100 − share × 100.",
    "region.closure_rate": "Closure rate = closed ÷ due × 100%, due = filed − voided after filing − parked now.",
    "region.on_time_rate": "On-time closure rate = closed on time ÷ closed × 100%; on time means the last handling round was fed back by its deadline (extensions added, parked time not counted).",
}
#: Tooltip text per indicator: Chinese, a line break, English.
FORMULAS: dict[str, str] = {k: f"{FORMULAS_ZH[k]}\n{FORMULAS_EN[k]}" for k in FORMULAS_ZH}


# =========================================================================== settings


def validate_settings(value: dict) -> dict:
    """A complete, checked copy of evaluation settings (missing parts from ``DEFAULTS``).

    Raises ValueError: unknown object or indicator, a negative weight, weights of an object not
    summing to 100, grade bands not strictly descending or not ending at 0, case-count bands
    not ascending or not ending with the open band (``None``)."""
    out = copy.deepcopy(DEFAULTS)
    if not isinstance(value, dict):
        raise ValueError("evaluation settings must be a JSON object")
    for k in value:
        if k not in out:
            raise ValueError(f"unknown evaluation setting {k!r}")
    for obj, w in (value.get("weights") or {}).items():
        if obj not in out["weights"]:
            raise ValueError(f"unknown evaluation object {obj!r}")
        known = {k for k, _, _ in INDICATORS[obj]}
        for ind, x in w.items():
            if ind not in known:
                raise ValueError(f"{obj}: unknown indicator {ind!r}")
            if not isinstance(x, (int, float)) or isinstance(x, bool) or not math.isfinite(x) or x < 0:
                raise ValueError(f"{obj}.{ind}: a weight is a number >= 0")
        out["weights"][obj] = dict(w)
    for obj, w in out["weights"].items():
        total = sum(w.values())
        if abs(total - 100) > 1e-6:
            raise ValueError(f"{obj}: weights sum to {total:g}, not 100")
    if "grades" in value:
        bands = value["grades"]
        if not isinstance(bands, list) or not bands:
            raise ValueError("grades: a list of [grade, minimum score]")
        mins = []
        for b in bands:
            if not (isinstance(b, (list, tuple)) and len(b) == 2 and isinstance(b[0], str) and isinstance(b[1], (int, float))):
                raise ValueError("grades: each band is [grade, minimum score]")
            mins.append(float(b[1]))
        if any(a <= b for a, b in zip(mins, mins[1:])):
            raise ValueError("grades: minimum scores must be strictly descending")
        if mins[-1] != 0:
            raise ValueError("grades: the last band must start at 0")
        out["grades"] = [[str(g), m] for g, m in bands]
    if "region_count_bands" in value:
        bands = value["region_count_bands"]
        if not isinstance(bands, list) or not bands or bands[-1][0] is not None:
            raise ValueError("region_count_bands: [[max ratio, score], ..., [null, score]]")
        limits = [b[0] for b in bands[:-1]]
        if any(not isinstance(x, (int, float)) for x in limits) or any(a >= b for a, b in zip(limits, limits[1:])):
            raise ValueError("region_count_bands: the ratios must be ascending numbers")
        for _, sc in bands:
            if not isinstance(sc, (int, float)) or not 0 <= sc <= 100:
                raise ValueError("region_count_bands: scores between 0 and 100")
        out["region_count_bands"] = [list(b) for b in bands]
    return out


def load_settings(session: Session) -> dict:
    """The center's evaluation settings (the ``setting`` row ``evaluation``), defaults filled in."""
    stored = settings_mod.get(session, SETTING_KEY)
    return validate_settings(stored or {})


def save_settings(session: Session, value: dict, *, user_id: int | None = None) -> dict:
    """Validate and store the evaluation settings (in the caller's transaction), with a
    ``config_change`` row saying who changed them from what to what."""
    checked = validate_settings(value)
    old = settings_mod.get(session, SETTING_KEY)
    settings_mod.put(session, SETTING_KEY, checked)
    session.add(ConfigChange(
        at=datetime.now(), user_id=user_id, entity="setting", entity_id=SETTING_KEY, field="value",
        old_value=json.dumps(old, ensure_ascii=False) if old is not None else None,
        new_value=json.dumps(checked, ensure_ascii=False),
    ))
    return checked


def grade(score: float | None, bands: list) -> str | None:
    if score is None:
        return None
    for label, minimum in bands:
        if score >= minimum - 1e-9:
            return label
    return bands[-1][0]


# =========================================================================== results


@dataclass
class EvalRow:
    """One evaluated object: raw indicator values, indicator scores, composite and grade."""

    object: str  # supervisor, intake_operator, shift_leader, dispatcher, department, region
    id: int
    code: str
    name: str
    values: dict[str, float | int | None]
    scores: dict[str, float | None]
    score: float | None
    grade: str | None
    extra: dict = field(default_factory=dict)  # position, level, user login ...


@dataclass
class EvalResult:
    object: str
    period: Period
    rows: list[EvalRow]
    weights: dict[str, dict[str, float]]
    level: str | None = None

    def table(self) -> tuple[list[str], list[list]]:
        """Headers and rows of the printable table (Chinese headers with English in brackets)."""
        headers = ["对象类型 object", "编码 code", "名称 name"]
        extra_keys = sorted({k for r in self.rows for k in r.extra})
        headers += extra_keys
        ind_keys: list[str] = []
        for r in self.rows:
            for k in r.values:
                if k not in ind_keys:
                    ind_keys.append(k)
        names = {k: (zh, en) for obj in INDICATORS.values() for k, zh, en in obj}
        headers += [f"{names.get(k, (k, k))[0]} {k}" for k in ind_keys]
        score_keys: list[str] = []
        for r in self.rows:
            for k in r.scores:
                if k not in score_keys:
                    score_keys.append(k)
        headers += [f"得分 score:{k}" for k in score_keys]
        headers += ["综合得分 composite", "等级 grade"]
        rows = []
        for r in self.rows:
            line = [r.object, r.code, r.name] + [r.extra.get(k, "") for k in extra_keys]
            line += [_fmt(r.values.get(k)) for k in ind_keys]
            line += [_fmt(r.scores.get(k)) for k in score_keys]
            line += [_fmt(r.score), r.grade or ""]
            rows.append(line)
        return headers, rows


def _fmt(v):
    if v is None:
        return ""
    if isinstance(v, float):
        return round(v, 4)
    return v


def _rate(num: float, den: float) -> float | None:
    return num / den if den else None


def _composite(scores: dict[str, float | None], weights: dict[str, float]) -> float | None:
    """Σ wᵢ·sᵢ / Σ wᵢ over the indicators that have a score (missing ones share their weight out)."""
    tw = sum(w for k, w in weights.items() if w and scores.get(k) is not None)
    if tw <= 0:
        return None
    return sum(w * scores[k] for k, w in weights.items() if w and scores.get(k) is not None) / tw


#: Indicators that measure volume (a count scored against the peer group), not performance.
VOLUME_INDICATORS = frozenset({"received", "dispatched", "cases_due", "cases"})


def _finish(row: EvalRow, weights: dict[str, float], settings: dict, active: bool) -> EvalRow:
    """Composite and grade, for an object with activity in the period and at least one rate
    with a basis (a volume alone is no ground for a grade)."""
    rated = any(v is not None for k, v in row.scores.items() if k not in VOLUME_INDICATORS)
    if active and rated:
        row.score = _composite(row.scores, weights)
        row.grade = grade(row.score, settings["grades"])
    return row


# =========================================================================== regions


def _level_depth(session: Session, level: str) -> int | None:
    """Depth of a region_level key (None for "grid")."""
    if level == "grid":
        return None
    d = session.scalar(select(RegionLevel.depth).where(RegionLevel.key == level))
    if d is None:
        keys = list(session.scalars(select(RegionLevel.key).order_by(RegionLevel.depth)))
        raise ValueError(f"unknown level {level!r}: one of {keys + ['grid']}")
    return d


def _band(ratio: float, bands: list) -> float:
    for limit, score in bands:
        if limit is None or ratio <= limit + 1e-12:
            return float(score)
    return float(bands[-1][1])


def evaluate_regions(
    session: Session,
    period: Period,
    level: str = "street",
    *,
    within: Node | int | str | None = None,
    now: datetime | None = None,
    settings: dict | None = None,
) -> EvalResult:
    """Regions of one level (a ``region_level`` key such as community/street/district, or
    ``"grid"``), optionally within a region. Peers: all objects of the level in the city."""
    settings = settings or load_settings(session)
    weights = settings["weights"]["region"]
    depth = _level_depth(session, level)
    if depth is None:
        rows_ = session.execute(
            select(UnitGrid, Region.path).join(Region, Region.id == UnitGrid.region_id).order_by(UnitGrid.code, UnitGrid.id)
        ).all()
        rows_ = [(g, p) for g, p in rows_ if g.valid_from < period.end and (g.valid_to is None or g.valid_to > period.start)]
        grids = [g for g, _ in rows_]
        nodes = [Node("grid", g.id, g.code, g.name or g.code, 0, "grid", p) for g, p in rows_]
        area = {("grid", g.id): g.area_m2 for g in grids}
    else:
        regions = list(session.scalars(select(Region).where(Region.depth == depth).order_by(Region.code)))
        nodes = [Node("region", r.id, r.code, r.name, r.depth, level, r.path) for r in regions]
        area = _region_areas(session, nodes, period)
    figs = figures_by_group(session, nodes, period) if nodes else {}
    densities = {}
    for n in nodes:
        a = area.get(n.key) or 0.0
        densities[n.key] = figs[n.key].filed / (a / 1e6) if a > 0 else None
    known = [d for d in densities.values() if d is not None]
    mean = sum(known) / len(known) if known else 0.0
    scope = resolve_node(session, within) if within is not None else None
    rows = []
    for n in nodes:
        if scope is not None and scope.kind == "region" and not n.path.startswith(scope.path):
            continue
        if scope is not None and scope.kind == "grid" and n.key != scope.key:
            continue
        f = figs[n.key]
        dens = densities[n.key]
        values = {
            "cases": f.filed,
            "density": dens,
            "public_share": f.public_share,
            "closure_rate": f.closure_rate,
            "on_time_rate": f.on_time_rate,
        }
        scores = {
            "cases": (_band(dens / mean, settings["region_count_bands"]) if mean > 0 else 100.0) if dens is not None else None,
            "public_share": None if f.public_share is None else 100.0 * (1 - f.public_share),
            "closure_rate": None if f.closure_rate is None else 100.0 * f.closure_rate,
            "on_time_rate": None if f.on_time_rate is None else 100.0 * f.on_time_rate,
        }
        row = EvalRow("region", n.id, n.code, n.name, values, scores, None, None, {"level": level})
        rows.append(_finish(row, weights, settings, active=f.reported > 0))
    return EvalResult("region", period, rows, {"region": weights}, level)


def _region_areas(session: Session, nodes: list[Node], period: Period) -> dict:
    """km²·10⁶ of the grids valid during the period under each region."""
    gmap = grid_groups(nodes)
    q = (
        select(gmap.c.kind, gmap.c.k, func.sum(UnitGrid.area_m2))
        .join(gmap, gmap.c.grid_id == UnitGrid.id)
        .where(UnitGrid.valid_from < period.end, or_(UnitGrid.valid_to.is_(None), UnitGrid.valid_to > period.start))
        .group_by(gmap.c.kind, gmap.c.k)
    )
    return {(kind, k): float(a or 0) for kind, k, a in session.execute(q)}


# =========================================================================== departments


def evaluate_departments(
    session: Session, period: Period, *, now: datetime | None = None, settings: dict | None = None
) -> EvalResult:
    """Departments (专业部门), peers by level (district agencies, street units)."""
    settings = settings or load_settings(session)
    weights = settings["weights"]["department"]
    t = RollupCaseDay.__table__
    cols = ("dept_cases", "closed", "parked_now", "fed_back", "fed_back_on_time", "reworks")
    q = (
        select(t.c.department_id, *[func.coalesce(func.sum(t.c[c]), 0).label(c) for c in cols])
        .where(t.c.day >= period.start, t.c.day < period.end, t.c.department_id != 0)
        .group_by(t.c.department_id)
    )
    sums = {r.department_id: r for r in session.execute(q)}
    depts = [d for d in session.scalars(select(Department).order_by(Department.code)) if d.active or d.id in sums]
    peak: dict[str, int] = defaultdict(int)
    for d in depts:
        r = sums.get(d.id)
        peak[d.level] = max(peak[d.level], int(r.dept_cases) if r else 0)
    rows = []
    for d in depts:
        r = sums.get(d.id)
        due = int(r.dept_cases) if r else 0
        closed = int(r.closed) if r else 0
        parked_now = int(r.parked_now) if r else 0
        fed = int(r.fed_back) if r else 0
        fed_ok = int(r.fed_back_on_time) if r else 0
        reworks = int(r.reworks) if r else 0
        values = {
            "cases_due": due,
            "closure_rate": _rate(closed, due - parked_now),
            "handling_on_time": _rate(fed_ok, fed),
            "rework_rate": _rate(reworks, fed),
        }
        scores = {
            "cases_due": 100.0 * (1 - due / peak[d.level]) if peak[d.level] else None,
            "closure_rate": None if values["closure_rate"] is None else 100.0 * values["closure_rate"],
            "handling_on_time": None if values["handling_on_time"] is None else 100.0 * values["handling_on_time"],
            "rework_rate": None if values["rework_rate"] is None else 100.0 * (1 - values["rework_rate"]),
        }
        row = EvalRow("department", d.id, d.code, d.name, values, scores, None, None, {"level": d.level})
        rows.append(_finish(row, weights, settings, active=due > 0 or fed > 0))
    return EvalResult("department", period, rows, {"department": weights})


# =========================================================================== positions


def _missed_by_supervisor(session: Session, period: Period, supervisors: list[User]) -> dict[int, float]:
    """Filed hotline/public reports of the period per grid, shared among the supervisors whose
    patrol area (region subtree; none = the whole city) contains the grid."""
    t = RollupCaseDay.__table__
    q = (
        select(t.c.grid_id, func.sum(t.c.filed))
        .where(t.c.day >= period.start, t.c.day < period.end, t.c.source.in_(sorted(rollup.PUBLIC_SOURCES)))
        .group_by(t.c.grid_id)
    )
    per_grid = {g: int(n or 0) for g, n in session.execute(q) if n}
    if not per_grid:
        return {}
    gpath = dict(
        session.execute(
            select(UnitGrid.id, Region.path).join(Region, Region.id == UnitGrid.region_id).where(UnitGrid.id.in_(list(per_grid)))
        ).all()
    )
    rpath = dict(session.execute(select(Region.id, Region.path)).all())
    areas = [(u.id, rpath.get(u.region_id, "/") if u.region_id else "/") for u in supervisors]
    out: dict[int, float] = defaultdict(float)
    for g, n in per_grid.items():
        path = gpath.get(g, "")
        mine = [uid for uid, p in areas if path.startswith(p)]
        for uid in mine:
            out[uid] += n / len(mine)
    return out


def evaluate_positions(
    session: Session,
    period: Period,
    *,
    position: str | None = None,
    now: datetime | None = None,
    settings: dict | None = None,
) -> EvalResult:
    """Supervisors, intake operators, shift leaders and dispatchers (street dispatchers with
    the dispatchers' indicators, peers of their own position). ``position`` limits to one
    object (supervisor, intake_operator, shift_leader, dispatcher)."""
    settings = settings or load_settings(session)
    objects = [position] if position else list(OBJECTS)
    for o in objects:
        if o not in OBJECTS:
            raise ValueError(f"unknown position object {o!r}: one of {list(OBJECTS)}")
    t = RollupPositionDay.__table__
    from gridstation.analytics.model import POSITION_COUNTERS

    q = (
        select(t.c.user_id, t.c.position, *[func.coalesce(func.sum(t.c[c]), 0).label(c) for c in POSITION_COUNTERS])
        .where(t.c.day >= period.start, t.c.day < period.end)
        .group_by(t.c.user_id, t.c.position)
    )
    sums: dict[tuple[int, str], dict] = {(r.user_id, r.position): dict(r._mapping) for r in session.execute(q)}
    wanted = {p for o in objects for p in OBJECTS[o]}
    users = [
        u for u in session.scalars(select(User).order_by(User.position, User.login))
        if u.position in wanted and (u.active or (u.id, u.position) in sums)
    ]
    zero = dict.fromkeys(POSITION_COUNTERS, 0)
    missed = _missed_by_supervisor(session, period, [u for u in users if u.position == Position.SUPERVISOR.value]) \
        if "supervisor" in objects else {}
    peak: dict[str, int] = defaultdict(int)
    for u in users:
        s = sums.get((u.id, u.position), zero)
        vol = s["reports"] if u.position == Position.INTAKE_OPERATOR.value else s["dispatched"]
        peak[u.position] = max(peak[u.position], int(vol))
    rows = []
    for u in users:
        s = sums.get((u.id, u.position), zero)
        obj = next(o for o in objects if u.position in OBJECTS[o])
        w = settings["weights"][obj]
        extra = {"position": u.position, "login": u.login}
        if obj == "supervisor":
            valid, invalid = int(s["valid_reports"]), int(s["invalid_reports"])
            m = round(missed.get(u.id, 0.0), 6)
            values = {
                "reports": int(s["reports"]),
                "valid_reports": valid,
                "valid_rate": _rate(valid, valid + invalid),
                "missed": m,
                "missed_rate": _rate(m, valid + m),
                "verify_on_time": _rate(s["verify_on_time"], s["verify_done"]),
                "recheck_on_time": _rate(s["recheck_on_time"], s["recheck_done"]),
            }
            scores = {
                "valid_rate": _pct(values["valid_rate"]),
                "missed_rate": _pct(values["missed_rate"], lower_is_better=True),
                "verify_on_time": _pct(values["verify_on_time"]),
                "recheck_on_time": _pct(values["recheck_on_time"]),
            }
            active = bool(s["reports"] or s["verify_done"] or s["recheck_done"] or m)
        elif obj == "intake_operator":
            values = {
                "received": int(s["reports"]),
                "verify_dispatch_on_time": _rate(s["verify_assigned_on_time"], s["verify_assigned"]),
                "check_dispatch_on_time": _rate(s["check_assigned_on_time"], s["check_assigned"]),
            }
            scores = {
                "received": 100.0 * s["reports"] / peak[u.position] if peak[u.position] else None,
                "verify_dispatch_on_time": _pct(values["verify_dispatch_on_time"]),
                "check_dispatch_on_time": _pct(values["check_dispatch_on_time"]),
            }
            active = bool(s["reports"] or s["verify_assigned"] or s["check_assigned"])
        elif obj == "shift_leader":
            filed = int(s["filed"])
            values = {
                "filed": filed,
                "filing_on_time": _rate(s["filed_on_time"], filed),
                "filing_accuracy": _rate(filed - s["filed_voided"], filed),
                "closing_on_time": _rate(s["closed_on_time"], s["closed"]),
            }
            scores = {
                "filing_on_time": _pct(values["filing_on_time"]),
                "filing_accuracy": _pct(values["filing_accuracy"]),
                "closing_on_time": _pct(values["closing_on_time"]),
            }
            active = bool(filed or s["closed"])
        else:
            n = int(s["dispatched"])
            values = {
                "dispatched": n,
                "dispatch_on_time": _rate(s["dispatched_on_time"], n),
                "dispatch_accuracy": None if not n else 1 - s["dispatch_returned"] / n,
            }
            scores = {
                "dispatched": 100.0 * n / peak[u.position] if peak[u.position] else None,
                "dispatch_on_time": _pct(values["dispatch_on_time"]),
                "dispatch_accuracy": _pct(values["dispatch_accuracy"]),
            }
            active = bool(n)
        row = EvalRow(obj, u.id, u.login, u.name, values, scores, None, None, extra)
        rows.append(_finish(row, w, settings, active))
    weights = {o: settings["weights"][o] for o in objects}
    return EvalResult("position" if not position else position, period, rows, weights)


def _pct(rate: float | None, *, lower_is_better: bool = False) -> float | None:
    if rate is None:
        return None
    return 100.0 * (1 - rate) if lower_is_better else 100.0 * rate


def evaluate(
    session: Session,
    object: str,
    period: Period,
    *,
    level: str | None = None,
    now: datetime | None = None,
    settings: dict | None = None,
) -> EvalResult:
    """``object``: regions, departments, positions (or one position object)."""
    if object in ("regions", "region"):
        return evaluate_regions(session, period, level or "street", now=now, settings=settings)
    if object in ("departments", "department"):
        return evaluate_departments(session, period, now=now, settings=settings)
    if object in ("positions", "position"):
        return evaluate_positions(session, period, position=level, now=now, settings=settings)
    if object in OBJECTS:
        return evaluate_positions(session, period, position=object, now=now, settings=settings)
    raise ValueError(f"unknown object {object!r}: regions, departments or positions")


def parse_date(text: str) -> date:
    return date.fromisoformat(text)
