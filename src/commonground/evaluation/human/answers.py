"""What an annotator gives for one item: ratings per text and criterion, a preference, a comment."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from commonground.core.errors import InputError
from commonground.evaluation.human.rubric import SCALE, Rubric

Rating = Annotated[int, Field(ge=SCALE[0], le=SCALE[-1])]
Preference = Literal["left", "right", "tie"]
PREFERENCES: tuple[Preference, ...] = ("left", "right", "tie")


class Answer(BaseModel):
    """Ratings keyed by side (`text`, or `left` and `right`) then criterion; a preference when pairwise."""

    model_config = ConfigDict(extra="forbid")

    ratings: dict[str, dict[str, Rating]] = Field(default_factory=dict)
    preference: Preference | None = None
    comment: str = Field("", max_length=4000)

    @property
    def empty(self) -> bool:
        """Nothing rated, chosen or said."""
        return not any(self.ratings.values()) and self.preference is None and not self.comment.strip()


def check_answer(answer: Answer, *, sides: tuple[str, ...], rubric: Rubric) -> None:
    """An InputError naming the first field that does not fit the batch's texts and rubric."""
    for side, ratings in answer.ratings.items():
        if side not in sides:
            raise InputError(f"ratings.{side}: this batch's texts are {', '.join(sides)}")
        for criterion in ratings:
            if criterion not in rubric.names:
                raise InputError(f"ratings.{side}.{criterion}: not a criterion of this batch")
    if answer.preference is not None and len(sides) < 2:
        raise InputError("preference: this batch rates single texts and asks for no preference")
    if answer.empty:
        raise InputError("the answer is empty: rate at least one criterion")


def matches(answer: Answer, expected: Answer) -> bool:
    """Whether an answer gives every rating and the preference an attention check asked for."""
    return answer.preference == expected.preference and all(
        answer.ratings.get(side, {}).get(criterion) == value
        for side, ratings in expected.ratings.items()
        for criterion, value in ratings.items()
    )
