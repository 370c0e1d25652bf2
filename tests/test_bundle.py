"""A package brought as bytes (data.bundle): a zip of the folder or its files, unpacked within
stated bounds; every unsafe zip is refused naming the entry, nothing of it is kept."""

from __future__ import annotations

import io
import stat
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from smartmap.cli import app
from smartmap.core.problemtext import localized
from smartmap.data.bundle import BundleLimits, open_bundle
from smartmap.data.region import MANIFEST
from tests.second_region import make_test_region

runner = CliRunner()


@pytest.fixture(scope="module")
def package(tmp_path_factory) -> Path:
    return make_test_region(tmp_path_factory.mktemp("bundle") / "uppsala")


def zip_of(entries: dict[str, bytes], *, links: tuple[str, ...] = (),
           encrypted: tuple[str, ...] = ()) -> bytes:
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries.items():
            info = zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            if name in links:
                info.external_attr = (stat.S_IFLNK | 0o777) << 16
            z.writestr(info, data)
    out = bytearray(raw.getvalue())
    for name in encrypted:  # zipfile cannot encrypt: set the "encrypted" flag in the directory
        start = 0
        while (start := out.find(b"PK\x01\x02", start)) >= 0:
            length = int.from_bytes(out[start + 28:start + 30], "little")
            if out[start + 46:start + 46 + length] == name.encode():
                out[start + 8] |= 0x1
            start += 4
    return bytes(out)


