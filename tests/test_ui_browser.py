"""The app as a person uses it, in headless Chromium at a desk (1440×1000) and on a phone (390×844):
asking and following up, opening a citation's source, narrowing the scope, exploring the evidence
graph, exporting and rating an answer, the support matcher, the comparison, the policy browser and
file management. One app server serves every test; screenshots go to tests/artifacts/ for a human
to look at."""

from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from docx import Document

from tests.support.app import REPO, app_env, cli

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
ARTIFACTS = Path(__file__).parent / "artifacts"
WAIT_S = 180  # upper bound for one answer or ingest on a busy 2-core machine; not a measurement
UI_S = 90  # upper bound for the page to react to a click on a loaded 2-core machine
NEW_RETRY_S = 10  # a new-conversation click not reflected after this long is clicked again
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--lang=zh-CN",
)
VIEWPORTS = {"desk": (1440, 1000), "phone": (390, 844)}
POLICY = """测试市推进{name}应用场景建设若干措施

一、总体目标

到2026年，打造{name}应用场景100个。

二、重点任务

（一）开放公共数据。推动公共数据向企业开放，对利用公共数据开发应用的企业给予补贴。（责任单位：市数据局、市经济信息化委）

（二）建设示范场景。遴选一批示范场景，给予最高100万元奖励。（责任单位：市科委）
"""
DEPT_QUESTION = "“防范开源供应链风险”由哪些部门负责？"
ENGLISH = ("Filter...", "processing", "Warning", "Error", "More tabs", "Search...")

if not CHROMIUM.exists() or not Path(CHROMEDRIVER).exists():
    pytest.skip(
        "Chromium or chromedriver is missing: run `bash scripts/system-deps.sh` (apt packages "
        "chromium, chromium-driver)",
        allow_module_level=True,
    )

from selenium import webdriver  # noqa: E402
from selenium.common.exceptions import (  # noqa: E402
    ElementClickInterceptedException,
    StaleElementReferenceException,
)
from selenium.webdriver.chrome.options import Options  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


@pytest.fixture(scope="module", params=list(VIEWPORTS))
def view(request) -> str:
    return request.param


@pytest.fixture(scope="module")
def downloads(tmp_path_factory, view) -> Path:
    return tmp_path_factory.mktemp(f"downloads-{view}")


@pytest.fixture(scope="module")
def browser(ui_app, tmp_path_factory, downloads, view):
    options = Options()
    options.binary_location = str(CHROMIUM)
    for flag in FLAGS:
        options.add_argument(flag)
    width, height = VIEWPORTS[view]
    options.add_argument(f"--window-size={width},{height}")
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    options.add_experimental_option(
        "prefs", {"download.default_directory": str(downloads), "download.prompt_for_download": False}
    )
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_window_size(width, height)
    try:
        driver.get(ui_app.token_url)  # the link printed at start: this browser may upload and remove
        wait(driver, EC.element_to_be_clickable((By.CSS_SELECTOR, "#pkg-question textarea")))
        driver.view = view
        yield driver
    finally:
        driver.quit()


def wait(driver, condition, timeout: float = WAIT_S):
    """Poll until condition holds; an element re-rendered between two looks is looked up again."""
    return WebDriverWait(
        driver, timeout, poll_frequency=0.3, ignored_exceptions=(StaleElementReferenceException,)
    ).until(condition)


def shot(driver, name: str, focus: str | None = None) -> None:
    """Save a screenshot named after the viewport, scrolled to the element with id `focus` when given."""
    ARTIFACTS.mkdir(exist_ok=True)
    if focus:
        driver.execute_script(
            "document.getElementById(arguments[0]).scrollIntoView({block: 'start'})", focus
        )
    driver.save_screenshot(str(ARTIFACTS / f"ui-{driver.view}-{name}.png"))


def click(driver, element) -> None:
    """Click `element` once nothing covers it: a panel still sliding away (the sidebar closing)
    can intercept the first click for a moment, so an intercepted click is retried until UI_S."""
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)

    def clicked(_driver) -> bool:
        try:
            element.click()
        except ElementClickInterceptedException:
            return False
        return True

    wait(driver, clicked, UI_S)


