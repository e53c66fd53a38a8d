"""Local mode: the paste page, with Flask's test client and in a real headless Chromium (Debian's, via Selenium)."""
from __future__ import annotations

import io
import os
import re
import shutil
import tarfile
import tempfile
from pathlib import Path

import pytest
from markupsafe import escape

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


# ---------------------------------------------------------------- "Try an example"
SAMPLES = Path(__file__).resolve().parents[2] / "samples"


def test_examples_are_listed_and_served(local_app):
    client = local_app.test_client()
    page = client.get("/").get_data(as_text=True)
    assert "Try an example" in page
    for path in SAMPLES.glob("*.txt"):
        assert f'<option value="{path.name}"' in page
    served = client.get("/samples/outbound-404-search-rule.txt")
    assert served.status_code == 200 and served.mimetype == "text/plain"
    assert served.get_data(as_text=True) == (SAMPLES / "outbound-404-search-rule.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["..%2Fpyproject.toml", "..%2F..%2Fetc%2Fpasswd", "%2Fetc%2Fpasswd", "nothere.txt",
                                  ".hidden.txt", "inbound-tls-failure.TXT", "..", "%2e%2e%2fREADME.md"])
def test_only_listed_examples_are_served(local_app, name):
    assert local_app.test_client().get(f"/samples/{name}").status_code == 404


def test_only_names_of_the_pattern_are_offered(engine, tmp_path):
    folder = tmp_path / "samples"
    folder.mkdir()
    (folder / "ok-one.txt").write_text("hello")
    (folder / "Not Listed.txt").write_text("x")
    (folder / "notes.md").write_text("x")
    (tmp_path / "secret.txt").write_text("secret")
    (folder / "link.txt").symlink_to(tmp_path / "secret.txt")
    app = create_app(Config(data_dir=tmp_path / "var"), engine=engine)
    app.config["SAMPLES_DIR"] = str(folder)
    try:
        client = app.test_client()
        page = client.get("/").get_data(as_text=True)
        assert '<option value="ok-one.txt"' in page and "Not Listed" not in page and "notes.md" not in page
        assert client.get("/samples/ok-one.txt").get_data(as_text=True) == "hello"
        assert client.get("/samples/Not%20Listed.txt").status_code == 404
    finally:
        runtime(app).close()


def test_no_samples_folder_means_no_control(engine, tmp_path):
    app = create_app(Config(data_dir=tmp_path / "var"), engine=engine)
    app.config["SAMPLES_DIR"] = str(tmp_path / "absent")
    try:
        assert "Try an example" not in app.test_client().get("/").get_data(as_text=True)
    finally:
        runtime(app).close()


def test_example_without_script_fills_the_paste_box(local_app):
    client = local_app.test_client()
    page = client.get("/?example=xconfiguration-expc-preloaded-routes-off.txt").get_data(as_text=True)
    assert "PreloadedSipRoutes Accept: &#34;Off&#34;" in page
    assert '<option value="xconfiguration-expc-preloaded-routes-off.txt" selected>' in page
    assert 'id="reply"' not in page   # filled, not yet sent
    refused = client.get("/?example=../pyproject.toml").get_data(as_text=True)
    assert "There is no example by that name." in refused and "[project]" not in refused


def test_try_an_example_in_chromium(browser, served):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    browser.get(served + "/")
    Select(browser.find_element(By.ID, "example")).select_by_value("tcpdump-syn-answered-by-rst.txt")
    browser.find_element(By.ID, "try-example").click()
    heading = wait_for(browser, By.CSS_SELECTOR, "#card h3")
    assert heading.text.startswith("Expressway-E is not listening on TCP 5062")
    box = browser.find_element(By.ID, "evidence").get_attribute("value")
    assert box.replace("\r\n", "\n") == (SAMPLES / "tcpdump-syn-answered-by-rst.txt").read_text(encoding="utf-8")


def test_pass_and_fail_are_words_on_the_page(local_app):
    from tests.evidence_builders import factory_certificate

    _, leaf = factory_certificate("expe01")
    client = local_app.test_client()
    page = client.post("/", data={"evidence": "", "file": (io.BytesIO(leaf.pem.encode()), "expe01.pem")},
                       content_type="multipart/form-data").get_data(as_text=True)
    assert "❌ fail · issuer: Expressway factory certificate" in page and "✅ pass · validity: " in page
    calls = client.post("/", data={"evidence": SELF_SIGNED}).get_data(as_text=True)
    assert '<li class="failed">❌ failed: ' in calls


# ---------------------------------------------------------------- the reply in view, the quoted lines marked
def test_quoted_lines_are_marked_in_the_paste_under_the_reply(local_app):
    text = (SAMPLES / "inbound-tls-failure.txt").read_text(encoding="utf-8")
    page = local_app.test_client().post("/", data={"evidence": text}).get_data(as_text=True)
    assert 'action="/#reply"' in page
    marked = re.findall(r'<mark class="line" id="line-(\d+)" data-n="\d+">', page)
    assert marked == ["3", "6", "7"]
    assert "the 3 lines quoted above are marked" in page
    assert page.index('id="reply"') < page.index('id="paste"')
    assert f">{escape(text.splitlines()[1])}</span>" in page   # unquoted lines are shown too, unmarked


def test_no_paste_echo_without_quoted_lines(local_app):
    client = local_app.test_client()
    for text in ("help", "calls from the Webex app to our desk phones never ring, where should I start?"):
        assert 'id="paste"' not in client.post("/", data={"evidence": text}).get_data(as_text=True)


def test_reply_scrolls_into_view_and_quoted_lines_are_marked_in_chromium(browser, served):
    from selenium.webdriver.common.by import By

    text = (SAMPLES / "outbound-404-search-rule.txt").read_text(encoding="utf-8")
    size = browser.get_window_size()
    browser.set_window_size(390, 844)   # a phone: the reply starts below the first screen
    try:
        browser.get(served + "/")
        browser.execute_script("document.getElementById('evidence').value = arguments[0]", text)
        browser.find_element(By.ID, "diagnose").click()
        wait_for(browser, By.CSS_SELECTOR, "#paste mark")
        scrolled, top = browser.execute_script(
            "return [window.scrollY, document.getElementById('reply').getBoundingClientRect().top]")
        assert scrolled > 0 and abs(top) < 2
        marks = browser.find_elements(By.CSS_SELECTOR, "#paste mark.line")
        assert [m.get_attribute("data-n") for m in marks] == ["1", "10", "12"]
        assert marks[1].text == text.splitlines()[9]
        box = browser.find_element(By.ID, "evidence")
        assert box.get_attribute("readonly") is None and box.get_attribute("value").replace("\r\n", "\n") == text
    finally:
        browser.set_window_size(size["width"], size["height"])
