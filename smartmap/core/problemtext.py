"""Problems in the reader's language: a :class:`~smartmap.core.errors.Problem` carries a message
key and its values, and is rendered from the catalogs (``msgctxt "problem"``) when shown.

A check builds a problem with :func:`keyed`: the key of its message (and of what was expected),
the values that fill them, and where it is. The problem's ``message`` and ``expected`` are the
English texts, so the CLI, the logs and ``str(problem)`` read as they always did; a page shows
:func:`localized` problems in the user's language. A problem built without a key (an error's own
text) is shown as it is, in English.

>>> p = keyed("envs.csv", 3, "env_type", "unknown_value", "exp_one_of", value="'lab'",
...           allowed="science_park, testbed")
>>> str(p)
"envs.csv, row 3, field 'env_type': unknown value 'lab' (expected one of: science_park, testbed)"
>>> localized(p, "sv").message, localized(p, "sv").expected
("okänt värde 'lab'", 'ett av: science_park, testbed')
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace

import pandas as pd

from smartmap.core.errors import (
    Arg,
    Args,
    Phrase,
    Problem,
    Severity,
    SmartmapError,
    problems_frame,
)
from smartmap.core.i18n import Lang, message, plural

CONTEXT = "problem"
"""The catalog context of every problem message and every text of what was expected."""


def phrase(key: str, /, **args: object) -> Phrase:
    """A catalog text with its values, used as the value of another text (``{how}``)."""
    return Phrase(key, _args(args))


def _args(values: dict[str, object]) -> Args:
    return tuple((name, v if isinstance(v, str | Phrase) else str(v)) for name, v in values.items())


def _value(value: Arg, lang: Lang) -> str:
    return value if isinstance(value, str) else fill(value.key, value.args, lang)


def fill(key: str, args: Args, lang: Lang) -> str:
    """The text of ``key`` in ``lang`` with its values (a :class:`Phrase` value in ``lang`` too).

    A missing key raises :class:`~smartmap.core.i18n.CatalogError`, a missing value ``KeyError``.
    A plural text (``msgid_plural``) takes its form from the value ``n``.

    >>> fill("areas_outside", (("n", "1"), ("people", "40")), "en")
    '1 area with 40 people lies outside the county: not used'
    """
    template = message(key, lang, CONTEXT)
    count = dict(args).get("n")
    if isinstance(count, str) and count.isdigit():  # a plural text takes its form from n
        template = plural(key, lang, int(count), CONTEXT) or template
    return template.format(**{name: _value(v, lang) for name, v in args})


def keyed(source: str, row: int | None, field: str | None, code: str,
          expected: str | None = None, severity: Severity = "error",
          record_id: str | None = None, /, **args: object) -> Problem:
    """A problem whose message is the catalog text ``code`` and whose expectation is the text
    ``expected`` (both keys of ``msgctxt "problem"``), filled with ``args`` (values that are not
    text nor a :class:`Phrase` are written with ``str``). ``message``/``expected`` hold English."""
    values = _args(args)
    return Problem(source, row, field, fill(code, values, "en"),
                   None if expected is None else fill(expected, values, "en"), severity,
                   record_id, code, values, expected)


def rekeyed(problem: Problem, /, to_code: str | None = None, to_expected: str | None = None,
            **args: object) -> Problem:
    """The problem with another message key and/or expectation key, and more values (a value
    ``Phrase(problem.expected_code, problem.args)`` puts the old expectation in the new one)."""
    values = problem.args + _args(args)
    new_code = to_code or problem.code
    new_expected = to_expected or problem.expected_code
    if new_code is None:
        raise ValueError("only a keyed problem can be given another key")
    return replace(problem, code=new_code, expected_code=new_expected, args=values,
                   message=fill(new_code, values, "en"),
                   expected=None if new_expected is None else fill(new_expected, values, "en"))


def render(problem: Problem, lang: Lang) -> tuple[str, str | None]:
    """The problem's message and expectation in ``lang`` (as stored when it has no key)."""
    if problem.code is None:
        return problem.message, problem.expected
    expected = (problem.expected if problem.expected_code is None
                else fill(problem.expected_code, problem.args, lang))
    return fill(problem.code, problem.args, lang), expected


def localized(problem: Problem, lang: Lang) -> Problem:
    """The problem with its message and expectation in ``lang``."""
    text, expected = render(problem, lang)
    return replace(problem, message=text, expected=expected)


def severity_text(severity: Severity, lang: Lang) -> str:
    """``error``, ``warning`` or ``info`` as a word of ``lang``."""
    return message(f"severity_{severity}", lang, CONTEXT)


def localized_frame(problems: Iterable[Problem], lang: Lang) -> pd.DataFrame:
    """:func:`~smartmap.core.errors.problems_frame` for a person reading ``lang``: every message,
    expectation and severity in that language (the frame is for showing, not for filtering)."""
    frame = problems_frame(localized(p, lang) for p in problems)
    frame["severity"] = [severity_text(s, lang) for s in frame["severity"]]
    return frame


class KeyedError(SmartmapError):
    """An error whose message is a catalog text: ``str()`` is its English, ``phrase`` its key
    and values (``None`` for an error made from plain text), :func:`error_text` its text in a
    language."""

    def __init__(self, message: str | Phrase):
        self.phrase = message if isinstance(message, Phrase) else None
        super().__init__(message if isinstance(message, str)
                         else fill(message.key, message.args, "en"))


def error_text(error: BaseException, lang: Lang) -> str:
    """An error's message in ``lang``: a :class:`KeyedError`'s catalog text, else ``str(error)``.

    >>> error = KeyedError(phrase("not_a_number", value="'x'"))
    >>> str(error), error_text(error, "sv"), error_text(ValueError("plain"), "sv")
    ("not a number: 'x'", "inte ett tal: 'x'", 'plain')
    """
    said = getattr(error, "phrase", None)
    if isinstance(said, Phrase):
        return fill(said.key, said.args, lang)
    return str(error)


def map_text(problem: Problem, change: Callable[[str], str]) -> Problem:
    """The problem with ``change`` applied to its message, its expectation and every text value
    (e.g. to show an upload's name in place of the temporary folder it was unpacked in)."""

    def arg(value: Arg) -> Arg:
        if isinstance(value, str):
            return change(value)
        return Phrase(value.key, tuple((name, arg(v)) for name, v in value.args))

    return replace(problem, message=change(problem.message),
                   expected=None if problem.expected is None else change(problem.expected),
                   args=tuple((name, arg(v)) for name, v in problem.args))
