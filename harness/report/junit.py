"""junit.xml: one testsuite per device, one testcase per flow × step.

New steps fail ("no approved screenshot") rather than skip: an unapproved screen must not
look green in CI. Rendering noise passes, with its sentence as the case's system-out and
the suite's count of such steps as the property guideshot.noise.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from harness.drift.verdict import CheckReport, StepStatus, StepVerdict
from harness.report.common import failing, noisy, orphan_failure, step_sentences

NEW_MESSAGE = "no approved screenshot"


def case_name(step: StepVerdict) -> str:
    number = f"{step.number:02d}" if step.number is not None else "--"
    return f"{number} {step.caption}"


def _failure(case: ET.Element, status: str, message: str, details: list[str]) -> None:
    failure = ET.SubElement(case, "failure", message=message, type=status)
    failure.text = "\n".join(details)


def _step_case(suite: ET.Element, step: StepVerdict) -> bool:
    """Append the step's testcase; True when it failed."""
    case = ET.SubElement(
        suite,
        "testcase",
        classname=f"{step.device}.{step.flow}",
        name=case_name(step),
        file=step.scenario_file,
        line=str(step.scenario_line),
    )
    if noisy(step):  # passes; says why its pixels differ, for whoever reads the case
        out = ET.SubElement(case, "system-out")
        out.text = "\n".join(step_sentences(step))
    if not failing(step):
        return False
    sentences = step_sentences(step)
    message = NEW_MESSAGE if step.status is StepStatus.NEW else sentences[0]
    where = f"{step.scenario_file}:{step.scenario_line}"
    _failure(case, step.status.value, message, [*sentences, where])
    return True


def render_junit(report: CheckReport) -> str:
    root = ET.Element("testsuites", name="guideshot check")
    suites: dict[str, ET.Element] = {}
    tallies: dict[str, list[int]] = {}  # device → [tests, failures]
    for flow in report.flows:
        if flow.device not in suites:
            suites[flow.device] = ET.SubElement(root, "testsuite", name=flow.device)
            tallies[flow.device] = [0, 0]
        suite, tally = suites[flow.device], tallies[flow.device]
        failure = orphan_failure(flow)
        if failure is not None:
            case = ET.SubElement(suite, "testcase", classname=f"{flow.device}.{flow.flow}")
            case.set("name", "run")
            case.set("file", flow.scenario_file)
            _failure(case, StepStatus.BROKEN.value, failure, [failure])
            tally[0] += 1
            tally[1] += 1
        for step in flow.steps:
            tally[0] += 1
            tally[1] += _step_case(suite, step)
    for device, suite in suites.items():
        tests, failures = tallies[device]
        suite.attrib.update(tests=str(tests), failures=str(failures), errors="0", skipped="0")
        noise = sum(noisy(s) for f in report.flows if f.device == device for s in f.steps)
        if noise:  # JUnit has no count for passing-with-a-remark: a suite property says it
            properties = ET.Element("properties")
            ET.SubElement(properties, "property", name="guideshot.noise", value=str(noise))
            suite.insert(0, properties)
    root.set("tests", str(sum(t[0] for t in tallies.values())))
    root.set("failures", str(sum(t[1] for t in tallies.values())))
    root.set("errors", "0")
    root.set("skipped", "0")
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"
