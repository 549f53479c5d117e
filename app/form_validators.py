"""WTForms validators shared by the pages' forms."""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

from wtforms import Field
from wtforms.validators import NumberRange, ValidationError


def _finite(data: Any) -> bool:
    if isinstance(data, Decimal):
        return data.is_finite()
    return not isinstance(data, float) or math.isfinite(data)


class FiniteNumberRange(NumberRange):
    """`NumberRange` that also refuses ``NaN`` and the infinities.

    WTForms' `DecimalField` and `FloatField` read ``NaN``, ``Infinity`` and ``1e400`` as
    numbers; a NaN compares as in any range (or raises, as a `Decimal`), and none of them fits
    a database column, so each is refused as out of range.
    """

    def __init__(self, min: float, max: float, message: str | None = None) -> None:
        super().__init__(min=min, max=max, message=message)

    def __call__(self, form: Any, field: Field) -> None:
        data = field.data
        finite = (
            data.is_finite() if isinstance(data, Decimal) else data is None or math.isfinite(data)
        )
        if not finite:
            message = self.message or field.gettext("Number must be between %(min)s and %(max)s.")
            raise ValidationError(message % {"min": self.min, "max": self.max})
        super().__call__(form, field)
