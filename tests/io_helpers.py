"""Shared helpers of the io/export tests: hypothesis strategies for valid environment tables and
writers for the formats users bring."""

from __future__ import annotations

import csv
import io
import json

import pandas as pd
from hypothesis import strategies as st

from smartmap.core import vocab
from tests.synthetic import AREAS


def geojson(features, **extra) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": features, **extra}).encode()


CP1252_TEXT = st.text(
    alphabet=st.sampled_from(list("abcdefghijklmnopqrstuvwxyzåäöÅÄÖéüABCXYZ 0123456789-–,;.'\"&()")),
    min_size=1, max_size=30,
).filter(lambda s: s.strip())
# shipped points (environments, settlements); the last has no code: Vaxholm town, outside its polygon
PLACES = st.sampled_from([
    ("0180", 59.3472, 18.0708), ("0184", 59.3489, 18.0262), ("0181", 59.2005, 17.6288),
    ("0114", 59.5145, 17.9145), ("0192", 58.9030, 17.9490), ("0188", 59.7585, 18.6850),
    ("0136", 59.16667, 18.13333), (None, 59.4000, 18.3500),
])


@st.composite
def environment_tables(draw) -> pd.DataFrame:
    n = draw(st.integers(1, 6))
    rows = []
    for i in range(n):
        code, lat, lon = draw(PLACES)
        rows.append({
            "id": draw(st.one_of(st.just(""), st.just(f"env-{i}"))),
            "name": draw(CP1252_TEXT),
            "env_type": draw(st.sampled_from(vocab.values(vocab.EnvType))),
            "kommun_kod": draw(st.sampled_from([code or "", ""])) if code else "",
            "lat": lat + draw(st.floats(-0.002, 0.002)),
            "lon": lon + draw(st.floats(-0.002, 0.002)),
            "priority_areas": ";".join(draw(st.lists(st.sampled_from(AREAS),
                                                     unique=True))),
            "host_organisation": draw(st.one_of(st.just(""), CP1252_TEXT)),
            "governance_level": draw(st.sampled_from(vocab.values(vocab.Level))),
            "services": ";".join(draw(st.lists(st.sampled_from(vocab.values(vocab.Service)),
                                               unique=True))),
            "founded": draw(st.one_of(st.just(""), st.integers(1900, 2025).map(str))),
            "status": draw(st.sampled_from(vocab.values(vocab.Status))),
            "notes": draw(st.one_of(st.just(""), CP1252_TEXT.map(lambda s: "=" + s))),
        })
    return pd.DataFrame(rows)


def write_variant(table: pd.DataFrame, variant: str) -> tuple[bytes, str]:
    if variant == "geojson":
        features = [{"type": "Feature",
                     "properties": {k: v for k, v in r.items() if k not in ("lat", "lon")},
                     "geometry": {"type": "Point", "coordinates": [r["lon"], r["lat"]]}}
                    for r in table.to_dict("records")]
        return geojson(features), "t.geojson"
    sep, encoding, comma = {"plain": (",", "utf-8", False), "excel": (";", "cp1252", True),
                            "bom": (";", "utf-8-sig", True)}[variant]
    text = table.copy()
    for c in ("lat", "lon"):
        text[c] = [repr(v).replace(".", ",") if comma else repr(v) for v in table[c]]
    buffer = io.StringIO()
    text.to_csv(buffer, index=False, sep=sep, quoting=csv.QUOTE_MINIMAL)
    return buffer.getvalue().encode(encoding), "t.csv"