def open_tab(driver, label: str) -> None:
    tab = next(
        t for t in driver.find_elements(By.CSS_SELECTOR, "button[role=tab]") if t.text.strip() == label
    )
    assert tab.is_displayed(), f"tab {label} is hidden"
    close_toasts(driver)
    click(driver, tab)
    wait(driver, lambda d: tab.get_attribute("aria-selected") == "true")


def shown_focus(driver, text: str = ""):
    """The source panel's highlighted clause once it is shown (with `text` in it), else None."""
    for focus in driver.find_elements(By.CSS_SELECTOR, "#pkg-source .pkg-focus"):
        if focus.is_displayed() and focus.text and text in focus.text:
            return focus
    return None


def close_toasts(driver) -> None:
    for close in driver.find_elements(By.CSS_SELECTOR, "[data-testid=toast-close]"):
        if close.is_displayed():
            driver.execute_script("arguments[0].click()", close)
    wait(driver, lambda d: not [t for t in d.find_elements(By.CSS_SELECTOR, ".toast-body") if t.is_displayed()], UI_S)


def reload(driver) -> None:
    driver.refresh()
    wait(driver, EC.element_to_be_clickable((By.CSS_SELECTOR, "#pkg-question textarea")))


def rows(driver, elem_id: str) -> list:
    return driver.find_elements(By.CSS_SELECTOR, f"#{elem_id} table.pkg-cards tbody tr")


def choose(driver, elem_id: str, text: str, exact: bool = False):
    """Type into a dropdown and click the option whose label has `text`; the option's label."""
    box = driver.find_element(By.CSS_SELECTOR, f"#{elem_id} input")
    click(driver, box)
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys(Keys.BACKSPACE)
    box.send_keys(text)

    def match(d):
        found = [
            o
            for o in d.find_elements(By.CSS_SELECTOR, "[role=option]")
            if (o.get_attribute("aria-label") or "") == text or (not exact and text in (o.get_attribute("aria-label") or ""))
        ]
        return found[0] if found else None

    option = wait(driver, match, UI_S)
    label = option.get_attribute("aria-label")
    option.click()
    return label


def assistant_messages(driver) -> list:
    return driver.find_elements(By.CSS_SELECTOR, "#pkg-chat .message-row.bot-row, #pkg-chat .bot-row")


def ask(driver, question: str):
    """Type a question, press Enter, and return the finished answer's first citation."""
    before = len(driver.find_elements(By.CSS_SELECTOR, "#pkg-chat .pkg-cite"))
    box = driver.find_element(By.CSS_SELECTOR, "#pkg-question textarea")
    box.clear()
    box.send_keys(question)
    box.send_keys(Keys.ENTER)
    return finished(driver, question, before)


