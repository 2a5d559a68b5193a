"""Chinese first: every visible string of the Qt layer has a Simplified Chinese translation,
and the compiled .qm shipped with the app matches the .ts."""

from __future__ import annotations

import shutil
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import i18n as tool  # noqa: E402

TS = ROOT / "resources" / "i18n" / "gridstation_zh_CN.ts"
QM = TS.with_suffix(".qm")


def _messages(ts: Path):
    for ctx in ET.parse(ts).getroot().iter("context"):
        name = ctx.findtext("name")
        for msg in ctx.iter("message"):
            yield name, msg.findtext("source"), msg.find("translation")


def _text(translation) -> str:
    """The translated text, including plural forms (<numerusform> children)."""
    return "".join(translation.itertext()).strip() if translation is not None else ""


def test_every_source_string_is_in_the_ts_and_translated(tmp_path):
    fresh = tmp_path / "fresh.ts"
    shutil.copy(TS, fresh)
    tool.update([fresh])  # re-extract from today's sources, keeping the translations
    missing = [(c, s) for c, s, t in _messages(fresh) if t is None or t.get("type") == "unfinished" or not _text(t)]
    assert missing == [], f"untranslated strings (run scripts/i18n.py update and translate): {missing[:20]}"


def test_placeholders_survive_translation():
    import re

    bad = []
    for ctx, src, tr in _messages(TS):
        text = _text(tr)
        if not text:
            continue
        if sorted(set(re.findall(r"%\d", src))) != sorted(set(re.findall(r"%\d", text))):
            bad.append((ctx, src, text))
    assert bad == []


def test_compiled_qm_is_current(tmp_path):
    out = tmp_path / "check.qm"
    tool.release(TS, out)
    assert out.read_bytes() == QM.read_bytes(), "run: python scripts/i18n.py release"


def test_chinese_is_loaded_in_the_app(qapp):
    from gridstation.app import i18n

    assert i18n.install(qapp, "zh_CN") == "zh_CN"
    try:
        assert i18n.state_label("to_dispatch") == "待派遣"
        assert i18n.action_label("dispatch") == "派遣"
        assert i18n.minutes_text(125) == "2小时05分"
    finally:
        i18n.install(qapp, "en")
    assert i18n.state_label("to_dispatch") == "To dispatch"


@pytest.mark.parametrize("widget", ["QueuePane", "CasePane", "SignInDialog"])
def test_widget_strings_resolve_in_their_context(widget):
    contexts = {c for c, _, _ in _messages(TS)}
    assert widget in contexts
