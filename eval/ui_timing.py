"""Seconds from click to answer for the app's main tasks, measured in headless Chromium.

    policykg serve --port 7860 &                   # over an ingested corpus
    python -m eval.ui_timing --url http://127.0.0.1:7860/ [--width 390 --height 844] [--runs 3]

Each task is timed from the click (or Enter) until its result is on the page; the median of the runs
is printed. This is a benchmark, not a test: figures depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--lang=zh-CN",
)
QUESTION = "“防范开源供应链风险”由哪些部门负责？"
FOLLOW_UP = "这份文件的有效期到什么时候？"
SUPPORT_QUESTION = "在上海租用算力做大模型研发能拿到什么补贴？"


def driver(width: int, height: int) -> webdriver.Chrome:
    options = Options()
    options.binary_location = "/usr/bin/chromium"
    for flag in FLAGS:
        options.add_argument(flag)
    d = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    d.set_window_size(width, height)
    return d


def until(d, condition, timeout: float = 120.0):
    return WebDriverWait(d, timeout, poll_frequency=0.05).until(condition)


def timed(action: Callable[[], None], done: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    until(None, lambda _: done())
    return time.perf_counter() - start


def cites(d) -> int:
    return len(d.find_elements(By.CSS_SELECTOR, "#pkg-chat .pkg-cite"))


def ask(d, question: str) -> float:
    box = d.find_element(By.CSS_SELECTOR, "#pkg-question textarea")
    box.clear()
    box.send_keys(question)
    before = cites(d)
    return timed(lambda: box.send_keys(Keys.ENTER), lambda: cites(d) > before)


def press(d, elem_id: str, done: Callable[[], object]) -> float:
    button = d.find_element(By.ID, elem_id)
    d.execute_script("arguments[0].scrollIntoView({block: 'center'})", button)
    return timed(button.click, done)


def tab(d, label: str) -> None:
    t = next(t for t in d.find_elements(By.CSS_SELECTOR, "button[role=tab]") if t.text.strip() == label)
    t.click()


def rows(d, elem_id: str) -> int:
    return len(d.find_elements(By.CSS_SELECTOR, f"#{elem_id} table.pkg-cards tbody tr"))


def one_run(d, url: str) -> dict[str, float]:
    d.get(url)
    until(d, lambda d: d.find_elements(By.CSS_SELECTOR, "#pkg-question textarea"))
    d.find_element(By.ID, "pkg-new").click()
    until(d, lambda d: cites(d) == 0)
    out = {"question (departments)": ask(d, QUESTION), "follow-up": ask(d, FOLLOW_UP)}
    first = d.find_elements(By.CSS_SELECTOR, "#pkg-chat .pkg-cite")[0]
    first.find_element(By.CSS_SELECTOR, "summary").click()
    link = first.find_element(By.CSS_SELECTOR, "a.pkg-open-src")
    out["open source at clause"] = timed(
        link.click, lambda: d.find_elements(By.CSS_SELECTOR, "#pkg-source .pkg-focus")
    )
    d.execute_script(  # close the source panel (it covers the page on a phone)
        "const b = [...document.querySelectorAll('.sidebar .toggle-button, button.toggle-button')]"
        ".find(b => b.offsetParent); if (b) b.click();"
    )
    time.sleep(0.5)
    out["question (support)"] = ask(d, SUPPORT_QUESTION)
    count = len(d.find_elements(By.CSS_SELECTOR, "#pkg-evidence g.pkg-node"))
    node = d.find_elements(By.CSS_SELECTOR, "#pkg-evidence g.pkg-node[data-label=Measure] rect")[0]
    d.execute_script(
        "const r = arguments[0].getBoundingClientRect(), o = {bubbles: true, clientX: r.x + 5, clientY: r.y + 5};"
        "arguments[0].dispatchEvent(new PointerEvent('pointerdown', o));"
        "arguments[0].dispatchEvent(new PointerEvent('pointerup', o));",
        node,
    )
    out["expand graph node"] = timed(
        lambda: d.find_element(By.CSS_SELECTOR, "#pkg-evidence .pkg-expand").click(),
        lambda: len(d.find_elements(By.CSS_SELECTOR, "#pkg-evidence g.pkg-node")) > count,
    )
    tab(d, "支持政策匹配")
    out["support matcher"] = press(d, "pkg-sup-run", lambda: rows(d, "pkg-sup-table") > 0)
    tab(d, "城市对比")
    out["comparison"] = press(d, "pkg-cmp-run", lambda: d.find_elements(By.CSS_SELECTOR, "#pkg-cmp-chart .pkg-panel"))
    tab(d, "政策浏览")
    dept = d.find_element(By.CSS_SELECTOR, "#pkg-dept-name input")
    dept.send_keys("市经济信息化委")
    dept.send_keys(Keys.ENTER)
    out["department duties"] = press(d, "pkg-dept-run", lambda: rows(d, "pkg-dept-table") > 0)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:7860/")
    parser.add_argument("--width", type=int, default=1440)
    parser.add_argument("--height", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    d = driver(args.width, args.height)
    try:
        runs = [one_run(d, args.url) for _ in range(args.runs)]
    finally:
        d.quit()
    print(f"seconds from click to answer, median of {args.runs} runs at {args.width}×{args.height}:")
    for task in runs[0]:
        values = [r[task] for r in runs]
        print(f"  {task:<24} {statistics.median(values):6.2f}  (max {max(values):.2f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
