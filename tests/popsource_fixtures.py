"""Write small population-source files in the exact formats smartmap reads (tests, benchmark).

The numbers are made-up test loads from a seeded generator, not data about the county: only the
*formats* are real (column names, id spellings, CRSs, as documented in
:mod:`smartmap.data.popsources` and :mod:`smartmap.data.gridcells`):

- :func:`write_scb_csv`: SCB-style CSV, ``Ruta;Beftotalt`` (semicolon, 13-digit SWEREF 99 TM
  corner ids);
- :func:`write_scb_gpkg`: SCB's open GeoPackage layout (``objectid``, ``rutid_scb``,
  ``rutid_inspire``, ``rutstorl``, ``beftotalt``, ``kvinna``, ``man``, ``referenstid`` and the
  square polygons in EPSG:3006), 1 km and 250 m cells mixed;
- :func:`write_geostat_csv`: the Eurostat census grid 2021 CSV (``GRD_ID,T,M,F,...,CNTR_ID``,
  ``CRS3035RES1000mN...E...`` ids in ETRS89-LAEA);
- :func:`write_areas`: DeSO-like polygons (``desokod``, ``kommunkod``) in a GeoPackage and a
  population CSV (``desokod,befolkning``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer

from smartmap.core.settings import ANALYSIS_CRS
from smartmap.data import gridcells
from smartmap.data.layers import Territory

SEED = 20261201
BLOCK = (655_000, 6_570_000, 20, 15)
"""West and south edge (EPSG:3006 metres) and width x height in km of the test block: central
and western Stockholm County, on land and water, across several municipalities."""
FAR_CELLS = ((700_000, 6_380_000), (480_000, 6_560_000))
"""Corners of cells far outside the county (Gotland's latitude; Västmanland)."""

GEOSTAT_HEADER = ("GRD_ID,T,M,F,Y_LT15,Y_1564,Y_GE65,EMP,NAT,EU_OTH,OTH,SAME,CHG_IN,CHG_OUT,"
                  "LAND_SURFACE,POPULATED,CNTR_ID")
"""The header of ``ESTAT_Census_2021_V3.csv`` (Eurostat census grid 2021)."""


@dataclass(frozen=True)
class Cells:
    """Cells written to a file: lower-left corners, size and people, in file order."""

    e: np.ndarray
    n: np.ndarray
    size: np.ndarray
    people: np.ndarray


def block_cells(size: int = 1000, far: bool = True, seed: int = SEED,
                multiple_of: int = 1) -> Cells:
    """The test block's cells (plus the far cells), people drawn from a seeded generator
    (about 1 in 8 cells empty; every count a multiple of ``multiple_of``)."""
    x0, y0, w, h = BLOCK
    per_km = 1000 // size
    ee, nn = np.meshgrid(x0 + size * np.arange(w * per_km), y0 + size * np.arange(h * per_km))
    e, n = ee.ravel().astype(np.int64), nn.ravel().astype(np.int64)
    if far:
        e = np.r_[e, [c[0] for c in FAR_CELLS]]
        n = np.r_[n, [c[1] for c in FAR_CELLS]]
    rng = np.random.default_rng(seed)
    people = rng.integers(0, 2500 // per_km ** 2 + 2, len(e)) * multiple_of
    people[rng.random(len(e)) < 0.125] = 0
    return Cells(e, n, np.full(len(e), size, dtype=np.int64), people.astype(np.int64))


def split_cells(cells: Cells, k: int) -> Cells:
    """Each cell split into k x k equal cells sharing its people equally (counts must divide)."""
    if np.any(cells.people % (k * k)):
        raise ValueError("people must be a multiple of k*k")
    sub = cells.size // k
    off = np.arange(k)
    de, dn = np.meshgrid(off, off)
    e = (cells.e[:, None] + sub[:, None] * de.ravel()[None, :]).ravel()
    n = (cells.n[:, None] + sub[:, None] * dn.ravel()[None, :]).ravel()
    return Cells(e, n, np.repeat(sub, k * k), np.repeat(cells.people // (k * k), k * k))


def scb_lines(cells: Cells, header: str = "Ruta;Beftotalt", sep: str = ";") -> list[str]:
    """SCB-style CSV lines: the id, then the people (header first)."""
    ids = gridcells.scb_ids(cells.e, cells.n)
    return [header, *(f"{i}{sep}{p}" for i, p in zip(ids, cells.people, strict=True))]


def write_lines(path: Path, lines: list[str]) -> Path:
    """Write CSV lines (UTF-8, ``\\n``)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_scb_csv(path: Path, cells: Cells | None = None) -> Path:
    """An SCB-style CSV (``Ruta;Beftotalt``) of the block (1 km unless ``cells`` says)."""
    return write_lines(path, scb_lines(cells or block_cells()))


def mixed_cells(seed: int = SEED) -> Cells:
    """1 km cells of the block, the first 6 x 4 km of it in 250 m cells (as SCB's urban areas)."""
    km = block_cells(1000, far=True, seed=seed, multiple_of=16)
    x0, y0, _, _ = BLOCK
    urban = (km.e < x0 + 6000) & (km.n < y0 + 4000) & (km.e >= x0) & (km.n >= y0)
    fine = split_cells(Cells(km.e[urban], km.n[urban], km.size[urban], km.people[urban]), 4)
    rest = ~urban
    return Cells(np.r_[km.e[rest], fine.e], np.r_[km.n[rest], fine.n],
                 np.r_[km.size[rest], fine.size], np.r_[km.people[rest], fine.people])


def write_scb_gpkg(path: Path, cells: Cells | None = None, year: int = 2024,
                   layer: str | None = None) -> Path:
    """SCB's open GeoPackage layout (``befolkning_1km_<year>``) with square polygons."""
    cells = cells or mixed_cells()
    ids = gridcells.scb_ids(cells.e, cells.n)
    inspire = np.char.add("SE_", gridcells.inspire_ids(3006, cells.size, cells.e, cells.n))
    man = cells.people // 2
    frame = gpd.GeoDataFrame(
        {
            "objectid": np.arange(1, len(ids) + 1, dtype=np.int64),
            "rutid_scb": ids,
            "rutid_inspire": inspire,
            "rutstorl": cells.size.astype(np.int64),
            "beftotalt": cells.people.astype(np.int64),
            "kvinna": (cells.people - man).astype(np.int64),
            "man": man.astype(np.int64),
            "referenstid": f"{year}1231",
        },
        geometry=gridcells.cell_squares(cells.e, cells.n, cells.size),
        crs=ANALYSIS_CRS,
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_file(path, driver="GPKG", layer=layer or f"befolkning_1km_{year}")
    return path


def geostat_cells(seed: int = SEED) -> Cells:
    """1 km ETRS89-LAEA (EPSG:3035) cells covering the test block, plus one far cell."""
    x0, y0, w, h = BLOCK
    to3035 = Transformer.from_crs(3006, 3035, always_xy=True)
    xs, ys = to3035.transform([x0, x0 + 1000 * w, x0, x0 + 1000 * w],
                              [y0, y0, y0 + 1000 * h, y0 + 1000 * h])
    e0, e1 = int(np.floor(min(xs) / 1000)) * 1000, int(np.ceil(max(xs) / 1000)) * 1000
    n0, n1 = int(np.floor(min(ys) / 1000)) * 1000, int(np.ceil(max(ys) / 1000)) * 1000
    ee, nn = np.meshgrid(np.arange(e0, e1, 1000), np.arange(n0, n1, 1000))
    far_x, far_y = to3035.transform(*FAR_CELLS[0])
    e = np.r_[ee.ravel(), int(far_x) // 1000 * 1000].astype(np.int64)
    n = np.r_[nn.ravel(), int(far_y) // 1000 * 1000].astype(np.int64)
    rng = np.random.default_rng(seed + 1)
    people = rng.integers(0, 2500, len(e))
    people[rng.random(len(e)) < 0.125] = 0
    return Cells(e, n, np.full(len(e), 1000, dtype=np.int64), people.astype(np.int64))


def geostat_lines(cells: Cells) -> list[str]:
    """Lines of a GEOSTAT 2021 CSV (V3 header) for the cells."""
    ids = gridcells.inspire_ids(3035, cells.size, cells.e, cells.n)
    lines = [GEOSTAT_HEADER]
    for gid, t in zip(ids, cells.people, strict=True):
        m = t // 2
        young, old = t // 6, t // 5
        lines.append(f"{gid},{t},{m},{t - m},{young},{t - young - old},{old},{t // 2},{t - t // 10},"
                     f"{t // 20},{t // 10 - t // 20},{t - t // 8},{t // 10},{t // 8 - t // 10},"
                     f"1.0,{int(t > 0)},SE")
    return lines


def write_geostat_csv(path: Path, cells: Cells | None = None) -> Path:
    """A GEOSTAT census grid 2021 CSV of the test block."""
    return write_lines(path, geostat_lines(cells or geostat_cells()))


def area_frame(territory: Territory, size_m: int = 3000, seed: int = SEED) -> gpd.GeoDataFrame:
    """DeSO-like areas: 3 km squares over the test block cut by the municipality polygons, each
    piece in one municipality, coded ``<kommun>C<4 digits>``, with made-up people."""
    x0, y0, w, h = BLOCK
    xs = x0 + size_m * np.arange((1000 * w) // size_m)
    ys = y0 + size_m * np.arange((1000 * h) // size_m)
    ee, nn = np.meshgrid(xs, ys)
    squares = shapely.box(ee.ravel(), nn.ravel(), ee.ravel() + size_m, nn.ravel() + size_m)
    muni = territory.municipalities.sort_values("kommun_kod")
    pieces = gpd.overlay(gpd.GeoDataFrame(geometry=squares, crs=ANALYSIS_CRS),
                         muni[["kommun_kod", "geometry"]], how="intersection")
    pieces = pieces.explode(index_parts=False)
    pieces = pieces[pieces.geometry.area > 50_000].reset_index(drop=True)
    pieces["seq"] = pieces.groupby("kommun_kod").cumcount() + 1
    codes = pieces["kommun_kod"] + "C" + pieces["seq"].map("{:04d}".format)
    rng = np.random.default_rng(seed + 2)
    return gpd.GeoDataFrame({"desokod": codes, "kommunkod": pieces["kommun_kod"],
                             "befolkning": rng.integers(100, 3000, len(pieces))},
                            geometry=pieces.geometry.values, crs=ANALYSIS_CRS)


def write_areas(directory: Path, territory: Territory, polygons: str = "areas.gpkg",
                table: str = "areas_population.csv") -> tuple[Path, Path, gpd.GeoDataFrame]:
    """The areas GeoPackage (layer ``deso``, no population) and the population CSV."""
    frame = area_frame(territory)
    directory.mkdir(parents=True, exist_ok=True)
    poly_path = directory / polygons
    frame.drop(columns=["befolkning"]).to_file(poly_path, driver="GPKG", layer="deso")
    table_path = directory / table
    pd.DataFrame({"desokod": frame["desokod"], "befolkning": frame["befolkning"]}).to_csv(
        table_path, index=False, lineterminator="\n")
    return poly_path, table_path, frame
