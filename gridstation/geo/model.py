"""The gazetteer (地名地址) and the record of base-data imports.

Place types follow GB/T 30428.3 (../shared/domain.md §4): 区域, 地片, 区片, 街巷, 门(楼)牌 and
兴趣点 (POI). They are stored with English keys (``PlaceKind``). Every place carries a point in
WGS84 lon/lat and, when it lies in one, the current unit grid it was resolved to at import time.

This module only declares tables on ``gridstation.store.model.Base``; ``gridstation/model.py``
imports it at its bottom so the metadata (and Alembic's comparison) always include them.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, DateTime, Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from gridstation.store.model import Base


class PlaceKind(str, enum.Enum):
    """地名地址类型 (GB/T 30428.3)."""

    AREA = "area"  # 区域
    TRACT = "tract"  # 地片
    BLOCK = "block"  # 区片
    STREET = "street"  # 街巷
    DOORPLATE = "doorplate"  # 门(楼)牌
    POI = "poi"  # 兴趣点


# Chinese names as users write them (and as import files carry them).
PLACE_KIND_NAMES: dict[str, PlaceKind] = {
    "区域": PlaceKind.AREA,
    "地片": PlaceKind.TRACT,
    "区片": PlaceKind.BLOCK,
    "街巷": PlaceKind.STREET,
    "街道": PlaceKind.STREET,
    "道路": PlaceKind.STREET,
    "门牌": PlaceKind.DOORPLATE,
    "楼牌": PlaceKind.DOORPLATE,
    "门楼牌": PlaceKind.DOORPLATE,
    "门(楼)牌": PlaceKind.DOORPLATE,
    "门（楼）牌": PlaceKind.DOORPLATE,
    "兴趣点": PlaceKind.POI,
    "poi": PlaceKind.POI,
}


class ImportKind(str, enum.Enum):
    GRIDS = "grids"
    COMPONENTS = "components"
    PLACES = "places"
    CASES = "cases"


class ImportBatch(Base):
    """One accepted import of a base-data or case-history file (a refused file leaves none).

    ``rows`` counts what was written, ``rejected`` the rows or features skipped with
    ``skip_bad``; ``report`` keeps the summary and the list of skipped items and why.
    """

    __tablename__ = "import_batch"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    file_name: Mapped[str] = mapped_column(String(255), default="")
    at: Mapped[datetime] = mapped_column(DateTime)
    rows: Mapped[int] = mapped_column(Integer, default=0)
    rejected: Mapped[int] = mapped_column(Integer, default=0)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    report: Mapped[dict | None] = mapped_column(JSON)


class Place(Base):
    """A gazetteer entry: an area, street, doorplate or point of interest with its point.

    ``norm_name`` is the NFKC-normalised name without spaces (what geocoding compares);
    ``street`` and ``house_number`` are the parsed road name and number of a doorplate
    ("花园路", "8" or "8-1"), ``house_no`` the number's leading integer for "nearest number".
    """

    __tablename__ = "place"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(128))
    norm_name: Mapped[str] = mapped_column(String(128), index=True)
    kind: Mapped[str] = mapped_column(String(16), index=True)
    street: Mapped[str] = mapped_column(String(64), default="")
    house_number: Mapped[str] = mapped_column(String(32), default="")
    house_no: Mapped[int | None] = mapped_column(Integer)
    address: Mapped[str] = mapped_column(String(255), default="")
    lon: Mapped[float] = mapped_column(Float)
    lat: Mapped[float] = mapped_column(Float)
    # Outline of an area-like place (区域/地片/区片), GeoJSON in WGS84; None for points.
    geometry: Mapped[dict | None] = mapped_column(JSON)
    grid_id: Mapped[int | None] = mapped_column(ForeignKey("unit_grid.id"), index=True)
    region_id: Mapped[int | None] = mapped_column(ForeignKey("region.id"))
    source: Mapped[str] = mapped_column(String(64), default="")
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"))

    __table_args__ = (Index("ix_place_street_house_no", "street", "house_no"),)


__all__ = ["PLACE_KIND_NAMES", "ImportBatch", "ImportKind", "Place", "PlaceKind"]
