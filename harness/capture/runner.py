"""Running one flow on one device: a fresh browser context, each step performed and captured.

The result is plain data (capture records and raw PNG bytes, or a failure with what was
looked for and the closest candidates); writing and annotating happen elsewhere.
"""

from __future__ import annotations

import contextlib
import functools
import time
from dataclasses import replace
from typing import Any

from playwright.sync_api import Browser, BrowserContext, Page
from playwright.sync_api import Error as PlaywrightError

from harness.capture import Environment, Swipe, leftovers, tracing
from harness.capture.crossing import follow_sites
from harness.capture.devices import DeviceProfile
from harness.capture.locate import closest, screen_elements, wanted_words
from harness.capture.navigation import NavigationLog, browser_gone, unanswered
from harness.capture.perform import (
    ACTION_TIMEOUT_MS,
    NAVIGATION_TIMEOUT_MS,
    RunContext,
    StepFailed,
    check_expectations,
    perform,
    uses_hooks,
)
from harness.capture.results import FlowFailure, FlowResult, ScreenElement
from harness.capture.step_capture import capture_step
from harness.capture.stillness import UnstableScreen, record_presses, screenshot
from harness.capture.target import PAGE_CLOCK
from harness.capture.tracing import Recording, new_run_id
from harness.scenario import Flow, Step, Target
from harness.scenario.placeholders import fill_model


def prepare_site(page: Page, flow: Flow, device: DeviceProfile, run: RunContext) -> None:
    """A fresh simulator sandbox for this context, on the right phone, with the persona's card.

    A site not yet known to be the simulator is asked only for flows that need hooks;
    the others need no set-up there (a new context is a new sandbox, and the simulator
    tells the phones apart by their user agent). With the guide's sites on several
    servers each is set up, the one the flow starts on last (on one host they share the
    session cookie, and the start page's must win)."""
    for base, hooks in run.servers_from(flow.start):
        asked = isinstance(hooks, bool) or hooks.known is not None or uses_hooks(flow)
        if asked and hooks:
            _prepare_server(page, base, flow, device)


def _prepare_server(page: Page, base: str, flow: Flow, device: DeviceProfile) -> None:
    request = page.context.request
    for path, data in (("/_sim/reset", None), ("/_sim/device", {"device": device.platform})):
        answer = request.post(base + path, data=data)
        if not answer.ok:
            raise StepFailed(f"the server answered {answer.status} for {path}")
    if flow.persona:
        response = request.post(f"{base}/_sim/persona", data={"persona": flow.persona})
        if not response.ok:
            raise StepFailed(f"persona {flow.persona!r}: {response.text()[:200]}")


BROWSER_CLOSED = "the browser closed unexpectedly"


def _message(exc: BaseException, log: NavigationLog | None, start_path: str) -> str:
    """What went wrong, in words: the server's answer, the browser's end, or the step's own."""
    text = str(exc)
    if browser_gone(text):
        return BROWSER_CLOSED
    if isinstance(exc, StepFailed | UnstableScreen):
        message = text
    else:
        path = log.loads[-1].path if log is not None and log.loads else start_path
        message = unanswered(text, path) or f"{type(exc).__name__}: {text.splitlines()[0]}"
    said = log.server_error() if log is not None else None
    if said is not None and said not in message:
        message = f"{message} ({said})"
    return message


def _failure(
    page: Page | None,
    step: Step | None,
    flow: Flow,
    exc: BaseException,
    log: NavigationLog | None = None,
) -> FlowFailure:
    looked_for = getattr(exc, "looked_for", None)
    target = looked_for if isinstance(looked_for, Target) else None
    described = target.describe() if target is not None else looked_for
    message = _message(exc, log, flow.start)
    candidates: list[str] = []
    explanation: tuple[str, ...] = getattr(exc, "explanation", ())
    on_screen: list[ScreenElement] = []
    shot: bytes | None = None
    if page is not None and message != BROWSER_CLOSED:
        try:
            if target is not None:
                on_screen = screen_elements(page)
                candidates = closest(on_screen, target)
            shot = screenshot(page, animations="disabled", caret="hide", timeout=ACTION_TIMEOUT_MS)
        except PlaywrightError:
            shot = None
    source = step.source if step is not None else flow.source
    return FlowFailure(
        number=step.number if step is not None else None,
        caption=step.caption if step is not None else None,
        scenario_file=source.file,
        scenario_line=source.line,
        message=message,
        looked_for=str(described) if described is not None else None,
        wanted=wanted_words(target) if target is not None else None,
        candidates=tuple(candidates),
        explanation=explanation,
        screenshot=shot,
        before_steps=step is None,
        on_screen=tuple(on_screen),
        role=target.role if target is not None else None,
    )


