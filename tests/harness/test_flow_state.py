"""A flow that creates a record runs again and again, on both phones at once: setup signs
in, `{device}` names the record after the phone, cleanup deletes it (also after a failure,
and a cleanup that fails never hides the flow's own failure). Django's admin, through the
CLI."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from harness.cli import main
from tests.harness.thirdparty.django_admin import DjangoAdmin, django_admin

pytestmark = [pytest.mark.browser, pytest.mark.slow]

FLOWS = Path(__file__).parent / "thirdparty" / "flows" / "django-state"


@pytest.fixture(scope="module")
def admin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DjangoAdmin]:
    with django_admin(tmp_path_factory.mktemp("django")) as started:
        yield started


def cli(verb: str, flows: Path, admin: DjangoAdmin, shots: Path, *more: str) -> int:
    where = ["--out", str(shots)] if verb == "run" else ["--baseline", str(shots), *more]
    return main([verb, "-j", "2", "--scenarios", str(flows), "--base-url", admin.url, *where])


def test_a_flow_that_creates_a_record_passes_three_runs_in_a_row_then_check(
    admin: DjangoAdmin, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    shots = tmp_path / "shots"
    for _ in range(3):  # without cleanup the second run's Save says "already exists"
        assert cli("run", FLOWS, admin, shots) == 0
    assert cli("check", FLOWS, admin, shots, "--report", str(tmp_path / "report")) == 0
    assert sorted(p.name for p in (shots / "iphone" / "add-group").glob("*.raw.png")) == [
        "01-Type-the-group-s-name.raw.png",
        "02-Tap-Save.raw.png",
    ]


def test_cleanup_runs_after_a_failure_and_its_own_failure_is_added_not_swapped(
    admin: DjangoAdmin,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    flows = tmp_path / "flows"
    flows.mkdir()
    written = (FLOWS / "add-group.yaml").read_text("utf-8")
    broken = written.replace("expect: {text: was added successfully}", "expect: {text: Thanks}")
    # the group is deleted, then one more cleanup step finds nothing to tap
    broken += "  - {action: tap, target: {role: link, name: Nothing here}}\n"
    assert broken.count("Thanks") == 1
    (flows / "add-group.yaml").write_text(broken, "utf-8")

    assert cli("run", flows, admin, tmp_path / "broken-shots") == 1

    said = " ".join(capsys.readouterr().err.split())
    file = flows / "add-group.yaml"
    own = (
        f'{file}:21: step 2 「Tap "Save"」: expected text 「Thanks」 after the step, but the '
        "screen shows heading 「Select group to change」 at /admin/auth/group/"
    )
    cleanup = "; then cleanup: tap role=link name=「Nothing here」: nothing on the page matches it"
    assert said.count(f"{own}{cleanup} (at {file}:32)") == 2  # both phones
    # the cleanup deleted both groups before its last step failed: the flow runs again
    assert cli("run", FLOWS, admin, tmp_path / "shots") == 0
