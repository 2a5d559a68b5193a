"""The weekly review PDF (gridstation report weekly): pages, embedded CJK font, searchable text."""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from datetime import datetime

import pytest
from sqlalchemy.orm import Session

pytestmark = pytest.mark.skipif(not (shutil.which("pdfinfo") and shutil.which("pdffonts") and shutil.which("pdftotext")),
                                reason="poppler-utils (pdfinfo, pdffonts, pdftotext) not installed")

NOW = datetime(2026, 11, 23, 9, 0)  # a Monday: the review covers 2026-W47


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory):
    from gridstation.demo.city import build_demo

    url = f"sqlite:///{tmp_path_factory.mktemp('weekly') / 'demo.db'}"
    build_demo(url, cases=3000, now=NOW)
    return url


def _run(cmd: list[str]) -> str:
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def test_weekly_pdf(demo_url, tmp_path):
    from gridstation.cli.weekly import generate_weekly_pdf
    from gridstation.report.weekly import previous_iso_week
    from gridstation.store.db import make_engine
    from gridstation.report.weekly import weekly_review

    week = previous_iso_week(NOW.date())
    assert week == "2026-W47"
    out = tmp_path / "review.pdf"
    data, pages = generate_weekly_pdf(demo_url, week, out, lang="en", now=NOW)
    assert out.exists() and out.stat().st_size > 10_000

    info = _run(["pdfinfo", str(out)])
    n = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    assert n == pages >= 4
    assert "A4" in info

    fonts = _run(["pdffonts", str(out)]).splitlines()[2:]
    cjk = [ln for ln in fonts if re.search(r"CJK|YaHei|SimSun|SimHei|Source ?Han|PingFang|WenQuanYi", ln, re.I)]
    assert cjk, fonts
    assert all(ln.split()[-5] == "yes" for ln in cjk), cjk  # the "emb" column

    text = unicodedata.normalize("NFKC", _run(["pdftotext", "-layout", str(out), "-"]))
    # the same figures as weekly_review computes
    eng = make_engine(demo_url)
    with Session(eng) as s:
        again = weekly_review(s, None, week, now=NOW)
    eng.dispose()
    assert again.headline.reported == data.headline.reported > 0
    assert re.search(rf"\b{data.headline.reported}\b", text)
    assert f"prev. week: {data.previous.reported}" in text
    assert f"{data.headline.on_time_rate * 100:.1f}%" in text
    assert "2026-W47" in text and "2026-11-16" in text
    # Chinese data: a street name from the ranking, and the page footer
    assert data.street_ranking
    assert any(r.name in text for r in data.street_ranking)
    assert data.street_ranking[0].name in text
    assert f"Page 1 of {n}" in text and f"Page {n} of {n}" in text


def test_cli_parser_registers_report_weekly(tmp_path):
    import argparse

    from gridstation.cli.weekly import cmd_report_weekly, register

    p = argparse.ArgumentParser()
    register(p.add_subparsers(dest="command"))
    args = p.parse_args(["report", "weekly", "--week", "2026-W47", "--region", "410103", "--out", str(tmp_path / "r.pdf"),
                         "--lang", "zh_CN"])
    assert args.func is cmd_report_weekly and args.week == "2026-W47" and args.region == "410103"