def failed_result(flow: Flow, device: str, message: str, seconds: float = 0.0) -> FlowResult:
    """A flow × device that produced nothing: the reason, at the flow's own line."""
    failure = FlowFailure(
        number=None,
        caption=None,
        scenario_file=flow.source.file,
        scenario_line=flow.source.line,
        message=message,
        looked_for=None,
        wanted=None,
        candidates=(),
        screenshot=None,
        before_steps=True,
    )
    return FlowResult(flow=flow.id, device=device, failure=failure, seconds=seconds)


def _open(page: Page, url: str, log: NavigationLog) -> None:
    """The flow's first page; an error answer fails the flow here, naming it."""
    response = page.goto(url)
    if response is not None and response.status >= 400:
        raise StepFailed(log.server_error() or f"the server answered {response.status} for {url}")


def _do(page: Page, step: Step, run: RunContext) -> Swipe | None:
    """A step's preparations, action and expectations, without a capture."""
    for preparation in step.before:
        perform(page, preparation, run)
    swipe = perform(page, step.action, run)
    page.wait_for_load_state("load")
    check_expectations(page, step.expect, run, step.action)
    return swipe


def _cleanup(
    page: Page, flow: Flow, values: dict[str, str], run: RunContext, log: NavigationLog | None
) -> FlowFailure | None:
    """The flow's cleanup steps, each done even after a failure; the first failure, if any."""
    step: Step | None = None
    try:
        for step in flow.cleanup:
            _do(page, fill_model(step, values), run)
    except Exception as exc:
        failure = _failure(page, step, flow, exc, log)
        return replace(failure, message=f"cleanup: {failure.message}")
    return None


def _flow_context(
    browser: Browser, device: DeviceProfile, run: RunContext, **more: Any
) -> BrowserContext:
    """A fresh context on the phone, as every flow (and a late cleanup) gets it: its waits,
    the page's clock and the guide's sites followed across servers."""
    context = browser.new_context(**device.context_args(), **more)
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    context.set_default_navigation_timeout(NAVIGATION_TIMEOUT_MS)
    # The page's own clock, like the simulator's, is fixed: Date.now() is the same every run.
    context.clock.set_fixed_time(PAGE_CLOCK)
    if run.servers is not None:
        follow_sites(context, run.servers.urls)
    return context


def _late_cleanup(
    browser: Browser, flow: Flow, device: DeviceProfile, run: RunContext, values: dict[str, str]
) -> leftovers.Late:
    """The cleanup a killed run owed, with its values, in a context of its own: its setup
    first (the sign-in the cleanup needs; a setup that fails, say on what that run left,
    does not stop the cleanup), then the cleanup. Only the cleanup's failure counts."""
    context = None
    try:
        context = _flow_context(browser, device, run)
        page = context.new_page()
        log = NavigationLog(page, run.relative)
        setup: FlowFailure | None = None
        step: Step | None = None
        try:
            prepare_site(page, flow, device, run)
            for step in flow.setup:
                _do(page, fill_model(step, values), run)
        except Exception as exc:
            setup = _failure(page, step, flow, exc, log)
            setup = replace(setup, message=f"setup: {setup.message}")
        cleanup = _cleanup(page, flow, values, run, log)
        if cleanup is None:
            return leftovers.Late()
        failure = _with_cleanup(setup, cleanup)
        assert failure is not None
        if BROWSER_CLOSED in failure.message:
            return leftovers.Late(ran=False)
        return leftovers.Late(f"{failure.scenario_file}:{failure.scenario_line}: {failure.message}")
    except Exception as exc:  # no context or page: the browser is gone (the flow says so)
        if browser_gone(str(exc)):
            return leftovers.Late(ran=False)
        return leftovers.Late(f"{flow.source}: {_message(exc, None, flow.start)}")
    finally:
        if context is not None:
            with contextlib.suppress(PlaywrightError):
                context.close()