def finished(driver, question: str, before: int):
    wait(driver, lambda d: question in d.find_element(By.ID, "pkg-chat").text)
    wait(driver, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#pkg-chat .pkg-cite")) > before)
    return driver.find_elements(By.CSS_SELECTOR, "#pkg-chat .pkg-cite")[before]


def last_answer(driver, question: str) -> str:
    return driver.find_element(By.ID, "pkg-chat").text.split(question)[-1]


def new_conversation(driver) -> None:
    """Start a new conversation and wait until the chat is empty. A click that lands while the page is
    still re-rendering the last answer can be lost, so while citations remain the button is clicked
    again every few seconds (a second new conversation is the same empty chat)."""
    clicked_at = [time.monotonic()]
    click(driver, driver.find_element(By.ID, "pkg-new"))

    def cleared(d) -> bool:
        if not d.find_elements(By.CSS_SELECTOR, "#pkg-chat .pkg-cite"):
            return True
        if time.monotonic() - clicked_at[0] > NEW_RETRY_S:
            click(d, d.find_element(By.ID, "pkg-new"))
            clicked_at[0] = time.monotonic()
        return False

    wait(driver, cleared, UI_S)


def downloaded(downloads: Path, pattern: str) -> Path:
    return wait(None, lambda _: next((p for p in downloads.glob(pattern) if p.stat().st_size), None))


def no_english(driver) -> None:
    text = driver.find_element(By.TAG_NAME, "body").text
    placeholders = " ".join(
        e.get_attribute("placeholder") or "" for e in driver.find_elements(By.CSS_SELECTOR, "input, textarea")
    )
    labels = " ".join(e.get_attribute("aria-label") or "" for e in driver.find_elements(By.CSS_SELECTOR, "[aria-label]") if e.is_displayed())
    for word in ENGLISH:
        assert word not in text and word not in placeholders and word not in labels, word


def test_every_tab_is_reachable_and_the_page_fits(browser):
    tabs = [t.text for t in browser.find_elements(By.CSS_SELECTOR, "#pkg-tabs button[role=tab]") if t.is_displayed()]
    assert tabs == ["政策问答", "支持政策匹配", "城市对比", "政策浏览", "文件管理"]
    width = browser.execute_script("return document.documentElement.scrollWidth")
    assert width <= VIEWPORTS[browser.view][0] + 1  # nothing wider than the screen
    shot(browser, "home")


def test_answer_cites_once_per_measure_and_opens_the_source_at_the_clause(browser):
    new_conversation(browser)
    first = ask(browser, DEPT_QUESTION)
    answer = last_answer(browser, DEPT_QUESTION)
    assert ("经济" in answer and "信息化" in answer) and ("网信" in answer or "网络安全和信息化" in answer)
    assert "**" not in answer and "[2]" not in answer  # one source for the one measure
    click(browser, first.find_element(By.CSS_SELECTOR, "summary"))
    link = first.find_element(By.CSS_SELECTOR, "a.pkg-open-src")
    wait(browser, lambda d: link.is_displayed())
    click(browser, link)
    focus = wait(browser, lambda d: shown_focus(d))
    assert "防范开源供应链风险" in focus.text and focus.find_elements(By.TAG_NAME, "mark")
    source = browser.find_element(By.ID, "pkg-source").text
    assert "所在位置" in source and "沪府办〔2025〕33号" in source
    assert re.search("现行有效|已失效|尚未施行", source)
    shot(browser, "source-viewer")
    close = browser.find_elements(By.CSS_SELECTOR, "#pkg-source-bar button.toggle-button, .sidebar .toggle-button")
    if close and close[0].is_displayed():
        close[0].click()


def test_follow_up_uses_the_previous_turn_and_the_conversation_survives_a_reload(browser):
    new_conversation(browser)
    ask(browser, DEPT_QUESTION)
    follow = "这份文件的有效期到什么时候？"
    cite = ask(browser, follow)
    summary = cite.find_element(By.CSS_SELECTOR, "summary").get_attribute("textContent")
    assert "沪府办〔2025〕33号" in summary  # answered about the document of the previous turn
    reload(browser)
    wait(browser, lambda d: follow in d.find_element(By.ID, "pkg-chat").text)
    assert DEPT_QUESTION in browser.find_element(By.ID, "pkg-chat").text
    shot(browser, "conversation-after-reload", focus="pkg-chat")
    new_conversation(browser)
    reload(browser)
    assert follow not in browser.find_element(By.ID, "pkg-chat").text


def test_scope_narrows_the_question_to_chosen_documents(browser):
    new_conversation(browser)
    click(browser, browser.find_element(By.CSS_SELECTOR, "#pkg-scope button.label-wrap"))
    wait(browser, lambda d: [e for e in d.find_elements(By.CSS_SELECTOR, "#pkg-scope-docs input") if e.is_displayed()], UI_S)
    label = choose(browser, "pkg-scope-docs", "智算云")
    assert re.search("现行有效|已失效|尚未施行", label)  # every policy shows its validity
    wait(browser, lambda d: "智算云" in d.find_element(By.ID, "pkg-scope").text, UI_S)
    browser.find_element(By.CSS_SELECTOR, "#pkg-scope-inforce input").click()
    question = "有哪些支持企业的政策？"
    cite = ask(browser, question)
    summaries = [
        c.find_element(By.CSS_SELECTOR, "summary").get_attribute("textContent")
        for c in browser.find_elements(By.CSS_SELECTOR, "#pkg-chat .pkg-cite")
    ]
    assert summaries and all("沪经信软〔2025〕160号" in s for s in summaries), summaries
    assert cite.is_displayed() or True
    assert "仅现行有效" in browser.find_element(By.ID, "pkg-scope").text
    shot(browser, "scope", focus="pkg-scope")
    # back to the whole corpus for the other tests
    click(browser, browser.find_element(By.ID, "pkg-scope-clear"))
    wait(browser, lambda d: "全部文件" in d.find_element(By.ID, "pkg-scope").text, UI_S)


def test_evidence_graph_pans_zooms_filters_shows_properties_and_expands(browser):
    new_conversation(browser)
    ask(browser, "在上海租用算力做大模型研发能拿到什么补贴？")
    nodes = wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#pkg-evidence svg g.pkg-node"))
    labels = {n.get_attribute("data-label") for n in nodes}
    assert {"Measure", "Support"} <= labels and "Topic" not in labels and "Region" not in labels
    support = [n for n in nodes if n.get_attribute("data-label") == "Support"]
    assert any(re.search(r"\d", n.get_attribute("textContent")) for n in support)  # amounts on support
    svg = browser.find_element(By.CSS_SELECTOR, "#pkg-evidence svg")
    start = svg.get_dom_attribute("viewBox")
    click(browser, browser.find_element(By.CSS_SELECTOR, "#pkg-evidence [data-zoom='1.25']"))
    assert svg.get_dom_attribute("viewBox") != start
    browser.execute_script(
        "arguments[0].dispatchEvent(new PointerEvent('pointerdown', {bubbles: true, clientX: 100, clientY: 100}));"
        "document.dispatchEvent(new PointerEvent('pointermove', {bubbles: true, clientX: 160, clientY: 130}));"
        "document.dispatchEvent(new PointerEvent('pointerup', {bubbles: true, clientX: 160, clientY: 130}));",
        svg,
    )
    panned = svg.get_dom_attribute("viewBox")
    assert panned.split()[:2] != start.split()[:2]
    measure = next(n for n in nodes if n.get_attribute("data-label") == "Measure")
    browser.execute_script(
        "const r = arguments[0].getBoundingClientRect(), o = {bubbles: true, clientX: r.x + 5, clientY: r.y + 5};"
        "arguments[0].dispatchEvent(new PointerEvent('pointerdown', o));"
        "arguments[0].dispatchEvent(new PointerEvent('pointerup', o));",
        measure.find_element(By.TAG_NAME, "rect"),
    )
    info = browser.find_element(By.CSS_SELECTOR, "#pkg-evidence .pkg-node-info")
    wait(browser, lambda d: "类别" in info.text and "措施" in info.text)
    box = browser.find_element(By.CSS_SELECTOR, "#pkg-evidence input[data-kind='Support']")
    click(browser, box)
    assert all(not n.is_displayed() for n in support)
    click(browser, box)
    count = len(nodes)
    click(browser, browser.find_element(By.CSS_SELECTOR, "#pkg-evidence .pkg-expand"))
    wait(browser, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#pkg-evidence svg g.pkg-node")) > count)
    kinds = browser.find_element(By.CSS_SELECTOR, "#pkg-evidence .pkg-kinds").text
    assert "支持" in kinds and "措施" in kinds
    shot(browser, "evidence-graph", focus="pkg-evidence-box")


def test_export_markdown_and_word_and_feedback_is_stored(browser, downloads, ui_app):
    new_conversation(browser)
    question = "在上海租用算力做大模型研发能拿到什么补贴？"
    ask(browser, question)
    md_button = browser.find_element(By.ID, "pkg-export-md")
    wait(browser, lambda d: md_button.is_enabled())
    click(browser, md_button)
    md = downloaded(downloads, "*.md").read_text(encoding="utf-8")
    assert md.startswith(f"# {question}") and "## 来源" in md and "1. 《" in md
    click(browser, browser.find_element(By.ID, "pkg-export-docx"))
    doc = Document(str(downloaded(downloads, "*.docx")))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert question in text and "来源" in text and "[1] 《" in text
    comment = f"{browser.view}：补贴金额写得清楚"
    box = browser.find_element(By.CSS_SELECTOR, "#pkg-fb-comment textarea")
    box.send_keys(comment)
    click(browser, browser.find_element(By.ID, "pkg-fb-up"))
    toast = wait(browser, lambda d: [t for t in d.find_elements(By.CSS_SELECTOR, ".toast-body") if "反馈" in t.text])
    assert "提示" in toast[0].text and "Info" not in toast[0].text
    feedback = ui_app.data_dir / "feedback.jsonl"
    wait(None, lambda _: feedback.exists() and comment in feedback.read_text(encoding="utf-8"))
    record = [json.loads(x) for x in feedback.read_text(encoding="utf-8").splitlines()][-1]
    assert record["rating"] == "up" and record["question"] == question and record["citations"]
    report = subprocess.run(
        cli("eval", "--feedback"), env=app_env(ui_app.data_dir), cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert report.returncode == 0 and "helpful" in report.stdout
    shot(browser, "export-feedback", focus="pkg-answer-tools")
    close_toasts(browser)


def test_an_example_question_is_asked_when_clicked_and_messages_are_chinese(browser):
    new_conversation(browser)
    example = browser.find_elements(By.CSS_SELECTOR, "button.pkg-example")[0]
    question = example.text.strip()
    click(browser, example)
    finished(browser, question, 0)
    click(browser, browser.find_element(By.ID, "pkg-send"))  # an empty question gets a Chinese toast
    toast = wait(browser, lambda d: [t for t in d.find_elements(By.CSS_SELECTOR, ".toast-body") if "请输入问题" in t.text])
    assert "注意" in toast[0].text
    no_english(browser)
    shot(browser, "example-asked", focus="pkg-chat")
    close_toasts(browser)


def test_support_matcher_keeps_subsidies_for_any_applicant_as_cards_and_csv(browser, downloads):
    open_tab(browser, "支持政策匹配")
    choose(browser, "pkg-sup-who", "企业", exact=True)
    choose(browser, "pkg-sup-kind", "补贴", exact=True)
    click(browser, browser.find_element(By.ID, "pkg-sup-run"))
    wait(browser, lambda d: len(rows(d, "pkg-sup-table")) >= 3)
    text = browser.find_element(By.ID, "pkg-sup-table").text
    assert "算力" in text  # the 算力 subsidy, offered to 主体, is kept for 企业
    cell = browser.find_element(By.CSS_SELECTOR, "#pkg-sup-table td.pkg-col-quote")
    if browser.view == "phone":
        assert not browser.find_element(By.CSS_SELECTOR, "#pkg-sup-table thead").is_displayed()
        assert cell.size["width"] > 0.6 * VIEWPORTS["phone"][0]  # a card, not a squeezed column
    else:
        assert cell.size["width"] >= 300
    button = browser.find_element(By.ID, "pkg-sup-csv")
    wait(browser, lambda d: button.is_enabled())
    click(browser, button)
    csv_file = downloaded(downloads, "support*.csv")
    assert csv_file.read_text(encoding="utf-8-sig").splitlines()[0].startswith("城市")
    no_english(browser)
    shot(browser, "support-matcher", focus="pkg-sup-summary")


def test_comparison_shows_ranges_every_metric_and_exports(browser, downloads):
    open_tab(browser, "城市对比")
    click(browser, browser.find_element(By.ID, "pkg-cmp-run"))
    wait(browser, lambda d: len(rows(d, "pkg-cmp-table")) > 0)
    table = browser.find_element(By.ID, "pkg-cmp-table").text
    assert "1—2个" in table
    cells = [c.text.strip() for c in browser.find_elements(By.CSS_SELECTOR, "#pkg-cmp-table td.pkg-col-comparator")]
    assert "=" not in cells
    keys = [tuple(td.text for td in tr.find_elements(By.TAG_NAME, "td")[:7]) for tr in rows(browser, "pkg-cmp-table")]
    assert len(keys) == len(set(keys))  # no duplicate rows
    metrics = {td.text for td in browser.find_elements(By.CSS_SELECTOR, "#pkg-cmp-table td.pkg-col-metric")}
    panels = browser.find_elements(By.CSS_SELECTOR, "#pkg-cmp-chart .pkg-panel")
    assert len(panels) >= len(metrics) > 6  # every metric is charted
    values = [v.text for v in browser.find_elements(By.CSS_SELECTOR, "#pkg-cmp-chart .pkg-bar-val")]
    assert values and not [v for v in values if re.search(r"\d\.0\b", v)]
    button = browser.find_element(By.ID, "pkg-cmp-csv")
    wait(browser, lambda d: button.is_enabled())
    click(browser, button)
    exported = list(csv.reader(downloaded(downloads, "targets*.csv").open(encoding="utf-8-sig", newline="")))
    shown = int(re.search(r"共\s*(\d+)\s*条", browser.find_element(By.ID, "pkg-cmp-summary").text).group(1))
    assert exported[0][0] == "城市" and len(exported) - 1 == shown == len(keys)
    shot(browser, "comparison", focus="pkg-cmp-chart")
    shot(browser, "comparison-table", focus="pkg-cmp-table")


def test_policy_browser_badges_measure_text_and_readable_duties(browser):
    open_tab(browser, "政策浏览")
    wait(browser, lambda d: len(rows(d, "pkg-policies")) > 0)
    badges = browser.find_elements(By.CSS_SELECTOR, "#pkg-policies .pkg-badge")
    assert len(badges) == len(rows(browser, "pkg-policies"))
    ids = browser.find_element(By.ID, "pkg-policies").text
    assert not re.search(r"\b[a-z]{2}-\d{4}-", ids)  # internal ids are not shown
    link = wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#pkg-browse-outline a.pkg-open-src"))[2]
    name = link.text
    click(browser, link)
    focus = wait(browser, lambda d: shown_focus(d, name.split()[-1][:4]))
    assert name.split()[-1][:4] in focus.text
    shot(browser, "measure-source")
    for toggle in browser.find_elements(By.CSS_SELECTOR, ".sidebar .toggle-button, button.toggle-button"):
        if toggle.is_displayed():
            toggle.click()
            break
    dept = browser.find_element(By.CSS_SELECTOR, "#pkg-dept-name input")
    click(browser, dept)
    dept.send_keys("市经济信息化委")
    dept.send_keys(Keys.ENTER)
    click(browser, browser.find_element(By.ID, "pkg-dept-run"))
    wait(browser, lambda d: len(rows(d, "pkg-dept-table")) > 0)
    quote = browser.find_element(By.CSS_SELECTOR, "#pkg-dept-table td.pkg-col-quote")
    assert quote.size["width"] >= (300 if browser.view == "desk" else 0.6 * VIEWPORTS["phone"][0])
    tall = max(tr.size["height"] for tr in rows(browser, "pkg-dept-table"))
    assert tall < 700  # rows are not squeezed into a tall narrow column
    shot(browser, "policy-browser", focus="pkg-dept-summary")


def test_file_management_lists_previews_reparses_and_deletes_with_confirmation(browser, tmp_path):
    name = "人工智能" if browser.view == "desk" else "低空经济"
    src = tmp_path / f"{name}应用场景措施.txt"
    src.write_text(POLICY.format(name=name), encoding="utf-8")
    open_tab(browser, "文件管理")
    docs = browser.find_element(By.ID, "pkg-docs").text
    assert "上传时间" in docs or "上传时间" in browser.find_element(By.ID, "pkg-docs").get_attribute("textContent")
    browser.find_element(By.CSS_SELECTOR, "#pkg-upload input[type=file]").send_keys(str(src))
    wait(browser, lambda d: src.stem in d.find_element(By.ID, "pkg-upload").text)
    click(browser, browser.find_element(By.ID, "pkg-upload-run"))
    wait(browser, lambda d: "已入库" in d.find_element(By.ID, "pkg-upload-status").text)
    wait(browser, lambda d: src.stem not in d.find_element(By.ID, "pkg-upload").text)  # nothing to send twice
    outline = browser.find_element(By.ID, "pkg-upload-outline").text
    assert "开放公共数据" in outline and "建设示范场景" in outline
    wait(browser, lambda d: src.name in d.find_element(By.ID, "pkg-docs").get_attribute("textContent"))
    choose(browser, "pkg-remove-pick", f"测试市推进{name}")
    wait(browser, lambda d: "建设示范场景" in d.find_element(By.ID, "pkg-upload-outline").text)
    click(browser, browser.find_element(By.ID, "pkg-reparse-run"))
    wait(browser, lambda d: "已重新解析" in d.find_element(By.ID, "pkg-remove-status").text)
    click(browser, browser.find_element(By.ID, "pkg-remove-run"))
    confirm = wait(browser, lambda d: [e for e in d.find_elements(By.ID, "pkg-remove-yes") if e.is_displayed()])[0]
    assert "确定删除" in browser.find_element(By.ID, "pkg-remove-confirm").text
    shot(browser, "delete-confirmation", focus="pkg-remove-confirm")
    click(browser, browser.find_element(By.ID, "pkg-remove-no"))
    wait(browser, lambda d: not [e for e in d.find_elements(By.ID, "pkg-remove-yes") if e.is_displayed()])
    assert src.name in browser.find_element(By.ID, "pkg-docs").get_attribute("textContent")
    click(browser, browser.find_element(By.ID, "pkg-remove-run"))
    confirm = wait(browser, lambda d: [e for e in d.find_elements(By.ID, "pkg-remove-yes") if e.is_displayed()])[0]
    click(browser, confirm)
    wait(browser, lambda d: "已删除" in d.find_element(By.ID, "pkg-remove-status").text)
    wait(browser, lambda d: src.name not in d.find_element(By.ID, "pkg-docs").get_attribute("textContent"))
    status = browser.find_element(By.ID, "pkg-remove-status").text
    assert name in status and not re.search(r"[a-z]{2,}-\d", status)  # the title, not an internal id
    no_english(browser)
    shot(browser, "file-management")


def test_an_upload_claiming_a_title_replaces_that_policy_only_when_confirmed(browser, tmp_path, ui_app):
    from gradio_client import Client

    name = "区块链" if browser.view == "desk" else "数字孪生"
    first, second = tmp_path / f"{name}措施.txt", tmp_path / f"{name}措施-修订.txt"
    first.write_text(POLICY.format(name=name), encoding="utf-8")
    second.write_text(POLICY.format(name=name).replace("100万元", "300万元"), encoding="utf-8")
    reload(browser)
    open_tab(browser, "文件管理")
    for src in (first, second):
        browser.find_element(By.CSS_SELECTOR, "#pkg-upload input[type=file]").send_keys(str(src))
        wait(browser, lambda d, src=src: src.stem in d.find_element(By.ID, "pkg-upload").text)
        click(browser, browser.find_element(By.ID, "pkg-upload-run"))
        wait(browser, lambda d, src=src: src.name in d.find_element(By.ID, "pkg-docs").get_attribute("textContent"))
    offer = wait(browser, lambda d: [e for e in d.find_elements(By.ID, "pkg-replace-yes") if e.is_displayed()])[0]
    question = browser.find_element(By.ID, "pkg-replace-confirm").text
    assert "替换" in question and name in question
    docs = browser.find_element(By.ID, "pkg-docs").get_attribute("textContent")
    assert first.name in docs and second.name in docs  # kept apart until confirmed
    shot(browser, "replace-confirmation", focus="pkg-replace-confirm")
    click(browser, offer)
    wait(browser, lambda d: "已替换" in d.find_element(By.ID, "pkg-upload-status").text)
    wait(browser, lambda d: first.name not in d.find_element(By.ID, "pkg-docs").get_attribute("textContent"))
    assert second.name in browser.find_element(By.ID, "pkg-docs").get_attribute("textContent")
    assert not [e for e in browser.find_elements(By.ID, "pkg-replace-yes") if e.is_displayed()]
    client = Client(ui_app.url, verbose=False, headers=ui_app.write_headers, httpx_kwargs={"timeout": WAIT_S})
    for p in client.predict(api_name="/list_policies"):
        if name in (p.get("title") or ""):
            client.predict(p["id"], api_name="/remove_policy")


def test_an_upload_claiming_several_policies_lets_the_user_choose_which_to_replace(browser, tmp_path, ui_app):
    """文号 of one uploaded policy, title of another: both are listed, none ticked; only the chosen goes."""
    from gradio_client import Client

    name = "量子信息" if browser.view == "desk" else "卫星互联网"
    doc_no = "测政〔2026〕11号" if browser.view == "desk" else "测政〔2026〕12号"
    numbered, titled = POLICY.format(name=name), POLICY.format(name=name).replace("若干措施", "若干意见")
    a, b, c = tmp_path / f"{name}方案.md", tmp_path / f"{name}意见.txt", tmp_path / f"{name}新版.md"
    a.write_text(f"---\ndoc_no: {doc_no}\n---\n" + numbered, encoding="utf-8")
    b.write_text(titled, encoding="utf-8")
    c.write_text(f"---\ndoc_no: {doc_no}\n---\n" + titled.replace("100万元", "500万元"), encoding="utf-8")
    reload(browser)
    open_tab(browser, "文件管理")
    for src in (a, b, c):
        browser.find_element(By.CSS_SELECTOR, "#pkg-upload input[type=file]").send_keys(str(src))
        wait(browser, lambda d, src=src: src.stem in d.find_element(By.ID, "pkg-upload").text)
        click(browser, browser.find_element(By.ID, "pkg-upload-run"))
        wait(browser, lambda d, src=src: src.name in d.find_element(By.ID, "pkg-docs").get_attribute("textContent"))
    offer = wait(browser, lambda d: [e for e in d.find_elements(By.ID, "pkg-replace-yes") if e.is_displayed()])[0]
    options = browser.find_elements(By.CSS_SELECTOR, "#pkg-replace-pick label")
    labels = [o.text for o in options]
    assert len(labels) == 2, labels
    assert any(doc_no in t and "文号相同" in t for t in labels) and any("标题相同" in t for t in labels)
    assert not [i for i in browser.find_elements(By.CSS_SELECTOR, "#pkg-replace-pick input") if i.is_selected()]
    shot(browser, "replace-several", focus="pkg-replace-confirm")
    click(browser, offer)  # nothing ticked: nothing replaced
    wait(browser, lambda d: [t for t in d.find_elements(By.CSS_SELECTOR, ".toast-body")
                             if t.is_displayed() and "勾选" in t.text])
    close_toasts(browser)
    docs = browser.find_element(By.ID, "pkg-docs").get_attribute("textContent")
    assert a.name in docs and b.name in docs and c.name in docs
    titled_option = wait(browser, lambda d: next((o for o in d.find_elements(By.CSS_SELECTOR, "#pkg-replace-pick label")
                                                  if o.is_displayed() and "标题相同" in o.text), None), UI_S)
    tick = titled_option.find_element(By.CSS_SELECTOR, "input[type=checkbox]")
    browser.execute_script("arguments[0].click()", tick)
    wait(browser, lambda d: tick.is_selected(), UI_S)
    shot(browser, "replace-several-ticked", focus="pkg-replace-confirm")
    click(browser, offer)
    wait(browser, lambda d: "已替换" in d.find_element(By.ID, "pkg-upload-status").text)
    wait(browser, lambda d: b.name not in d.find_element(By.ID, "pkg-docs").get_attribute("textContent"))
    docs = browser.find_element(By.ID, "pkg-docs").get_attribute("textContent")
    assert a.name in docs and c.name in docs  # the policy not chosen stays
    client = Client(ui_app.url, verbose=False, headers=ui_app.write_headers, httpx_kwargs={"timeout": WAIT_S})
    for p in client.predict(api_name="/list_policies"):
        if name in (p.get("title") or ""):
            client.predict(p["id"], api_name="/remove_policy")


def test_unsupported_upload_gets_a_clear_message_without_server_paths(browser, tmp_path):
    src = tmp_path / "notes.xlsx"
    src.write_bytes(b"PK\x03\x04 not a policy text")
    reload(browser)
    open_tab(browser, "文件管理")
    browser.find_element(By.CSS_SELECTOR, "#pkg-upload input[type=file]").send_keys(str(src))
    wait(browser, lambda d: src.stem in d.find_element(By.ID, "pkg-upload").text)
    click(browser, browser.find_element(By.ID, "pkg-upload-run"))
    status = browser.find_element(By.ID, "pkg-upload-status")
    wait(browser, lambda d: "notes" in status.text and ("不支持" in status.text or "无法" in status.text))
    assert "/tmp" not in status.text and "/home" not in status.text
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
