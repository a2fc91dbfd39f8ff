"""Runbooks: browse the shipped runbooks, their flowcharts, faults and test results."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st
from gameday_ui import state
from gameday_ui.documents import MAX_TEST_BYTES, test_results
from gameday_ui.scenarios import RUNBOOKS, load_shipped, shipped_scenarios

from sim.report import ResultsError, inside, mermaid_to_dot
from sim.response import runbook_mermaid
from sim.spec import RunbookSpec, SpecError, discover, load_runbook
from sim.spec.clock import format_span
from sim.spec.runbook import ExecutionHint
from sim.spec.safe_io import read_limited

TEST_FILES = ("test-results.json", "gameday-test.json")


@st.cache_data(show_spinner=False)
def runbooks() -> dict[str, tuple[str, RunbookSpec | str]]:
    """Runbook id (or file name) -> (file, spec or the error text)."""
    found: dict[str, tuple[str, RunbookSpec | str]] = {}
    for path in discover([RUNBOOKS]):
        try:
            spec = load_runbook(path)
            found[spec.id] = (path.name, spec)
        except SpecError as exc:
            found[path.stem] = (path.name, str(exc))
    return found


@st.cache_data(show_spinner=False)
def fault_uses() -> pd.DataFrame:
    """Faults of the shipped scenarios and the runbooks that may fix them."""
    rows = []
    for name in shipped_scenarios():
        spec = load_shipped(name).spec
        if spec is None:
            continue
        ids = {rb.id: rb for rb in spec.runbooks if isinstance(rb, RunbookSpec)}
        for fault_name, fault in spec.faults.items():
            named = fault.runbooks or [i for i, rb in ids.items() if fault.kind in rb.fixes]
            for runbook in named:
                rows.append(
                    {
                        "runbook": runbook,
                        "scenario": name,
                        "fault": fault_name,
                        "kind": fault.kind,
                        "target": fault.target,
                        "listed": fault.runbooks is not None,
                    }
                )
    return pd.DataFrame(rows, columns=["runbook", "scenario", "fault", "kind", "target", "listed"])


def test_report() -> tuple[dict[str, Any] | None, str]:
    """A ``gameday test --json`` document: uploaded, or found in the results root."""
    upload = st.sidebar.file_uploader(
        "Test results (gameday test --json)", type=["json"], key="rb_tests"
    )
    if upload is not None:
        raw, origin = upload.getvalue(), upload.name
    else:
        root = state.results_root()
        path = next((root / n for n in TEST_FILES if (root / n).is_file()), None)
        if path is None:
            return None, ""
        try:  # inside the results root, a regular file, bounded
            path = inside(root, path.name)
            raw, origin = read_limited(path, MAX_TEST_BYTES), str(path)
        except (ResultsError, OSError, ValueError) as exc:
            st.sidebar.error(f"{path.name}: {exc}")
            return None, ""
    doc, problem = test_results(raw, origin)
    if problem:
        st.sidebar.error(problem)
    return doc, origin


def _hint(hint: ExecutionHint | None) -> tuple[str, str]:
    """(mean duration, failure probability) of one way of doing a step, for people."""
    if hint is None:
        return "—", "—"
    return format_span(hint.duration.mean), f"{hint.failure_probability:.0%}"


def steps_table(spec: RunbookSpec) -> pd.DataFrame:
    """One row per step: how long it takes and how often it fails, by hand and automated."""
    rows = []
    for s in spec.steps:
        manual, manual_fails = _hint(s.manual)
        automated, automated_fails = _hint(s.automated if s.automatable else None)
        rows.append(
            {
                "step": s.id,
                "by hand (mean)": manual,
                "fails by hand": manual_fails,
                "automated (mean)": automated,
                "fails automated": automated_fails,
                "timeout": format_span(s.timeout) if s.timeout is not None else "—",
                "on failure": s.on_failure,
                "retries": s.retries,
                "approval": "yes" if s.requires_approval else "",
                "mitigates": "yes" if s.mitigates else "",
            }
        )
    return pd.DataFrame(rows)


def instructions(spec: RunbookSpec) -> None:
    """Every step's instructions in full, lines wrapped, in order (and how to verify it)."""
    for number, step in enumerate(spec.steps, start=1):
        st.markdown(f"**{number}. {step.id}**")
        st.code(step.action.strip(), language="text", wrap_lines=True)
        if step.verify:
            st.markdown(f"*Verify:* {' '.join(step.verify.split())}")


def cases(doc: dict[str, Any], runbook: str, file_name: str) -> pd.DataFrame:
    rows = []
    for f in doc["files"]:
        if not isinstance(f, dict):
            continue
        if f.get("name") == runbook or str(f.get("file", "")).endswith(file_name):
            for c in f.get("cases") or []:
                rows.append(
                    {
                        "status": c.get("status"),
                        "case": c.get("name"),
                        "message": c.get("message"),
                        "where": f"{c.get('file')}:{c.get('line')}",
                    }
                )
    return pd.DataFrame(rows, columns=["status", "case", "message", "where"])


state.sidebar()
st.title("Runbooks")
state.prose("runbooks_intro")
catalogue = runbooks()
if not catalogue:
    st.warning(f"No runbooks found in {RUNBOOKS}.")
    st.stop()
chosen = st.selectbox("Runbook", list(catalogue), key="rb_choice")
file_name, spec = catalogue[chosen]
if isinstance(spec, str):
    st.error(f"`{file_name}` does not load:\n\n```\n{spec}\n```")
    st.stop()
st.subheader(spec.title)
st.markdown(spec.description or "_No description._")
st.markdown("**Fixes fault kinds:** " + ", ".join(f"`{k}`" for k in spec.fixes))
uses = fault_uses()
mine = uses[uses["runbook"] == spec.id].drop(columns="runbook")
left, right = st.columns([3, 2])
with left:
    st.markdown("**Flowchart** (solid: success; dashed: failure policy; bold: mitigating step)")
    text = runbook_mermaid(spec)
    st.graphviz_chart(mermaid_to_dot(text, brief=True))
    with st.expander("Mermaid source of the flowchart"):
        st.code(text, language="text")
with right:
    st.markdown(
        "**Faults in the shipped scenarios that it may fix** (listed: the fault names it; "
        "otherwise it fixes the fault's kind)"
    )
    if mine.empty:
        st.caption("No shipped scenario's fault uses this runbook.")
    else:  # a list wraps in a narrow column where a grid would scroll sideways
        st.markdown(
            "\n".join(
                f"- {r.scenario}: `{r.fault}` ({r.kind} on {r.target}"
                f"{', listed' if r.listed else ''})"
                for r in mine.itertuples()
            )
        )
st.markdown(
    "**Steps**: mean duration and chance of failure of one attempt, by hand and automated "
    "(— : the step cannot be automated), and what happens when it fails"
)
st.table(steps_table(spec).set_index("step"))
st.markdown("**What each step does**")
instructions(spec)
doc, origin = test_report()
st.markdown("**Test results**")
if doc is None:
    st.caption(
        "No test results loaded: run `gameday test runbooks --json > "
        f"{state.results_root()}/test-results.json` or upload the file in the sidebar."
    )
else:
    found = cases(doc, spec.id, file_name)
    st.caption(f"From {origin}.")
    if found.empty:
        st.caption("This runbook is not in that test report.")
    else:
        passed = int((found["status"] == "passed").sum())
        st.metric("Cases passed", f"{passed}/{len(found)}")
        st.table(found.set_index("status"))