def _journal_site(run: RunContext) -> str | None:
    """The site a flow's records stay on, as the journal names it; None for the
    simulator's, whose sandbox is new in each context (nothing outlives a run there)."""
    if run.servers is None:
        simulator = run.has_hooks is True or getattr(run.has_hooks, "known", None) is True
        return None if simulator else run.base_url.rstrip("/")
    if all(hooks.known is True for hooks in run.servers.hooks.values()):
        return None
    return " ".join(sorted(url.rstrip("/") for url in run.servers.urls.servers))


def _with_cleanup(failure: FlowFailure | None, cleanup: FlowFailure | None) -> FlowFailure | None:
    """A cleanup failure fails a flow that passed, and is added to one that failed already
    (whose own failure, screen and step stay first)."""
    if cleanup is None or failure is None:
        return failure or cleanup
    where = f"{cleanup.scenario_file}:{cleanup.scenario_line}"
    return replace(failure, message=f"{failure.message}; then {cleanup.message} (at {where})")


def run_flow(
    browser: Browser,
    flow: Flow,
    device: DeviceProfile,
    environment: Environment,
    run: RunContext,
    *,
    run_id: str = "",
    recording: Recording | None = None,
) -> FlowResult:
    """Run `flow` in a fresh context: its setup, every step (stopping at the first that
    fails), then its cleanup whatever happened.

    Any exception is the flow's failure, named; nothing escapes but an interruption.
    `run_id` fills `{run}`; `recording` says which trace, video and screenshot to keep.
    """
    started = time.perf_counter()
    recording = recording or Recording()
    values = {"device": device.name, "run": run_id or new_run_id()}
    result = FlowResult(flow=flow.id, device=device.name)
    page: Page | None = None
    step: Step | None = None
    log: NavigationLog | None = None
    context = None
    phase = ""  # what a failure message begins with: "setup: " while the setup runs
    owed = _journal_site(run) if flow.cleanup else None  # where a kill leaves records
    pending = None  # this flow × device's journal entry while its cleanup is owed
    try:
        if owed is not None:  # first what killed runs of it left there
            late = functools.partial(_late_cleanup, browser, flow, device, run)
            leftovers.settle(flow.id, device.name, owed, late)
        context = _flow_context(browser, device, run, **recording.context_args())
        tracing.start(context, recording)
        record_presses(context)
        page = context.new_page()
        log = NavigationLog(page, run.relative)
        prepare_site(page, flow, device, run)
        if owed is not None:
            pending = leftovers.begin(flow.id, device.name, owed, values["run"])
        for step in flow.setup:
            phase = "setup: "
            _do(page, fill_model(step, values), run)
        step, phase = None, ""
        _open(page, run.url(flow.start), log)
        for step in flow.steps:
            step = fill_model(step, values)
            for preparation in step.before:
                perform(page, preparation, run)
            pressable = False
            if step.capture == "before":
                capture, seen = capture_step(page, step, flow.id, device, environment, run, None)
                result.captures.append(capture)
                pressable = seen.target_pressable
            swipe = perform(page, step.action, run, proven_pressable=pressable)
            # A tap may start a page load: the next step acts on the page with its styles
            # applied (a scroll made before a stylesheet lands is undone by it; soak-found).
            page.wait_for_load_state("load")
            check_expectations(page, step.expect, run, step.action)
            if step.capture == "after":
                capture, _ = capture_step(page, step, flow.id, device, environment, run, swipe)
                result.captures.append(capture)
        if recording.end_screenshot:
            result.end_screenshot = screenshot(page, animations="disabled", caret="hide")
    except Exception as exc:
        result.failure = _failure(page, step, flow, exc, log)
        result.failure = replace(result.failure, message=phase + result.failure.message)
    finally:
        if page is not None and flow.cleanup and not _gone(result.failure):
            result.failure = _with_cleanup(result.failure, _cleanup(page, flow, values, run, log))
            leftovers.end(pending)  # ran, whatever its outcome (a gone browser: not run)
        if context is not None:
            result.trace = tracing.stop(context, recording, failed=result.failure is not None)
            with contextlib.suppress(PlaywrightError):  # the browser is gone; the failure says so
                context.close()
        result.seconds = time.perf_counter() - started
    return result


def _gone(failure: FlowFailure | None) -> bool:
    return failure is not None and failure.message == BROWSER_CLOSED
