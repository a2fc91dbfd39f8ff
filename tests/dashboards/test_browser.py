"""End to end in a real browser: ``gameday dashboard`` + headless Chromium (Playwright).

Starts the dashboard on a free loopback port over a small results folder, opens every
page, runs a small comparison and a what-if, and saves a screenshot of each step under
``artifacts/screenshots/`` (gitignored; CI keeps them as artifacts): ``NAME.png`` as a
1400x900 window shows it and ``NAME-full.png`` the whole page. Any Streamlit
exception box fails the test. Chromium is Debian's (``apt-get install chromium``):
Playwright's own browser download does not work here.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .conftest import ROOT, gameday

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = ROOT / "artifacts" / "screenshots"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium"
    ),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until_serving(url: str, proc: subprocess.Popen[Any], log: Path) -> None:
    """Wait (up to 60 s) until the dashboard at ``url`` answers its health check; fail
    with the server's log if it exits or never answers."""
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            pytest.fail(f"dashboard did not start:\n{log.read_text()}")
        time.sleep(0.3)


@pytest.fixture(scope="module")
def dashboard(results_root: Path) -> Iterator[str]:
    port = free_port()
    script = Path(sys.executable).with_name("gameday")
    cmd = [str(script)] if script.exists() else [sys.executable, "-m", "sim.cli"]
    log = open(results_root / "dashboard.log", "w")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [*cmd, "dashboard", str(results_root), "--port", str(port)],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        start_new_session=True,  # its own process group: teardown ends all of it
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(url, proc, results_root / "dashboard.log")
        yield url
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=15)
        log.close()


RUNNING = '[data-testid="stStatusWidget"], header button:has-text("Stop")'


def settle(page, timeout: float = 90.0) -> None:  # type: ignore[no-untyped-def]
    """Wait until the script run is over (no "Running…"/"Stop" indicator in the header)."""
    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout * 1000)
    page.wait_for_timeout(700)
    deadline = time.monotonic() + timeout
    while page.locator(RUNNING).count() and time.monotonic() < deadline:
        page.wait_for_timeout(250)
    page.wait_for_timeout(900)


def check(page, name: str) -> None:  # type: ignore[no-untyped-def]
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))  # what a 1400x900 window shows
    # ... and the whole page, for reading: the window made as tall as the content
    tall = page.evaluate(
        "() => Math.max(...[...document.querySelectorAll('[data-testid=stMain], "
        "[data-testid=stAppViewContainer], section')].map(e => e.scrollHeight), 900)"
    )
    page.set_viewport_size({"width": 1400, "height": min(int(tall), 8000)})
    page.wait_for_timeout(600)
    page.screenshot(path=str(SHOTS / f"{name}-full.png"))
    page.set_viewport_size({"width": 1400, "height": 900})
    page.wait_for_timeout(300)
    boxes = page.locator('[data-testid="stException"]')
    if boxes.count():
        pytest.fail(f"Streamlit exception on {name}: {boxes.first.inner_text()[:2000]}")


def pick_results(page, name: str) -> None:  # type: ignore[no-untyped-def]
    """Choose a result set in the sidebar's "Results folder" box."""
    page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first.click()
    page.get_by_role("option", name=name).click()
    settle(page)


def finished_training_session(results_root: Path) -> tuple[str, float]:
    """(id, score) of an expert's session played by the CLI into the dashboard's store."""
    name = "training-02-cascade"
    done = gameday(
        "train",
        str(ROOT / "scenarios" / f"{name}.yaml"),
        "--actions",
        str(ROOT / "scenarios" / "training" / f"{name}.expert.actions"),
        "--store",
        str(results_root / "training.sqlite"),
        "--player",
        "expert",
        "--json",
    )
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    return str(doc["session"]), float(doc["score"])


def choose(page, label: str, option: str) -> None:  # type: ignore[no-untyped-def]
    """Pick ``option`` in the select box labelled ``label``."""
    page.get_by_label(label, exact=True).click()
    page.get_by_role("option", name=option, exact=True).click()
    settle(page)


def chips(page, label: str) -> list[str]:  # type: ignore[no-untyped-def]
    """The values picked in the multiselect labelled ``label``."""
    box = page.locator('[data-testid="stMultiSelect"]').filter(has_text=label)
    return [str(t.get_attribute("aria-label")) for t in box.locator("[data-tag]").all()]


