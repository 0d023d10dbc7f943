"""The rubric document (`schema: assess.rubric/v1`), as in DESIGN.md."""

from __future__ import annotations

import hashlib
import json
from typing import Annotated, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

SCHEMA_V1: Final = "assess.rubric/v1"

RubricId = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True,
        min_length=1,
        max_length=200,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)*$",
    ),
]
PointId = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, min_length=1, max_length=100, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$"
    ),
]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=5000)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RubricPoint(_Strict):
    """One thing a complete answer says."""

    id: PointId
    label: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
    text: Text
    exemplars: list[Text] = Field(default_factory=list)
    weight: float = Field(default=1.0, gt=0)

    @property
    def texts(self) -> list[str]:
        """The point's statement followed by its alternative phrasings."""
        return [self.text, *self.exemplars]


class Misconception(_Strict):
    """A claim that costs marks when an answer makes it."""

    id: PointId
    text: Text
    label: str | None = None
    exemplars: list[Text] = Field(default_factory=list)
    weight: float = Field(default=1.0, gt=0)

    @property
    def texts(self) -> list[str]:
        """The misconception's statement followed by its alternative phrasings."""
        return [self.text, *self.exemplars]


class Scoring(_Strict):
    """How point coverage becomes a score."""

    max_score: float = Field(default=1.0, gt=0)
    partial_credit: bool = True


class Rubric(_Strict):
    """A rubric for one question: the points a full answer covers."""

    schema_: Literal["assess.rubric/v1"] = Field(default=SCHEMA_V1, alias="schema")
    id: RubricId
    question: Text
    model_answers: list[Text] = Field(default_factory=list)
    points: list[RubricPoint] = Field(min_length=1)
    misconceptions: list[Misconception] = Field(default_factory=list)
    scoring: Scoring = Field(default_factory=Scoring)

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @model_validator(mode="after")
    def _unique_ids(self) -> Rubric:
        seen: set[str] = set()
        groups: tuple[tuple[str, list[RubricPoint] | list[Misconception]], ...] = (
            ("points", self.points),
            ("misconceptions", self.misconceptions),
        )
        for field_name, items in groups:
            for index, item_id in enumerate(item.id for item in items):
                if item_id in seen:
                    raise ValueError(
                        f"{field_name}[{index}].id: duplicate point id {item_id!r}; every "
                        "point and misconception needs its own id"
                    )
                seen.add(item_id)
        return self

    def to_document(self) -> dict[str, object]:
        """The rubric as a plain dict in file order, `schema` first."""
        return self.model_dump(by_alias=True, mode="json")

    @property
    def version(self) -> str:
        """Content hash: any edit gives a new version, an unchanged file keeps its version.

        Computed on each call (tens of microseconds): a cached value would survive
        `model_copy(update=...)` and name the old content.
        """
        canonical = json.dumps(self.to_document(), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()[:12]

    @property
    def total_weight(self) -> float:
        """Sum of point weights: the denominator of the score."""
        return sum(point.weight for point in self.points)
