"""A live game day end to end: three Chromium contexts against ``gameday dashboard``.

The facilitator creates a game day on the console; two players join from their own
browser contexts with the join code, as incident commander and as operations. The
facilitator injects a fault and steps the world; the commander acknowledges and sets
the severity, operations picks the runbook and performs its steps, the commander
declares it resolved, the facilitator ends the game day. Half-way, the dashboard server
is killed and started again on the same SQLite file: every page comes back and no
action is lost. The report then lists every action with who did it. Screenshots of
each view are saved under ``artifacts/screenshots/gameday-*.png``.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from sim.live.store import GameDayStore

from .conftest import ROOT
from .test_browser import ARGS, CHROMIUM, SHOTS, free_port, wait_until_serving

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium"
    ),
]


class Server:
    """``gameday dashboard`` on a fixed port and game-day store; stop() and start()."""

    def __init__(self, folder: Path) -> None:
        self.folder, self.port = folder, free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.port_args = ["--port", str(self.port)]
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        log = open(self.folder / "dashboard.log", "ab")  # noqa: SIM115 - the child owns it
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "sim.cli", "dashboard", str(self.folder), *self.port_args],
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            env={
                **os.environ,
                "PYTHONUNBUFFERED": "1",
                "GAMEDAY_LIVE_DB": str(self.folder / "gamedays.sqlite"),
            },
            start_new_session=True,
        )
        log.close()
        wait_until_serving(self.url, self.proc, self.folder / "dashboard.log")

    def stop(self) -> None:
        if self.proc is None:
            return
        os.killpg(self.proc.pid, signal.SIGKILL)  # a crash, not a clean shutdown
        self.proc.wait(timeout=15)
        self.proc = None


@pytest.fixture
def server(tmp_path: Path) -> Any:
    running = Server(tmp_path)
    running.start()
    try:
        yield running
    finally:
        running.stop()


def settle(page: Any) -> None:
    page.wait_for_selector('[data-testid="stApp"]', timeout=60_000)
    page.wait_for_timeout(600)


def shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"gameday-{name}.png"), full_page=True)
    boxes = page.locator('[data-testid="stException"]')
    if boxes.count():
        pytest.fail(f"Streamlit exception on {name}: {boxes.first.inner_text()[:2000]}")


def choose(page: Any, label: str, option: str) -> None:
    """Pick ``option`` in the select box labelled ``label``."""
    box = page.locator('[data-testid="stSelectbox"]').filter(has_text=label).first
    box.click()
    page.get_by_role("option", name=option).first.click()
    page.wait_for_timeout(300)


def join(page: Any, url: str, code: str, name: str, role: str) -> None:
    page.goto(f"{url}/gameday_player")
    settle(page)
    page.get_by_label("Join code").fill(code)
    page.get_by_label("Your name").fill(name)
    choose(page, "Role", role)
    page.get_by_role("button", name="Join").click()
    page.get_by_text(f"You are {name}").wait_for(timeout=30_000)


def step_until(console: Any, waiting: str, tries: int = 60) -> None:
    """Press "Next event" until the console says the team is waiting for ``waiting``."""
    # Anchored: a container's whole text (the chart's legend says "triage") must not match.
    want = console.get_by_text(re.compile(f"^Waiting for the team: [^\n]*({waiting})"))
    for _ in range(tries):
        console.wait_for_timeout(1000)  # the console's rerun shows what the world did
        if want.count():
            return
        console.get_by_role("button", name="Next event").click()
    clock = console.locator('[data-testid="stMetricValue"]').first.inner_text()
    pytest.fail(f"the team was never asked for {waiting!r} (clock {clock})")


def press(page: Any, name: str) -> None:
    page.bring_to_front()
    button = page.get_by_role("button", name=name).first
    button.wait_for(timeout=30_000)
    button.click()
    page.wait_for_timeout(800)


def test_a_game_day_with_three_browsers(server: Server) -> None:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import expect, sync_playwright

    # Reruns are slow on a loaded machine: a holding assertion only waits longer.
    expect.set_options(timeout=30_000)

    with sync_playwright() as p:
        # Three windows at once: none of them may have its timers (the pages' auto-refresh)
        # slowed down for being in the background.
        awake = [
            "--disable-background-timer-throttling",
            "--disable-backgrounding-occluded-windows",
            "--disable-renderer-backgrounding",
        ]
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=[*ARGS, *awake])
        size = {"viewport": {"width": 1300, "height": 1800}}
        console, ann, bob = (browser.new_context(**size).new_page() for _ in range(3))
        for page in (console, ann, bob):
            page.set_default_timeout(60_000)
        try:
            # A fresh server's first session sees Streamlit's file-based page list until
            # the entry script has run once: open the app itself first.
            console.goto(server.url)
            settle(console)
            console.goto(f"{server.url}/gameday_console")
            settle(console)
            shot(console, "01-console-create")
            choose(console, "Scenario", "gameday-shop")
            console.get_by_label("Title").fill("Thursday game day")
            console.get_by_role("button", name="Create the game day").click()
            console.get_by_text("Facilitator token (keep it; shown once)").wait_for()
            code = console.locator('[data-testid="stMetricValue"]').nth(2).inner_text().strip()
            assert re.fullmatch(r"[A-Z2-9]{6}", code), code
            join(ann, server.url, code, "ann", "Incident commander")
            join(bob, server.url, code, "bob", "Operations")
            shot(bob, "02-player-joined")
            expect(
                console.get_by_text("ann (Incident commander), bob (Operations)")
            ).to_be_visible()

            choose(console, "Speed", "stepped")
            press(console, "Set speed")
            press(console, "Start")
            choose(console, "Fault", "api-oom")
            press(console, "Inject")
            console.get_by_label("Message to the players").fill("leadership wants an update")
            press(console, "Add message")
            shot(console, "03-console-injected")

            step_until(console, "page")
            expect(ann.get_by_text("leadership wants an update")).to_be_visible()
            shot(ann, "04-commander-paged")
            press(ann, "Acknowledge")
            step_until(console, "triage")
            press(ann, "Set severity")
            step_until(console, "runbook")
            choose(bob, "Runbook", "restart-service")
            shot(bob, "05-operations-runbook")
            press(bob, "Apply runbook")
            table = console.get_by_test_id("stTableStyledTable")
            expect(table.get_by_text("runbook restart-service", exact=True)).to_be_visible()

            # The server crashes and comes back: the game day resumes, nothing is lost.
            server.stop()
            server.start()
            console.goto(server.url)
            settle(console)
            console.go_back()
            for page in (console, ann, bob):
                page.reload()
                settle(page)
            for did in ("ack", "severity P1", "runbook restart-service", "join"):
                expect(table.get_by_text(did, exact=True).first).to_be_visible(timeout=30_000)
            shot(console, "06-console-after-restart")

            # Operations performs every step until the incident is closed.
            done = bob.get_by_role("cell", name="closed", exact=True)
            step = bob.get_by_role("button", name="Do the step")
            again = bob.get_by_role("button", name="Apply runbook")
            for _ in range(150):
                if done.count():
                    break
                if step.count():
                    # The button may be gone by the time it is clicked (the page's
                    # two-second refresh): then the next round looks again.
                    bob.bring_to_front()
                    with contextlib.suppress(PlaywrightTimeout):
                        step.first.click(timeout=5_000)
                    bob.wait_for_timeout(1500)
                elif again.count():  # a step failed and the runbook has to start over
                    choose(bob, "Runbook", "restart-service")
                    with contextlib.suppress(PlaywrightTimeout):
                        again.first.click(timeout=5_000)
                    bob.wait_for_timeout(1500)
                else:
                    console.get_by_role("button", name="Next event").click()
                    console.wait_for_timeout(1500)
            else:
                pytest.fail("the incident was never closed")
            shot(bob, "07-operations-steps")
            press(ann, "Declare resolved")
            console.get_by_label("Observer note").fill("the IC waited for the runbook")
            press(console, "Add note")
            press(console, "End game day")
            heading = console.get_by_text("Every action, with who did it")
            heading.wait_for(timeout=90_000)
            console.wait_for_timeout(1500)
            shot(console, "08-console-report-top")
            heading.scroll_into_view_if_needed()
            shot(console, "09-console-report-actions")
            shot(ann, "10-commander-over")
            text = console.inner_text("body")
            report = text[text.index("Every action, with who did it") :]
            for who, role, did in (
                ("ann", "commander", "ack"),
                ("ann", "commander", "severity P1"),
                ("bob", "operations", "runbook restart-service"),
                ("bob", "operations", "do"),
                ("ann", "commander", "resolve"),
                ("facilitator", "facilitator", "inject api-oom"),
                ("facilitator", "facilitator", "end"),
            ):
                assert re.search(rf"{who}\s+{role}\s+{re.escape(did)}\s", report), (who, did)
            # Every input the server stored (none lost over the restart) is in the report,
            # with who gave it, in order.
            stored = GameDayStore(server.folder / "gamedays.sqlite")
            (gid,) = stored.ids()
            inputs = stored.inputs(gid)
            assert [i.text for i in inputs if i.who != "facilitator"][:5] == [
                "join",
                "join",
                "ack",
                "severity P1",
                "runbook restart-service",
            ]
            rows = re.findall(r"\n(\S+ \d\d:\d\d)\t[^\t]*\t(\S+)\t(\S+)\t([^\n]+)", report)
            assert [(who, role, what) for _clock, who, role, what in rows] == [
                (i.who, i.role, i.text) for i in inputs
            ]
            assert "the IC waited for the runbook" in text
        except BaseException:  # pytest.fail too: keep what each browser showed
            for name, page in (("console", console), ("ann", ann), ("bob", bob)):
                page.screenshot(path=str(SHOTS / f"gameday-failed-{name}.png"), full_page=True)
            raise
        finally:
            browser.close()
