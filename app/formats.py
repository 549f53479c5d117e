"""Numbers, money, percentages and dates in the reader's locale: the one place for formats.

Pages (as Jinja filters: ``{{ amount|money }}``, ``{{ day|date }}``), PDFs and messages call
these functions, so French readers see ``3 690 000,00 €``, ``+18,4 %`` and ``7 déc. 2026``
and English readers ``€3,690,000.00``, ``+18.4%`` and ``Dec 7, 2026``. Moments are shown in
Flask-Babel's time zone (``BABEL_DEFAULT_TIMEZONE``, UTC unless configured), with its name.
Outside an application (a PDF built by a script or a test) they speak English, in euros
and UTC. Nothing here is for the JSON API, which keeps ISO dates and plain numbers.
"""

from __future__ import annotations

from datetime import UTC, tzinfo
from datetime import date as Date
from datetime import datetime as DateTime
from decimal import Decimal
from typing import Any

from babel import Locale, dates, numbers
from flask import current_app, has_app_context
from flask_babel import get_locale, get_timezone

#: Shown for a missing value.
NOTHING = "—"
DEFAULT_LOCALE = "en"
DEFAULT_CURRENCY = "EUR"


def _locale() -> Locale:
    return (get_locale() if has_app_context() else None) or Locale.parse(DEFAULT_LOCALE)


def _timezone() -> tzinfo:
    return get_timezone() if has_app_context() else UTC


def _currency() -> str:
    if not has_app_context():
        return DEFAULT_CURRENCY
    return str(current_app.config.get("JALON_CURRENCY", DEFAULT_CURRENCY))


def number(value: Any, digits: int | None = None) -> str:
    """A count or measure with the locale's grouping (`12 345`); `digits` fixes the decimals."""
    if value is None:
        return NOTHING
    pattern = None if digits is None else "#,##0" + ("." + "0" * digits if digits else "")
    return numbers.format_decimal(value, pattern, locale=_locale())


def money(value: Any, whole: bool = False) -> str:
    """An amount in the configured currency (`JALON_CURRENCY`, EUR unless set); `whole`
    drops the cents, for tables of large amounts."""
    if value is None:
        return NOTHING
    locale = _locale()
    if not whole:
        return numbers.format_currency(value, _currency(), locale=locale)
    pattern = locale.currency_formats["standard"].pattern.split(";")[0]
    pattern = pattern.replace("#,##0.00", "#,##0", 1)
    return numbers.format_currency(
        value, _currency(), pattern, locale=locale, currency_digits=False
    )


def percent(value: Any, digits: int = 1, signed: bool = False) -> str:
    """`value` given in percent (18.4 for 18.4 %), in the locale's percent format; `signed`
    writes the sign of a variance (`+18,4 %`)."""
    if value is None:
        return NOTHING
    locale = _locale()
    pattern = locale.percent_formats[None].pattern.split(";")[0]
    decimals = "." + "0" * digits if digits else ""
    pattern = pattern.replace("#,##0", "#,##0" + decimals, 1)
    if signed:
        pattern = f"+{pattern};-{pattern}"
    return numbers.format_decimal(Decimal(str(value)) / 100, pattern, locale=locale)


def signed_percent(value: Any) -> str:
    """A variance in percent, always with its sign."""
    return percent(value, signed=True)


def date(value: Date | DateTime | None, style: str = "medium") -> str:
    """A calendar day (`7 déc. 2026`); a moment is first put in the reader's time zone."""
    if value is None:
        return NOTHING
    if isinstance(value, DateTime):
        value = value.astimezone(_timezone())
    return dates.format_date(value, style, locale=_locale())


def datetime(value: DateTime | None) -> str:
    """A moment to the minute, with its time zone (`7 déc. 2026 16:08 UTC`)."""
    if value is None:
        return NOTHING
    zone = _timezone()
    moment = value.astimezone(zone)
    time = dates.format_time(moment, "short", locale=_locale())
    return f"{date(moment)} {time} {zone}"


FORMAT_FILTERS = {
    "number": number,
    "money": money,
    "percent": percent,
    "signed_percent": signed_percent,
    "date": date,
    "datetime": datetime,
}
