"""Numbers and changes as people read them, in Swedish or English: the one home of formatting.

Every page, table, popup and report formats a metric value with :func:`format_value` and a
change with :func:`format_delta`; the kind of a value comes from the metric catalogue
(:mod:`smartmap.analysis.catalog`).
"""

from __future__ import annotations

from typing import SupportsFloat

import pandas as pd

from smartmap.core.vocab import Lang, text


def decimals_for(kind: str) -> int:
    """Decimals a value of this metric kind is shown with: counts, years and areas whole,
    ratios (LQs) 2, shares (in %), km and rates 1.

    >>> decimals_for("count"), decimals_for("ratio"), decimals_for("share")
    (0, 2, 1)
    """
    return {"count": 0, "year": 0, "area": 0, "ratio": 2}.get(kind, 1)


def localise(text: str, lang: Lang = "sv") -> str:
    """Python's ``1,234.5`` in the language's style: Swedish ``1 234,5``, English unchanged."""
    return text.replace(",", " ").replace(".", ",") if lang == "sv" else text


def format_number(number: float, decimals: int, lang: Lang = "sv") -> str:
    """A plain number with thousands separators and a fixed number of decimals.

    >>> format_number(12345.678, 1, "sv"), format_number(12345.678, 1, "en"), format_number(0.5, 0)
    ('12 345,7', '12,345.7', '0')
    """
    return localise(f"{number:,.{decimals}f}", lang)


def is_missing(value: object) -> bool:
    """None, NaN, NA or NaT (a text is never missing).

    >>> is_missing(float("nan")), is_missing(pd.NA), is_missing(""), is_missing(0)
    (True, True, False, False)
    """
    if value is None or isinstance(value, str):
        return value is None
    return bool(pd.isna(value))  # type: ignore[call-overload]  # any scalar


def as_float(value: object) -> float:
    """A number from an int, float, numpy or Decimal scalar, or a numeric text."""
    if isinstance(value, SupportsFloat):
        return float(value)
    return float(str(value))


def format_value(value: object, kind: str, lang: Lang = "sv") -> str:
    """A metric value as people read it: shares in %, km with one decimal, counts whole.

    >>> format_value(0.256, "share", "en"), format_value(12.34, "km", "sv"), format_value(None, "km")
    ('25.6 %', '12,3', '–')
    """
    if is_missing(value):
        return "–"
    if kind == "bool":
        return text("fmt_yes" if bool(value) else "fmt_no", lang)
    if kind == "text":
        return str(value)
    number = as_float(value)
    if kind == "share":
        out = f"{100 * number:.1f} %"
    elif kind in ("km", "rate", "ratio"):
        out = f"{number:.1f}" if kind != "ratio" else f"{number:.2f}"
    elif kind == "area":
        out = f"{number:,.0f}"
    else:
        out = f"{number:,.0f}"
    return localise(out, lang)


def format_delta(value: object, kind: str, lang: Lang = "sv",
                 decimals: int | None = None) -> str:
    """A change with its sign: shares in percentage points, km with one decimal, counts whole
    (``decimals`` overrides). A change that rounds to zero shows as ``±0``.

    >>> format_delta(0.031, "share", "en"), format_delta(-1.25, "km", "sv"), format_delta(0, "count")
    ('+3.1 pp', '−1,2 km', '±0')
    >>> format_delta(-0.031, "km", "en", decimals=2)
    '−0.03 km'
    """
    if is_missing(value):
        return "–"
    number = as_float(value)
    if kind == "share":
        number *= 100
    if decimals is None:
        decimals = decimals_for(kind)
    number_text = f"{abs(number):,.{decimals}f}"
    if float(number_text.replace(",", "")) == 0:
        sign, number_text = "±", f"{0:.{decimals}f}"
    else:
        sign = "+" if number > 0 else "−"
    number_text = localise(number_text, lang)
    unit = text("fmt_pp", lang) if kind == "share" else (" km" if kind == "km" else "")
    return f"{sign}{number_text}{unit}"
