"""The query parameters the views share, with their limits (a value outside them is a JSON 422)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import Path, Query

MAX_PAGE = 500

Period = Literal["day", "week", "month", "year"]
Code = Annotated[
    str,
    Query(
        min_length=1,
        max_length=120,
        description="An actor: a code in any case (AZE, aze), a state or a person (Azerbaijan, Aliyev), or an IGO.",
    ),
]
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE)]
Offset = Annotated[int, Query(ge=0, le=10_000_000)]
Text = Annotated[str | None, Query(max_length=500)]
PeriodLabel = Annotated[
    str, Query(min_length=4, max_length=10, description="A period label: 2024, 2024-05 or a day.")
]
DocumentId = Annotated[str, Path(max_length=200)]
ActorCode = Annotated[str, Path(max_length=120)]
Statuses = Annotated[
    str | None, Query(max_length=200, description="Statuses, comma-separated: realized,historical")
]
Attributions = Annotated[
    str | None, Query(max_length=200, description="Attributions, comma-separated: reported,claimed")
]
Confidence = Annotated[float | None, Query(ge=0, le=1)]
Direction = Literal["both", "out", "in"]


def iso(value: date | None) -> str | None:
    return value.isoformat() if value else None
