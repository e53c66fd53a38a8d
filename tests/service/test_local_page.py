"""Local mode: the paste page, with Flask's test client and in a real headless Chromium (Debian's, via Selenium)."""
from __future__ import annotations

import io
import os
import shutil
import tarfile
import tempfile
from pathlib import Path

import pytest

from bot.chat.config import Config
from bot.web.app import create_app
from bot.web.runtime import runtime
from tests.service.conftest import missing, serve_app

SELF_SIGNED = ('Event="Inbound TLS Negotiation Error" Service="SIP" Src-ip="203.0.113.8" Src-port="41000" '
               'Dst-ip="198.51.100.3" Dst-port="5062" Detail="self signed certificate in certificate chain" '
               'Protocol="TLS"\n')
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")


@pytest.fixture
def local_app(engine, tmp_path):
    app = create_app(Config(data_dir=tmp_path / "var"), engine=engine)
    yield app
    runtime(app).close()


def test_page_shows_the_reply_the_bot_would_post(local_app):
    client = local_app.test_client()
    assert "Evidence or question" in client.get("/").get_data(as_text=True)
    page = client.post("/", data={"evidence": SELF_SIGNED}).get_data(as_text=True)
    assert 'id="card"' in page and "Adaptive Card 1.3" in page
    assert "<h3>Expressway-E does not trust" in page                   # the card holds the answer
    assert '<details id="details"><summary>Show cause, ' in page      # its hidden section, opened by its toggle
    assert "markdown posted with the card" in page and "### Diagnosis: Expressway-E does not trust" in page


def test_page_escapes_pasted_markup(local_app):
    page = local_app.test_client().post("/", data={"evidence": "<script>alert('x')</script>"}).get_data(as_text=True)
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert" in page


def test_upload_is_diagnosed(local_app):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        data = SELF_SIGNED.encode()
        info = tarfile.TarInfo("diag/expe.log")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    buf.seek(0)
    page = local_app.test_client().post("/", data={"evidence": "", "file": (buf, "bundle.tar.gz")},
                                        content_type="multipart/form-data").get_data(as_text=True)
    assert "Expressway-E does not trust" in page and "expe.log · " in page


def test_upload_over_the_limit_gets_a_clear_page(engine, tmp_path):
    import requests

    app = create_app(Config(data_dir=tmp_path / "var", max_file_bytes=2048), engine=engine)
    url, stop = serve_app(app)
    try:
        resp = requests.post(url + "/", files={"file": ("big.log", b"x" * 2_000_000)}, timeout=30)
        assert resp.status_code == 413 and "larger than the limit (2 KB)" in resp.text
        small = requests.post(url + "/", files={"file": ("big.log", b"x" * 5000)}, timeout=30)
        assert "big.log is 5 KB; the limit is 2 KB" in small.text
    finally:
        stop()
        runtime(app).close()


def test_local_vote_and_case_history(local_app):
    client = local_app.test_client()
    client.post("/", data={"evidence": "SR 694123456\n" + SELF_SIGNED})
    rt = runtime(local_app)
    record = rt.storage.case_history("694123456")[0]
    page = client.post("/feedback", data={"kind": "diagnosis-feedback", "vote": "up", "diagnosis": record.id,
                                          "entry": record.results[0]["id"]}).get_data(as_text=True)
    assert "Thanks, noted that this diagnosis helped." in page
    history = client.post("/", data={"evidence": "case 694123456"}).get_data(as_text=True)
    assert "1 diagnosis recorded" in history and "👍 1" in history


# ---------------------------------------------------------------- a real browser
@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists() or not CHROMEDRIVER.exists():
        missing("Debian's chromium and chromium-driver")
    os.environ.setdefault("SE_OFFLINE", "true")  # Selenium Manager must not look for downloads
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="hcs-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1280,1600", f"--user-data-dir={profile}"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def wait_for(browser, by: str, selector: str, timeout: float = 20.0):
    """The element once the page that shows it has loaded (a submit navigates; find_element alone races it)."""
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(browser, timeout).until(expected_conditions.presence_of_element_located((by, selector)))


@pytest.fixture
def served(local_app):
    url, stop = serve_app(local_app)
    yield url
    stop()


def test_paste_and_see_the_rendered_reply_in_chromium(browser, served, tmp_path):
    from selenium.webdriver.common.by import By

    browser.get(served + "/")
    box = browser.find_element(By.ID, "evidence")
    box.send_keys(SELF_SIGNED + "<img src=x onerror=\"document.title='pwned'\"> SR 694123456")
    browser.find_element(By.ID, "diagnose").click()
    heading = wait_for(browser, By.CSS_SELECTOR, "#card h3")
    assert heading.text.startswith("Expressway-E does not trust")
    steps = browser.find_elements(By.CSS_SELECTOR, "#card > .tb ol li")
    assert len(steps) >= 3
    cause = browser.find_element(By.CSS_SELECTOR, "#details")
    assert "References" not in cause.text                                 # hidden until its toggle
    cause.find_element(By.TAG_NAME, "summary").click()                   # the toggle shows the rest
    assert "Cause" in cause.text and "References" in cause.text
    link = browser.find_element(By.LINK_TEXT, "694123456")
    assert link.get_attribute("href") == "https://mycase.cloudapps.cisco.com/case/694123456"
    assert browser.title != "pwned"
    # the pasted <img> stays text; the only picture is the failing call's ladder, in the call list
    assert browser.execute_script("return document.querySelectorAll('#reply #card img').length") == 0
    assert browser.execute_script("return document.querySelectorAll('#calls img').length") == 1
    browser.save_screenshot(str(tmp_path / "local-page.png"))
    browser.find_element(By.CSS_SELECTOR, "#card .vote-up").click()
    assert "helped" in wait_for(browser, By.ID, "notice").text


def test_upload_a_file_in_chromium(browser, served, tmp_path):
    from selenium.webdriver.common.by import By

    log = tmp_path / "expe.log"
    log.write_text("2024-05-14 noise\n" * 3 + SELF_SIGNED)
    browser.get(served + "/")
    browser.find_element(By.ID, "file").send_keys(str(log))
    browser.find_element(By.ID, "diagnose").click()
    text = wait_for(browser, By.CSS_SELECTOR, "#card").text
    assert "Expressway-E does not trust" in text and "line 4: expe.log · Event=" in text
