import itertools
import re

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from smartmap.render import classify

values = st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=1, max_size=12)


def _ssd(groups):
    return sum(((np.array(g) - np.mean(g)) ** 2).sum() for g in groups if len(g))


@settings(max_examples=60, deadline=None)
@given(values, st.integers(1, 4))
def test_natural_breaks_are_optimal(xs, k):
    b = classify.natural_breaks(xs, k)
    x = sorted(xs)
    assert b == sorted(b) and b[-1] == max(x)
    cls = classify.assign_classes(x, b)
    got = _ssd([[v for v, c in zip(x, cls, strict=True) if c == i] for i in range(len(b))])
    distinct = sorted(set(x))
    if len(distinct) <= k:
        assert b == distinct
        return
    best = min(
        _ssd([x[i:j] for i, j in zip((0, *cuts), (*cuts, len(x)), strict=True)])
        for cuts in itertools.combinations(range(1, len(x)), k - 1)
    )
    assert got <= best + 1e-6 * max(1.0, best)


@given(values, st.integers(1, 6), st.sampled_from(classify.METHODS))
def test_every_value_gets_a_class(xs, k, method):
    b = classify.breaks(xs, method, k)
    cls = classify.assign_classes(xs, b)
    assert ((cls >= 0) & (cls < len(b))).all()
    assert len(b) <= k


def test_missing_values_get_no_class():
    cls = classify.assign_classes([None, float("nan"), 3], [1.0, 5.0])
    assert cls.tolist() == [-1, -1, 1]
    assert classify.breaks([None, float("nan")]) == []


def test_class_labels():
    assert classify.class_labels([10.0, 20.0], 0.0, "count") == ["0 – 10", "11 – 20"]
    assert classify.class_labels([10.0, 20.0], 0.0, "km", "en") == ["0 – 10.0", "10.0 – 20.0"]
    assert classify.class_labels([1234.6, 20000.0], 3.0, "area", "sv") == ["3 – 1 235",
                                                                           "1 235 – 20 000"]
    assert classify.class_labels([], None, "share") == []


def test_zero_inflated_share_legend_reads_zero_then_above_zero():
    """The legend of issue 14: "0,0" and "0,0 – 42,7" become "0" and "> 0 – 42,7"."""
    shares = [0.0] * 12 + [0.339, 0.427, 0.6, 0.719, 0.85, 0.94, 1.0, 1.0]
    shown = [100 * v for v in shares]
    b = classify.natural_breaks(shown, 5)
    sv = classify.class_labels(b, min(shown), "share", "sv")
    en = classify.class_labels(b, min(shown), "share", "en")
    assert sv[0] == en[0] == "0"
    assert sv[1].startswith("> 0 – ") and en[1].startswith("> 0 – ")
    assert "," in sv[1] and "." in en[1]


def test_labels_need_more_decimals_when_bounds_are_close():
    b = [99.91, 99.94, 99.97]
    assert classify.class_labels(b, 99.9, "share", "en") == [
        "99.90 – 99.91", "99.91 – 99.94", "99.94 – 99.97"]
    assert classify.class_labels([0.0, 0.03, 5.0], 0.0, "share", "sv") == [
        "0", "> 0 – 0,03", "0,03 – 5,00"]


# what each metric kind looks like on the map (shown values: shares in %)
KIND_VALUES = {
    "count": st.integers(0, 400).map(float),
    "share": st.floats(0, 1).map(lambda v: 100 * v),
    "km": st.floats(0, 90),
    "rate": st.floats(0, 60),
    "ratio": st.floats(0, 12),
    "area": st.floats(0, 5000),
}


@st.composite
def zero_inflated(draw):
    kind = draw(st.sampled_from(sorted(KIND_VALUES)))
    values = draw(st.lists(st.one_of(st.just(0.0), KIND_VALUES[kind]), min_size=1, max_size=30))
    return kind, values


def _number(text: str, lang: str) -> tuple[float, float]:
    """A label's number and half the unit of its last digit (the rounding it hides)."""
    plain = text.replace(" ", "").replace(",", ".") if lang == "sv" else text.replace(",", "")
    digits = len(plain.split(".")[1]) if "." in plain else 0
    if "e" in plain.lower():
        value = float(plain)
        return value, abs(value) * 1e-2
    return float(plain), 0.5 * 10.0 ** -digits


ZERO_WITH_DECIMALS = re.compile(r"(?<![\d.,])0[.,]0+(?!\d)")


@settings(max_examples=300, deadline=None)
@given(zero_inflated(), st.integers(2, 6), st.sampled_from(classify.METHODS),
       st.sampled_from(["sv", "en"]))
def test_labels_read_well_for_every_kind_and_language(data, k, method, lang):
    kind, values = data
    b = classify.breaks(values, method, k)
    labels = classify.class_labels(b, min(values), kind, lang)
    assert len(labels) == len(b)
    assert len(set(labels)) == len(labels), labels  # no two classes share a label
    cls = classify.assign_classes(values, b)
    for c, label in enumerate(labels):
        members = [v for v, ci in zip(values, cls, strict=True) if ci == c]
        assert members, (b, labels)  # every bound is a data value: no empty class
        only_zeros = all(v == 0 for v in members)
        assert (label == "0") == only_zeros, (label, members)
        assert not ZERO_WITH_DECIMALS.search(label), label  # zero reads "0", never "0,0"
        if kind == "count":
            assert "." not in label.replace(",", "") or lang == "sv"
        # every member lies in the range its label shows (up to the rounding shown)
        above = label.startswith("> ")
        parts = label.removeprefix("> ").split(" – ")
        if len(parts) == 1:
            x, tol = _number(parts[0], lang)
            assert all(abs(v - x) <= tol + 1e-9 for v in members), (label, members)
        else:
            (lo, lo_tol), (hi, hi_tol) = (_number(p, lang) for p in parts)
            assert lo < hi, label
            for v in members:
                assert v <= hi + hi_tol + 1e-9 and v >= lo - lo_tol - 1e-9, (label, v)
                if above:
                    assert v > lo - lo_tol
    if kind == "count":  # whole numbers: the ranges are exact and do not touch
        for c, label in enumerate(labels):
            members = [v for v, ci in zip(values, cls, strict=True) if ci == c]
            parts = [_number(p, lang)[0] for p in label.removeprefix("> ").split(" – ")]
            assert min(parts) <= min(members) and max(members) <= max(parts)
            assert float(max(members)) == max(parts)
