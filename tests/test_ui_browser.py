"""The app as a person uses it: headless Chromium asks questions, opens citations, runs the support
matcher and the comparison, downloads the CSV exports and uploads a policy. Screenshots go to
tests/artifacts/ for a human to look at."""

from __future__ import annotations

import csv
import json
import re
import shutil
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
ARTIFACTS = Path(__file__).parent / "artifacts"
WAIT_S = 180  # upper bound for one answer or ingest on a busy 2-core machine; not a measurement
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1440,1000",
    "--lang=zh-CN",
)
POLICY = """测试市推进人工智能应用场景建设若干措施

一、总体目标

到2026年，打造人工智能应用场景100个。

二、重点任务

（一）开放公共数据。推动公共数据向企业开放，对利用公共数据开发应用的企业给予补贴。（责任单位：市数据局、市经济信息化委）

（二）建设示范场景。遴选一批示范场景，给予最高100万元奖励。（责任单位：市科委）
"""

if not CHROMIUM.exists() or not Path(CHROMEDRIVER).exists():
    pytest.skip(
        "Chromium or chromedriver is missing: run `bash scripts/system-deps.sh` (apt packages "
        "chromium, chromium-driver)",
        allow_module_level=True,
    )

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.options import Options  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


@pytest.fixture(scope="module")
def downloads(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="module")
def browser(ui_app, tmp_path_factory, downloads):
    options = Options()
    options.binary_location = str(CHROMIUM)
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    options.add_experimental_option(
        "prefs", {"download.default_directory": str(downloads), "download.prompt_for_download": False}
    )
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        driver.get(ui_app.token_url)  # the link printed at start: this browser may upload and remove
        WebDriverWait(driver, WAIT_S).until(
            EC.element_to_be_clickable((By.CSS_SELECTOR, "#pkg-question textarea"))
        )
        yield driver
    finally:
        driver.quit()


def wait(driver, condition, timeout: float = WAIT_S):
    return WebDriverWait(driver, timeout, poll_frequency=0.3).until(condition)


def shot(driver, name: str, focus: str | None = None) -> None:
    """Save a screenshot, scrolled to the element with id `focus` when given."""
    ARTIFACTS.mkdir(exist_ok=True)
    if focus:
        driver.execute_script(
            "document.getElementById(arguments[0]).scrollIntoView({block: 'center'})", focus
        )
    driver.save_screenshot(str(ARTIFACTS / f"ui-{name}.png"))


def open_tab(driver, label: str) -> None:
    tab = next(
        t for t in driver.find_elements(By.CSS_SELECTOR, "button[role=tab]") if t.text.strip() == label
    )
    tab.click()
    wait(driver, lambda d: tab.get_attribute("aria-selected") == "true")


def table_rows(driver, elem_id: str) -> int:
    return len(driver.find_elements(By.CSS_SELECTOR, f'#{elem_id} [data-testid^="cell-"][data-testid$="-0"]'))