def package_entries(folder: Path, prefix: str = "uppsala/") -> dict[str, bytes]:
    return {prefix + p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def messages(opened) -> list[str]:
    return [p.message for p in opened.check.problems]


def test_a_zip_of_the_package_folder_is_accepted_and_kept_while_in_use(package):
    data = zip_of({**package_entries(package), "__MACOSX/uppsala/._region.toml": b"x",
                   "uppsala/.DS_Store": b"x"})
    opened = open_bundle([("uppsala.zip", data)])
    assert opened.accepted, messages(opened)
    t = opened.check.territory
    assert t.region.county == "03" and t.region.test_data and len(t.environments) == 6
    folder = t.region.data_dir
    assert (folder / MANIFEST).is_file() and folder.name == "package"
    opened.close()
    assert not folder.exists()
    assert len(t.environments) == 6  # what is in memory stays


def test_the_package_files_uploaded_together_are_accepted(package):
    files = [(p.name, p.read_bytes()) for p in sorted(package.iterdir())]
    opened = open_bundle(files)
    assert opened.accepted, messages(opened)
    assert opened.check.region.area_ids == ("agrifood", "materials", "water")
    opened.close()


def test_a_zip_whose_files_lie_at_its_top_is_accepted(package):
    opened = open_bundle([("flat.zip", zip_of(package_entries(package, prefix="")))])
    assert opened.accepted, messages(opened)
    opened.close()


@pytest.mark.parametrize("entries, kw, expected", [
    ({"../evil.csv": b"x"}, {}, "points out of the package folder"),
    ({"/etc/passwd.csv": b"x"}, {}, "points out of the package folder"),
    ({"pkg\\..\\..\\evil.csv": b"x"}, {}, "points out of the package folder"),
    ({"C:/evil.csv": b"x"}, {}, "points out of the package folder"),
    ({"pkg/link.csv": b"/etc/passwd"}, {"links": ("pkg/link.csv",)}, "a link"),
    ({"pkg/inner.zip": b"PK\x03\x04"}, {}, "an archive inside the zip"),
    ({"pkg/data.tar.gz": b"x"}, {}, "an archive inside the zip"),
    ({"pkg/run.exe": b"MZ"}, {}, "a .exe file does not belong in a package"),
    ({"pkg/secret.csv": b"x"}, {"encrypted": ("pkg/secret.csv",)}, "encrypted"),
    ({"a/b/c/d/e/f.csv": b"x"}, {}, "more than 4 folders deep"),
    ({"pkg/municipalities.csv": b"x"}, {}, "no region.toml"),
    ({"a/region.toml": b"", "b/region.toml": b""}, {}, "several region.toml"),
])
def test_an_unsafe_zip_is_refused_naming_the_entry(package, entries, kw, expected):
    base = package_entries(package, prefix="pkg/") if "region.toml" not in str(entries) else {}
    if expected == "no region.toml":
        base = {}
    opened = open_bundle([("bad.zip", zip_of({**base, **entries}, **kw))])
    assert not opened.accepted
    assert any(expected in m for m in messages(opened)), messages(opened)
    assert all(p.source == "bad.zip" for p in opened.check.problems)
    assert opened.check.territory is None


def test_a_zip_hidden_under_another_name_is_refused(package):
    inner = zip_of({"x.csv": b"x"})
    data = zip_of({**package_entries(package, prefix="pkg/"), "pkg/notes.txt": inner})
    opened = open_bundle([("bad.zip", data)])
    assert not opened.accepted
    assert any("pkg/notes.txt: an archive inside the zip" in m for m in messages(opened))


def test_files_outside_the_package_folder_are_refused(package):
    data = zip_of({**package_entries(package, prefix="pkg/"), "elsewhere/extra.csv": b"x"})
    opened = open_bundle([("bad.zip", data)])
    assert any("elsewhere/extra.csv lies outside the package folder pkg" in m
               for m in messages(opened))


def test_the_bounds_are_enforced(package):
    entries = package_entries(package, prefix="pkg/")
    data = zip_of(entries)
    few = BundleLimits(max_files=3)
    assert any("more than the 3 a package may hold" in m
               for m in messages(open_bundle([("p.zip", data)], few)))
    small = BundleLimits(max_bytes=len(data) - 1)
    assert any("a package may have" in m for m in messages(open_bundle([("p.zip", data)], small)))
    bomb = zip_of({**entries, "pkg/zeros.csv": b"0" * 3_000_000})
    assert len(bomb) < 100_000
    tight = BundleLimits(max_unpacked_bytes=2 * 1024 * 1024)
    assert any("unpacks to more than 2 MB" in m
               for m in messages(open_bundle([("bomb.zip", bomb)], tight)))
    many = zip_of({f"pkg/f{i}.csv": b"" for i in range(300)})
    assert any("more than the 64" in m for m in messages(open_bundle([("m.zip", many)])))


def test_not_a_zip_a_zip_with_other_files_and_nothing(package):
    assert any("not a readable zip file" in m
               for m in messages(open_bundle([("broken.zip", b"PK\x03\x04garbage")])))
    files = [("a.zip", zip_of(package_entries(package))), (MANIFEST, b"")]
    assert any("not a zip together with other files" in m for m in messages(open_bundle(files)))
    assert messages(open_bundle([])) == ["no files"]
    loose = [("municipalities.csv", (package / "municipalities.csv").read_bytes())]
    assert any("no region.toml" in m for m in messages(open_bundle(loose)))


def test_refusals_are_in_the_users_language(package):
    opened = open_bundle([("bad.zip", zip_of({"../x.csv": b"x"}))])
    assert messages(opened) == ["../x.csv: the path points out of the package folder (an "
                                "absolute path or '..')"]
    assert [localized(p, "sv").message for p in opened.check.problems] == [
        "../x.csv: sökvägen pekar ut ur paketmappen (absolut sökväg eller '..')"]


def test_a_package_with_problems_is_refused_by_file_row_and_field_and_removed(package):
    entries = package_entries(package, prefix="pkg/")
    env = entries["pkg/innovation_environments.csv"].decode("utf-8")
    entries["pkg/innovation_environments.csv"] = env.replace(",science_park,", ",spaceport,")
    opened = open_bundle([("pkg.zip", zip_of(entries))])
    assert not opened.accepted and opened.check.territory is None
    (p,) = [p for p in opened.check.problems if p.severity == "error"]
    assert (p.source, p.row, p.field) == ("innovation_environments.csv", 2, "env_type")
    assert "/tmp" not in " ".join(str(q) for q in opened.check.problems)
    assert opened._holder is None  # nothing of a refused package is kept


def test_validate_takes_a_zip(package, tmp_path):
    path = tmp_path / "uppsala.zip"
    path.write_bytes(zip_of(package_entries(package)))
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    assert "county 03" in result.output and "TEST DATA" in result.output
    bad = tmp_path / "bad.zip"
    bad.write_bytes(zip_of({"../x.csv": b"x"}))
    result = runner.invoke(app, ["validate", str(bad)])
    assert result.exit_code == 1 and "points out of the package folder" in result.output


def test_names_are_shown_with_invisible_characters_escaped(package):
    spoof = "pkg/evil" + chr(0x202E) + "vsc.exe"
    opened = open_bundle([("bad" + chr(0x200F) + ".zip", zip_of({spoof: b"x"}))])
    (problem,) = opened.check.problems
    assert problem.source == "bad\\u200f.zip"
    assert problem.message.startswith("pkg/evil\\u202evsc.exe: a .exe file")
    assert chr(0x202E) not in problem.message
