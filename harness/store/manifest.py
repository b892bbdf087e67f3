"""A staged flow's manifest.json: what its folder holds, as typed and checked values.

The same manifest travels in a report (report/captures/<device>/<flow>/), so it is read as
untrusted data: the flow and device must be names guideshot could have written, each step's
three files the names the store gives that step, each listed once with a sha256. Where the
files are and whether they hold those bytes is staged_read.py's part.
"""

from __future__ import annotations

from typing import Annotated, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    StringConstraints,
    ValidationError,
    model_validator,
)

from harness.errors import PlainError
from harness.store.names import (
    IMAGE,
    is_device_name,
    is_flow_id,
    is_step_stem,
    shown,
    step_files,
)

MANIFEST = "manifest.json"


class StagingProblem(PlainError):
    """A staged flow that cannot be approved: one line saying why and what to run."""


def _flow_id(value: str) -> str:
    if not is_flow_id(value):
        raise ValueError("not a flow id (lowercase words joined by hyphens, like login-userid)")
    return value


def _device_name(value: str) -> str:
    if not is_device_name(value):
        raise ValueError("not a device name (like android, iphone or Pixel 5)")
    return value


Sha256 = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
FlowId = Annotated[str, AfterValidator(_flow_id)]
DeviceName = Annotated[str, AfterValidator(_device_name)]


class StagedStep(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    number: int
    raw_image: str
    image: str
    record: str
    sha256: dict[str, Sha256]  # file name → sha256 of its bytes
    baseline_raw_sha256: Sha256 | None  # the approved raw image it was compared with

    @model_validator(mode="after")
    def _the_store_s_names(self) -> Self:
        stem = self.image.removesuffix(IMAGE)
        if stem == self.image or not is_step_stem(stem, self.number):
            raise ValueError(
                f"image {shown(self.image)} is not a name guideshot gives step {self.number} "
                f"({self.number:02d}-<caption>.png)"
            )
        names = step_files(stem)
        if (self.raw_image, self.image, self.record) != names:
            raise ValueError(f"raw_image and record must be {names[0]!r} and {names[2]!r}")
        if set(self.sha256) != set(names):
            raise ValueError(f"sha256 must list exactly {', '.join(map(repr, names))}")
        return self


class StagedFlow(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    flow: FlowId
    device: DeviceName
    complete: bool
    failure: str | None = None
    expected_steps: list[int]
    steps: list[StagedStep]

    @model_validator(mode="after")
    def _each_step_once(self) -> Self:
        numbers = [step.number for step in self.steps]
        if len(numbers) != len(set(numbers)):
            raise ValueError("a step number is listed twice")
        return self


def first_error(exc: ValidationError) -> str:
    """The first problem on one line, naming its field: `steps.0.image: …`."""
    error = exc.errors(include_url=False)[0]
    parts = [str(part) for part in error["loc"]]
    where = ".".join(p if p.isidentifier() or p.isdigit() else shown(p) for p in parts)
    return f"{where or '(top level)'}: {error['msg'].removeprefix('Value error, ')}"