def table_column(page, index: int, column: str) -> list[str]:  # type: ignore[no-untyped-def]
    """The cells of ``column`` in the ``index``-th static table on the page."""
    table = page.locator('[data-testid="stTable"] table').nth(index)
    headers = [h.strip() for h in table.locator("thead th").all_inner_texts()]
    at = headers.index(column)
    rows = table.locator("tbody tr")
    return [rows.nth(i).locator("th, td").nth(at).inner_text().strip() for i in range(rows.count())]


def test_every_page_in_chromium(dashboard: str, results_root: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    # A Streamlit rerun can take seconds on a loaded 2-core machine; an assertion that
    # is going to hold only has to wait longer, one that fails still fails.
    expect.set_options(timeout=30_000)

    from sim.spec import load_scenario
    from sim.spec.clock import CLOCK_PATTERN

    benchmark = load_scenario(ROOT / "scenarios" / "seed-benchmark.yaml")
    friday = load_scenario(ROOT / "scenarios" / "checkout-black-friday.yaml")
    finished, score = finished_training_session(results_root)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.set_default_timeout(120_000)
        try:
            # Compare: the results folder first (the default when one is loaded) ...
            page.goto(dashboard)
            settle(page)
            # The favicon is served by the dashboard itself (it runs offline: no font CDN).
            icons = page.locator('link[rel~="icon"]')
            hrefs = [str(icons.nth(i).get_attribute("href")) for i in range(icons.count())]
            assert hrefs and all(
                not h.startswith(("http:", "https:", "//")) or h.startswith(dashboard)
                for h in hrefs
            ), hrefs
            pick_results(page, "seed-benchmark")
            expect(page.get_by_text("seed-benchmark: manual, semi, full")).to_be_visible(
                timeout=60_000
            )
            check(page, "01-compare-folder")
            for i, tab in enumerate(["Statistics", "Work & cost", "Paired & power", "Data"]):
                page.get_by_role("tab", name=tab).click()
                settle(page)
                check(page, f"0{i + 2}-compare-{tab.split()[0].lower()}")
            # ... then a small comparison run from the page.
            page.get_by_text("Run a comparison").click()
            settle(page)
            replications = page.get_by_label("Replications per strategy")
            replications.fill("2")
            replications.press("Enter")
            settle(page)
            page.get_by_role("button", name="Run", exact=True).click()
            expect(page.get_by_text("Done:")).to_be_visible(timeout=180_000)
            settle(page)
            check(page, "06-compare-run")
            # Another scenario brings its own strategies, all picked, and Run stays usable.
            choose(page, "Scenario", "checkout-black-friday")
            assert chips(page, "Strategies") == list(friday.strategies)
            expect(page.get_by_role("button", name="Run", exact=True)).to_be_enabled()
            check(page, "06b-compare-other-scenario")

            # What-if: with no knob moved, every strategy differs from itself by exactly 0.
            page.goto(f"{dashboard}/whatif")
            settle(page)
            replications = page.get_by_label("Replications", exact=True)
            replications.fill("2")
            replications.press("Enter")
            days = page.get_by_label("Simulated days per replication")
            days.fill("7")
            days.press("Enter")
            settle(page)
            for strategy in benchmark.strategies:
                choose(page, "Strategy", strategy)
                expect(
                    page.get_by_text(f"No knob moved: the what-if is {strategy} as")
                ).to_be_visible()
                page.get_by_role("button", name="Run what-if").click()
                expect(page.get_by_text("Every difference is exactly 0")).to_be_visible(
                    timeout=180_000
                )
                settle(page)
                check(page, f"07-whatif-as-written-{strategy}")
            coverage = page.get_by_role("slider").first  # automation coverage (%)
            coverage.focus()
            for _ in range(10):
                coverage.press("ArrowLeft")
            settle(page)
            expect(page.get_by_text("Knobs that differ from full as written")).to_be_visible()
            page.get_by_role("button", name="Run what-if").click()
            expect(page.get_by_text("scenario as written (grey) vs what-if")).to_be_visible(
                timeout=180_000
            )
            settle(page)
            check(page, "07-whatif")

            # Run explorer: every time shown is a clock time; another scenario resets filters.
            page.goto(f"{dashboard}/explorer")
            settle(page)
            expect(page.get_by_text("Lifecycle audit log")).to_be_visible(timeout=60_000)
            check(page, "08-explorer")
            times = table_column(page, 0, "time")
            assert times and all(CLOCK_PATTERN.match(t) for t in times), times
            caption = page.locator('[data-testid="stCaptionContainer"]').filter(
                has_text="time to recover"
            )
            stamps = caption.first.inner_text().split(";")[0].split(" · ")
            assert all(CLOCK_PATTERN.match(s.split(" ", 1)[1]) for s in stamps), stamps
            page.get_by_role("tab", name="Runbook journal").click()
            settle(page)
            if page.locator('[data-testid="stTable"] table').count() > 1:
                for column in ("started", "ended"):
                    cells = table_column(page, 1, column)
                    assert all(CLOCK_PATTERN.match(c) for c in cells), (column, cells)
            check(page, "08b-explorer-journal")
            page.get_by_text("One incident").click()
            settle(page)
            check(page, "08c-explorer-one-incident")
            services = chips(page, "Services")
            page.get_by_role("button", name=f"Remove {services[-1]}").click()
            settle(page)
            assert chips(page, "Services") == services[:-1]
            choose(page, "Scenario", "checkout-black-friday")
            expect(page.get_by_text("Lifecycle audit log")).to_be_visible(timeout=60_000)
            shown = chips(page, "Services")
            assert set(shown) <= set(friday.services) and len(shown) > 1, shown
            # The incident picked is named with its own start time, as its record shows.
            picked = page.locator('[data-testid="stSelectbox"]').filter(has_text="Incident")
            label = picked.first.locator("input").input_value()  # "#1 Fri 04:45 checkout ..."
            caption = page.locator('[data-testid="stCaptionContainer"]').filter(
                has_text="time to recover"
            )
            first_stamp = caption.first.inner_text().split(" · ")[0].split(" ", 1)[1]
            assert label.split(" ")[1:3] == first_stamp.split(" "), (label, first_stamp)
            check(page, "08d-explorer-other-scenario")
            page.get_by_role("tab", name="State diagram").click()
            settle(page)
            check(page, "09-explorer-state")

            page.goto(f"{dashboard}/runbooks")
            settle(page)
            choose(page, "Runbook", "restart-service")
            expect(page.get_by_text("Cases passed")).to_be_visible(timeout=60_000)
            check(page, "10-runbooks")

            # The sweep folder, picked in the sidebar, draws the curves on What-if.
            page.goto(f"{dashboard}/whatif")
            settle(page)
            pick_results(page, "coverage-sweep")
            expect(page.get_by_text("Sweep: seed-benchmark")).to_be_visible(timeout=60_000)
            check(page, "11-whatif-sweep")

            # Training: start a session, act with its buttons and its command box.
            page.goto(f"{dashboard}/training")
            settle(page)
            page.get_by_role("button", name="Start or resume").click()
            settle(page)
            expect(page.get_by_text("you are paged")).to_be_visible(timeout=60_000)
            check(page, "12-training-paged")
            page.get_by_role("button", name="Acknowledge").click()
            settle(page)
            expect(page.get_by_text("how severe is it")).to_be_visible(timeout=60_000)
            page.get_by_role("button", name="Read logs").click()
            settle(page)
            expect(page.get_by_text("exit code 137").first).to_be_visible(timeout=60_000)
            check(page, "13-training-logs")
            box = page.get_by_label("Command")
            if not box.is_visible():
                page.get_by_text("Any command (as in the terminal)").click()
            box.fill("severity P0")
            box.press("Enter")
            page.get_by_role("button", name="Send").click()
            settle(page)
            expect(page.get_by_text("what do you do")).to_be_visible(timeout=60_000)
            check(page, "14-training-triaged")
            # A finished session (played by the CLI) opened by its URL: the debrief.
            page.goto(f"{dashboard}/training?session={finished}")
            settle(page)
            expect(page.get_by_text(f"{score:g} / 100")).to_be_visible(timeout=60_000)
            expect(page.get_by_text("on each strategy's distribution").first).to_be_visible()
            check(page, "15-training-debrief")
        finally:
            browser.close()
