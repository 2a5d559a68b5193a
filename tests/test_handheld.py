"""The supervisors' handheld page in a real headless Chromium (Debian's chromium and
chromedriver, driven by selenium): the phone's position (emulated through DevTools), a photo,
a category and a description become the supervisor's own case in the right grid."""

from __future__ import annotations

import base64
import os
import shutil
import struct
import zlib
from pathlib import Path

import pytest
from sqlalchemy import select

from gridstation.admin.apikeys import add_key
from gridstation.store.db import session_factory
from gridstation.store.model import Attachment, Case
from tests.minicity import build_mini_city
from tests.test_open311_socket import Server

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"


def _browser():
    if not (os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)):
        msg = "Debian's chromium and chromium-driver are not installed (apt-get install chromium chromium-driver)"
        if os.environ.get("CI"):
            pytest.fail(msg)
        pytest.skip(msg)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                 "--lang=zh-CN"):
        opts.add_argument(flag)
    opts.add_experimental_option("mobileEmulation", {
        "deviceMetrics": {"width": 390, "height": 844, "pixelRatio": 2.0},
        "userAgent": "Mozilla/5.0 (Linux; Android 13; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) "
                     "Chrome/120.0 Mobile Safari/537.36",
    })
    return webdriver.Chrome(options=opts, service=Service(CHROMEDRIVER))


def scene_png(w: int = 480, h: int = 320) -> bytes:
    """A small picture (sky, grey road, a green bin) written without an imaging library."""
    rows = []
    for y in range(h):
        row = bytearray([0])
        for x in range(w):
            if 300 < x < 360 and 150 < y < 260:
                px = (40, 140, 60)
            elif y < h * 0.45:
                px = (150, 190, 230)
            else:
                px = (110, 110, 115) if (x // 40 + y // 40) % 2 else (125, 125, 130)
            row += bytes(px)
        rows.append(bytes(row))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"".join(rows))) + chunk(b"IEND", b""))


@pytest.fixture
def city(engine):
    return build_mini_city(engine)


def test_handheld_page_reports_as_the_supervisor(db_url, engine, city, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import Select, WebDriverWait

    _, key = add_key(engine, "admin", name="sup1-phone", kind="handheld", user_login="sup1")
    lon, lat = city.point("G1b")
    photo = tmp_path / "scene.png"
    photo.write_bytes(scene_png())
    server = Server(db_url)
    driver = _browser()
    try:
        origin = server.base
        driver.execute_cdp_cmd("Browser.grantPermissions", {"origin": origin, "permissions": ["geolocation"]})
        driver.execute_cdp_cmd("Emulation.setGeolocationOverride",
                               {"latitude": lat, "longitude": lon, "accuracy": 8})
        driver.get(f"{origin}/handheld/#key={key}")
        wait = WebDriverWait(driver, 20)
        wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#category option[value='E0101']")) == 1)
        assert "#key" not in driver.current_url  # the key left the address bar for local storage
        assert driver.execute_script("return localStorage.getItem('gs_api_key')") == key
        wait.until(EC.text_to_be_present_in_element((By.ID, "pos"), f"{lat:.6f}"))
        wait.until(EC.text_to_be_present_in_element((By.ID, "who"), "监督员：sup1-name"))
        Select(driver.find_element(By.ID, "category")).select_by_value("E0101")
        driver.find_element(By.ID, "photo").send_keys(str(photo))
        wait.until(lambda d: d.find_element(By.ID, "preview").is_displayed())
        assert driver.find_element(By.ID, "photoname").text == "scene.png"
        driver.find_element(By.ID, "description").send_keys("甲街道路口暴露垃圾")
        shot_before = tmp_path / "handheld-form.png"
        driver.save_screenshot(str(shot_before))
        driver.find_element(By.ID, "submit").click()
        wait.until(EC.text_to_be_present_in_element((By.ID, "msg"), "已上报"))
        message = driver.find_element(By.ID, "msg").text
        wait.until(lambda d: "待立案" in d.find_element(By.ID, "recent").text)
        shot_after = tmp_path / "handheld-done.png"
        driver.save_screenshot(str(shot_after))
        if os.environ.get("GRIDSTATION_SCREENSHOTS"):
            out = Path(os.environ["GRIDSTATION_SCREENSHOTS"])
            out.mkdir(parents=True, exist_ok=True)
            shutil.copy(shot_before, out / "handheld-form.png")
            shutil.copy(shot_after, out / "handheld-done.png")
        # Without a key the page asks for one and writes nothing.
        driver.execute_script("localStorage.removeItem('gs_api_key')")
        driver.find_element(By.ID, "description").send_keys("无密钥")
        driver.find_element(By.ID, "submit").click()
        wait.until(lambda d: d.find_element(By.ID, "keycard").is_displayed())
    finally:
        driver.quit()
        server.stop()
    with session_factory(engine)() as s:
        cases = s.scalars(select(Case)).all()
        assert len(cases) == 1
        case = cases[0]
        assert case.number in message
        assert case.source == "supervisor" and case.reported_by_id == city.users["sup1"]
        assert case.state == "to_file" and case.grid_id == city.grids["G1b"]
        assert case.description == "甲街道路口暴露垃圾"
        att = s.scalars(select(Attachment).where(Attachment.case_id == case.id)).all()
        # the page re-encodes the photo as a JPEG (smaller uploads from phones)
        assert len(att) == 1 and att[0].mime == "image/jpeg" and att[0].size > 0
    assert base64.b64encode(shot_after.read_bytes()[:8]) == base64.b64encode(b"\x89PNG\r\n\x1a\n")
