import itertools

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
    assert classify.class_labels([10.0, 20.0], 0.0) == ["0 – 10", "10 – 20"]