def ask(driver, question: str):
    """Type a question, press Enter, and return the finished assistant message (sources rendered)."""
    before = len(driver.find_elements(By.CSS_SELECTOR, "#pkg-chat .pkg-cite"))
    box = driver.find_element(By.CSS_SELECTOR, "#pkg-question textarea")
    box.clear()
    box.send_keys(question)
    box.send_keys(Keys.ENTER)
    wait(driver, lambda d: question in d.find_element(By.ID, "pkg-chat").text)
    wait(driver, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#pkg-chat .pkg-cite")) > before)
    messages = driver.find_elements(By.CSS_SELECTOR, "#pkg-chat .pkg-cite")
    return messages[before]


def downloaded(downloads: Path, stem: str) -> Path:
    return wait(None, lambda _: next((p for p in downloads.glob(f"{stem}*.csv")), None))


def test_department_question_shows_departments_citations_and_evidence(browser):
    question = "“防范开源供应链风险”由哪些部门负责？"
    first_cite = ask(browser, question)
    chat = browser.find_element(By.ID, "pkg-chat").text.split(question)[-1]
    assert ("经济" in chat and "信息化" in chat) and ("网信" in chat or "网络安全和信息化" in chat)
    assert first_cite.find_element(By.CSS_SELECTOR, "summary").text.startswith("[1]")
    quote = first_cite.find_element(By.CSS_SELECTOR, "blockquote")
    assert not quote.is_displayed()
    first_cite.find_element(By.CSS_SELECTOR, "summary").click()
    wait(browser, lambda d: quote.is_displayed() and quote.text.strip())
    assert "政策" in first_cite.text and "措施" in first_cite.text
    wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#pkg-evidence svg .pkg-node"))
    labels = {
        g.get_attribute("data-label")
        for g in browser.find_elements(By.CSS_SELECTOR, "#pkg-evidence svg .pkg-node")
    }
    assert {"Measure", "Department"} <= labels
    shot(browser, "chat-departments")
    shot(browser, "chat-evidence", focus="pkg-evidence")


def test_support_question_is_answered_with_sources(browser):
    question = "在上海租用算力做大模型研发能拿到什么补贴？"
    cite = ask(browser, question)
    assert cite.find_element(By.CSS_SELECTOR, "summary").text.startswith("[1]")
    answer = browser.find_element(By.ID, "pkg-chat").text.split(question)[-1]
    assert "补贴" in answer and "算力" in answer
    shot(browser, "chat-support")


def test_support_matcher_table_and_csv(browser, downloads):
    open_tab(browser, "支持政策匹配")
    browser.find_element(By.ID, "pkg-sup-run").click()
    wait(browser, lambda d: table_rows(d, "pkg-sup-table") > 0)
    summary = browser.find_element(By.ID, "pkg-sup-summary").text
    assert "共" in summary
    button = browser.find_element(By.ID, "pkg-sup-csv")
    wait(browser, lambda d: button.is_enabled())
    button.click()
    csv_file = downloaded(downloads, "support")
    assert csv_file.read_text(encoding="utf-8-sig").splitlines()[0].startswith("城市")
    shot(browser, "support-matcher")


def test_comparison_table_chart_and_csv(browser, downloads):
    open_tab(browser, "城市对比")
    browser.find_element(By.ID, "pkg-cmp-run").click()
    wait(browser, lambda d: table_rows(d, "pkg-cmp-table") > 0)
    wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#pkg-cmp-chart img"))
    button = browser.find_element(By.ID, "pkg-cmp-csv")
    wait(browser, lambda d: button.is_enabled())
    button.click()
    rows = list(csv.reader(downloaded(downloads, "targets").open(encoding="utf-8-sig", newline="")))
    shown = int(re.search(r"共\s*(\d+)\s*条", browser.find_element(By.ID, "pkg-cmp-summary").text).group(1))
    assert rows[0][0] == "城市" and len(rows) - 1 == shown and len({r[0] for r in rows[1:]}) >= 2
    shot(browser, "comparison")
    shot(browser, "comparison-chart", focus="pkg-cmp-chart")


def test_policy_browser_outline_and_department_search(browser):
    open_tab(browser, "政策浏览")
    wait(browser, lambda d: table_rows(d, "pkg-policies") > 0)
    wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#pkg-browse-outline .pkg-measure"))
    dept = browser.find_element(By.CSS_SELECTOR, "#pkg-dept-name input")
    dept.send_keys("市教委")
    dept.send_keys(Keys.ENTER)
    browser.find_element(By.ID, "pkg-dept-run").click()
    wait(browser, lambda d: table_rows(d, "pkg-dept-table") > 0)
    shot(browser, "policy-browser")


def test_upload_shows_progress_result_and_outline(browser, tmp_path):
    src = tmp_path / "人工智能应用场景措施.txt"
    src.write_text(POLICY, encoding="utf-8")
    open_tab(browser, "文件管理")
    browser.find_element(By.CSS_SELECTOR, "#pkg-upload input[type=file]").send_keys(str(src))
    wait(browser, lambda d: src.stem in d.find_element(By.ID, "pkg-upload").text)
    browser.find_element(By.ID, "pkg-upload-run").click()
    wait(browser, lambda d: "已入库" in d.find_element(By.ID, "pkg-upload-status").text)
    outline = browser.find_element(By.ID, "pkg-upload-outline").text
    assert "开放公共数据" in outline and "建设示范场景" in outline
    shot(browser, "upload")


def test_unsupported_upload_gets_a_clear_message(browser, tmp_path):
    src = tmp_path / "notes.xlsx"
    src.write_bytes(b"PK\x03\x04 not a policy text")
    browser.refresh()
    wait(browser, EC.element_to_be_clickable((By.CSS_SELECTOR, "#pkg-question textarea")))
    open_tab(browser, "文件管理")
    browser.find_element(By.CSS_SELECTOR, "#pkg-upload input[type=file]").send_keys(str(src))
    wait(browser, lambda d: src.stem in d.find_element(By.ID, "pkg-upload").text)
    browser.find_element(By.ID, "pkg-upload-run").click()
    wait(browser, lambda d: "不支持的文件类型" in d.find_element(By.ID, "pkg-upload-status").text)
    shot(browser, "upload-refused")


def test_nothing_is_fetched_from_outside_the_app(browser, ui_app):
    """Every request the page made in this session (fonts, scripts, images, API calls) went to the app."""
    urls = set()
    for entry in browser.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.add(message["params"]["request"]["url"])
    assert any(u.startswith(ui_app.url) for u in urls)
    network = {u for u in urls if u.startswith(("http:", "https:", "ws:", "wss:"))}  # not chrome:// pages
    assert not {u for u in network if not u.startswith(ui_app.url)}
