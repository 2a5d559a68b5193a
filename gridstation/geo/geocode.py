"""Geocoding (地址匹配, GB/T 30428.3): a written Chinese address → places of the gazetteer → grid.

Simple and explainable, in four steps:

1. **normalise**: Unicode NFKC (full-width ８ → 8, Ａ → A, full-width spaces), no spaces, one
   kind of dash ("8－1号", "8之1号" → "8-1号"), Chinese numerals before 号/弄/栋/幢/单元 turned
   into digits ("八号" → "8号");
2. **parse**: the first house number ``<digits>[-<digits>]`` followed by 号 (or 弄, or nothing
   at the end) splits the text into the road before it and the rest after it (号院, 栋, 幢,
   单元 ... are ignored); the road is the longest known street name the text before the
   number ends with, else that text with known region names (市/区/街道 of the database, and
   their short forms) and generic 省/市/区/县 prefixes stripped;
3. **match**, best first: the doorplate with exactly that road and number (score 1.0); the
   doorplates of the same road with the nearest numbers (same side, odd/even, preferred); the
   road itself; then places whose normalised name contains the query, or is contained in it;
4. **rank** by score, then name; each candidate says how it matched (``matched``).

So "金水区花园路８号", "花园路8号" and "郑州市金水区花园路8号院" all find 花园路8号.

A candidate's point resolves to exactly one grid: the one stored with the place at import
(``gridstation.geo.spatial`` rule: on a shared edge, the smallest code).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from sqlalchemy import String, func, literal, select
from sqlalchemy.orm import Session

from gridstation.store.model import Region, UnitGrid
from gridstation.geo.model import Place, PlaceKind

KIND_LABELS = {
    PlaceKind.AREA.value: "区域",
    PlaceKind.TRACT.value: "地片",
    PlaceKind.BLOCK.value: "区片",
    PlaceKind.STREET.value: "街巷",
    PlaceKind.DOORPLATE.value: "门(楼)牌",
    PlaceKind.POI.value: "兴趣点",
}

ROAD_SUFFIXES = ("大道", "大街", "胡同", "路", "街", "道", "巷", "弄", "里", "道路", "环路", "高速", "线")
_ADMIN_SUFFIXES = (
    "特别行政区",
    "自治区",
    "自治州",
    "自治县",
    "街道办事处",
    "街道",
    "办事处",
    "省",
    "市",
    "区",
    "县",
    "镇",
    "乡",
    "社区",
    "村",
)
_GENERIC_PREFIX = re.compile(
    r"^(?:[\u4e00-\u9fff]{2,8}?(?:省|自治区))?(?:[\u4e00-\u9fff]{2,8}?市)?(?:[\u4e00-\u9fff]{1,8}?(?:区|县))?"
)
_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_NUM = re.compile(r"[零〇一二两三四五六七八九十百千]+(?=号|弄|栋|幢|单元|楼|层|室)")
_DASHES = re.compile(r"[－—–‐‑‒―~～]")
_NUMBER = re.compile(r"(\d+(?:-\d+)?)(?:(号)|弄(\d+)号?|(?=栋|幢|院|号院|单元)|$)")


@dataclass(frozen=True)
class Candidate:
    """One answer: a place with its point, its grid, a score in [0, 1] and how it matched."""

    name: str
    kind: str
    lon: float
    lat: float
    grid_id: int | None
    grid_code: str | None
    score: float
    matched: str
    place_id: int | None = None


@dataclass(frozen=True)
class ParsedAddress:
    text: str  # the normalised text
    road: str  # "" when none was found
    number: str  # "8", "8-1", "100弄5"; "" when none
    number_int: int | None  # the leading integer of the number
    rest: str  # what follows the number ("院", "3栋2单元" ...)
    core: str  # the text without region prefixes (for name matching)


def _cn_to_int(s: str) -> int:
    """Chinese numerals up to the thousands: 八 → 8, 十二 → 12, 一百零八 → 108, 三五 → 35."""
    if not any(c in s for c in "十百千"):
        return int("".join(str(_CN_DIGITS[c]) for c in s))
    total, cur = 0, 0
    for c in s:
        if c in _CN_DIGITS:
            cur = _CN_DIGITS[c]
        else:
            unit = {"十": 10, "百": 100, "千": 1000}[c]
            total += (cur or 1) * unit
            cur = 0
    return total + cur


def normalize(text: str) -> str:
    """NFKC, no whitespace, one dash, upper-case Latin letters, Chinese house numbers as digits."""
    s = unicodedata.normalize("NFKC", text or "")
    s = "".join(s.split())
    s = _DASHES.sub("-", s)
    s = re.sub(r"(?<=\d)之(?=\d)", "-", s)
    s = _CN_NUM.sub(lambda m: str(_cn_to_int(m.group(0))), s)
    return s.upper()


def _short_forms(name: str) -> list[str]:
    out = [name]
    for suf in _ADMIN_SUFFIXES:
        if name.endswith(suf) and len(name) - len(suf) >= 2:
            out.append(name[: -len(suf)])
            break
    return out


class Geocoder:
    """Geocoding against one database; loads region and street names once (keep it around
    for many lookups, build a new one after importing places or regions)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        names = set()
        for (n,) in session.execute(select(Region.name)):
            for v in _short_forms(normalize(n)):
                names.add(v)
        # Longest first, so 金水区 is stripped before 金水.
        self.region_names = sorted(names, key=len, reverse=True)
        streets = {normalize(s) for (s,) in session.execute(select(Place.street).where(Place.street != "").distinct())}
        streets |= {n for (n,) in session.execute(select(Place.norm_name).where(Place.kind == PlaceKind.STREET.value))}
        self.streets = sorted((s for s in streets if s), key=len, reverse=True)

    # ------------------------------------------------------------------ parsing

    def strip_regions(self, s: str) -> str:
        """Remove known region names (and generic 省/市/区/县 prefixes) from the front."""
        changed = True
        while changed and s:
            changed = False
            for n in self.region_names:
                if len(n) >= 2 and s.startswith(n) and len(s) > len(n):
                    s = s[len(n) :]
                    changed = True
                    break
        m = _GENERIC_PREFIX.match(s)
        if m and m.end() and len(s) > m.end():
            rest = s[m.end() :]
            # Keep the prefix if removing it would eat a road name ("区" inside a road is rare).
            if not any(rest == r for r in ("路", "街", "道")):
                s = rest
        return s

    def parse(self, text: str) -> ParsedAddress:
        s = normalize(text)
        core = self.strip_regions(s)
        for m in _NUMBER.finditer(s):
            before = s[: m.start()]
            if not before or before[-1].isdigit() or before.endswith("-"):
                continue
            road = next((st for st in self.streets if before.endswith(st)), "")
            if not road:
                road = self.strip_regions(before)
            number = m.group(1)
            if m.group(3):
                number = f"{number}弄{m.group(3)}"
            n_int = int(re.match(r"\d+", number).group(0))
            return ParsedAddress(s, road, number, n_int, s[m.end() :], core)
        road = next((st for st in self.streets if core.endswith(st) or core == st), "")
        return ParsedAddress(s, road or "", "", None, "", core)

    # ------------------------------------------------------------------ matching

    def geocode(self, text: str, limit: int = 10) -> list[Candidate]:
        p = self.parse(text)
        if not p.text:
            return []
        found: dict[int, Candidate] = {}

        def add(rows, score_fn, how_fn) -> None:
            for r in rows:
                sc = round(max(0.0, min(1.0, score_fn(r))), 4)
                prev = found.get(r.id)
                if prev is None or prev.score < sc:
                    found[r.id] = Candidate(r.name, r.kind, r.lon, r.lat, r.grid_id, r.grid_code, sc, how_fn(r), r.id)

        q = select(
            Place.id,
            Place.name,
            Place.kind,
            Place.lon,
            Place.lat,
            Place.grid_id,
            Place.street,
            Place.house_number,
            Place.house_no,
            Place.norm_name,
            UnitGrid.code.label("grid_code"),
        ).outerjoin(UnitGrid, UnitGrid.id == Place.grid_id)
        s = self.session
        doorplate = Place.kind == PlaceKind.DOORPLATE.value
        if p.road and p.number:
            exact = s.execute(q.where(doorplate, Place.street == p.road, Place.house_number == p.number)).all()
            add(exact, lambda r: 1.0, lambda r: f"门牌: {p.road}{p.number}号")
            if p.number_int is not None:
                near = s.execute(
                    q.where(doorplate, Place.street == p.road, Place.house_no.is_not(None))
                    .order_by(func.abs(Place.house_no - p.number_int), Place.house_no, Place.id)
                    .limit(max(limit, 5))
                ).all()

                def near_score(r) -> float:
                    if r.house_number == p.number:
                        return 1.0
                    d = abs(r.house_no - p.number_int)
                    same_side = (r.house_no - p.number_int) % 2 == 0
                    if d == 0:  # 8-1 asked, 8 found (or the other way round)
                        return 0.92
                    return 0.85 - 0.3 * min(1.0, d / 50.0) - (0.0 if same_side else 0.05)

                add(near, near_score, lambda r: f"同一道路最近门牌: {p.road} {r.house_number}号 (查询 {p.number}号)")
        if p.road:
            roads = s.execute(q.where(Place.kind == PlaceKind.STREET.value, Place.norm_name == p.road)).all()
            add(roads, lambda r: 0.6 if p.number else 0.9, lambda r: f"道路: {p.road}")
            if not p.number:
                plates = s.execute(
                    q.where(doorplate, Place.street == p.road).order_by(Place.house_no, Place.id).limit(limit)
                ).all()
                add(plates, lambda r: 0.5, lambda r: f"道路上的门牌: {p.road}")
        core = p.core or p.text
        if len(core) >= 2:
            like = core.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            contains = s.execute(q.where(Place.norm_name.like(f"%{like}%", escape="\\")).limit(200)).all()
            add(
                contains,
                lambda r: 0.95 if r.norm_name == core else 0.45 + 0.4 * len(core) / max(len(r.norm_name), 1),
                lambda r: "名称相同" if r.norm_name == core else f"名称包含 “{core}”",
            )
            # the place's name inside the query: "紫荆山公园南门" finds 紫荆山公园
            inside = s.execute(
                q.where(
                    func.length(Place.norm_name) >= 2,
                    Place.kind != PlaceKind.DOORPLATE.value,
                    literal(core, String).like(literal("%", String) + Place.norm_name + literal("%", String)),
                ).limit(200)
            ).all()
            add(
                inside,
                lambda r: 0.35 + 0.4 * len(r.norm_name) / max(len(core), 1),
                lambda r: f"查询包含名称 “{r.norm_name}”",
            )
        out = sorted(found.values(), key=lambda c: (-c.score, c.name, c.place_id or 0))
        return out[:limit]


def geocode(session: Session, text: str, limit: int = 10) -> list[Candidate]:
    """Candidates for a written address, best first (see the module docstring)."""
    return Geocoder(session).geocode(text, limit=limit)


def parse_address(session: Session | None, text: str) -> ParsedAddress:
    """Parse without a database (no known streets/regions) or with one."""
    if session is None:
        g = Geocoder.__new__(Geocoder)
        g.session, g.region_names, g.streets = None, [], []
        return g.parse(text)
    return Geocoder(session).parse(text)


__all__ = ["KIND_LABELS", "Candidate", "Geocoder", "ParsedAddress", "geocode", "normalize", "parse_address"]
