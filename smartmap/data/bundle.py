"""A region package brought as bytes: a zip of the package folder, or its files uploaded together.

:func:`open_bundle` unpacks what a user brings into a private temporary folder, within stated
bounds, and checks it as a whole package (:func:`smartmap.data.package.check_package`). Nothing
of a refused bundle is kept; an accepted one is kept in its folder for as long as the
:class:`OpenedPackage` lives (a population grid is read from it when the metrics need it).

The bounds (:class:`BundleLimits`; their defaults are the one place to change them, and the
natural move is to ``smartmap.core.limits`` once that module exists on main):

- everything uploaded together: at most ``Settings.max_upload_bytes`` (20 MiB), checked first;
- a zip: at most ``max_files`` entries and ``max_unpacked_bytes`` when unpacked, counted while
  unpacking (a zip's own size fields can lie), entries at most ``max_depth`` folders deep;
- no entry outside the package folder: absolute paths, ``..`` and links are refused, never
  followed; no archive inside the zip (a ``.zip``/``.gz``/... name or zip content), no encrypted
  entry; only the file types a package holds (``ALLOWED_SUFFIXES``); the operating systems'
  clutter (``__MACOSX/``, ``.DS_Store``, ``Thumbs.db``, hidden files) is skipped;
- exactly one ``region.toml``: its folder is the package; files outside it are refused.

Every refusal names the upload and the entry (keyed problems, catalog keys ``bundle_*`` of
``msgctxt "problem"``: a page shows them in the user's language with
:func:`smartmap.core.problemtext.localized`); a problem of the package itself is a file/row/field
line of the package check.

>>> import io, zipfile
>>> from smartmap.core.problemtext import localized
>>> raw = io.BytesIO()
>>> with zipfile.ZipFile(raw, "w") as z:
...     z.writestr("pkg/region.toml", '[region]\\ncounty = "03"\\n')
...     z.writestr("../evil.csv", "x")
>>> opened = open_bundle([("pkg.zip", raw.getvalue())])
>>> opened.accepted, [p.message for p in opened.check.problems]
(False, ["../evil.csv: the path points out of the package folder (an absolute path or '..')"])
>>> [localized(p, "sv").message for p in opened.check.problems]
["../evil.csv: sökvägen pekar ut ur paketmappen (absolut sökväg eller '..')"]
"""

from __future__ import annotations

import io
import stat
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath

from smartmap.core.errors import Problem
from smartmap.core.limits import MAX_PACKAGE_DEPTH, MAX_PACKAGE_FILES, MAX_PACKAGE_UNPACKED_BYTES
from smartmap.core.problemtext import keyed, map_text
from smartmap.core.settings import Settings, get_settings
from smartmap.data.package import PackageCheck, check_package
from smartmap.data.region import MANIFEST
from smartmap.data.safety import file_label

ALLOWED_SUFFIXES = (".toml", ".csv", ".md", ".txt", ".gpkg", ".geojson", ".json")
"""File types a package holds: manifest, layer tables, README/PROVENANCE, population sources."""
ARCHIVE_SUFFIXES = (".zip", ".gz", ".tgz", ".tar", ".bz2", ".xz", ".7z", ".rar", ".zst")
CLUTTER = ("__MACOSX", ".DS_Store", "Thumbs.db", "desktop.ini")
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
CHUNK = 1 << 20
MIB = 1024 * 1024


@dataclass(frozen=True)
class BundleLimits:
    """The bounds on a package brought as bytes (see the module docstring)."""

    max_bytes: int = 20 * MIB
    """Everything uploaded together (the zip, or the files' sum)."""
    max_files: int = MAX_PACKAGE_FILES
    """Files in the package (zip entries, folders not counted)."""
    max_unpacked_bytes: int = MAX_PACKAGE_UNPACKED_BYTES
    """What a zip may unpack to (a population grid of a county fits easily)."""
    max_depth: int = MAX_PACKAGE_DEPTH
    """Folder levels of a zip entry (``pkg/data/grid.gpkg`` is 2)."""

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> BundleLimits:
        """The limits with the upload size of the settings."""
        settings = settings or get_settings()
        return cls(max_bytes=settings.max_upload_bytes)


@dataclass
class OpenedPackage:
    """A bundle unpacked and checked; ``folder`` lives as long as this object (or :meth:`close`)."""

    name: str
    check: PackageCheck
    _holder: tempfile.TemporaryDirectory[str] | None = None

    @property
    def accepted(self) -> bool:
        """The package can be used (``smartmap validate`` would exit 0)."""
        return self.check.ok and self._holder is not None

    def close(self) -> None:
        """Remove the unpacked files (the territory already in memory is unaffected)."""
        if self._holder is not None:
            self._holder.cleanup()
            self._holder = None


class _Refusal(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


def _mb(n: int) -> str:
    return f"{n / MIB:.1f}".rstrip("0").rstrip(".")


def _is_zip(name: str, data: bytes) -> bool:
    return data[:4] in ZIP_MAGIC or name.lower().endswith(".zip")


def _clutter(parts: Sequence[str]) -> bool:
    return any(p in CLUTTER or p.startswith(".") for p in parts)


def _entry_problem(source: str, entry: str, parts: Sequence[str],
                   limits: BundleLimits) -> Problem | None:
    """Why an entry cannot be unpacked by its name (``None``: it can; its content is checked
    while unpacking)."""
    suffix = PurePosixPath(entry).suffix.lower()
    entry = file_label(entry)
    if suffix in ARCHIVE_SUFFIXES:
        return _refused(source, "bundle_nested", entry=entry)
    if suffix not in ALLOWED_SUFFIXES:
        return _refused(source, "bundle_file_type", entry=entry,
                        suffix=file_label(suffix) or "?", allowed=", ".join(ALLOWED_SUFFIXES))
    if len(parts) - 1 > limits.max_depth:
        return _refused(source, "bundle_too_deep", entry=entry, limit=limits.max_depth)
    return None


def _refused(source: str, code: str, **args: object) -> Problem:
    return keyed(source, None, None, code, None, "error", None, **args)


def _safe_parts(raw: str) -> tuple[str, ...] | None:
    """The path parts of a zip entry, or ``None`` when it would leave the package folder."""
    name = raw.replace("\\", "/")
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return None
    parts = tuple(p for p in name.split("/") if p not in ("", "."))
    if any(p == ".." for p in parts):
        return None
    return parts


def _unzip(name: str, data: bytes, dest: Path, limits: BundleLimits) -> Path:
    """Unpack a zip into ``dest`` within the limits; the package folder (holding region.toml)."""
    name = file_label(name)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as exc:
        raise _Refusal([_refused(name, "bundle_not_zip", reason=exc)]) from None
    if len(infos) > 4 * limits.max_files:  # folders and clutter included: refuse before looking
        raise _Refusal([_refused(name, "bundle_too_many_files", n=len(infos),
                                 limit=limits.max_files)])
    problems: list[Problem] = []
    wanted: list[tuple[zipfile.ZipInfo, tuple[str, ...]]] = []
    for info in infos:
        parts = _safe_parts(info.filename)
        if parts is None:
            problems.append(_refused(name, "bundle_unsafe_path", entry=file_label(info.filename)))
            continue
        if info.is_dir() or not parts or _clutter(parts):
            continue
        mode = info.external_attr >> 16
        if stat.S_ISLNK(mode):
            problems.append(_refused(name, "bundle_link", entry=file_label(info.filename)))
        elif info.flag_bits & 0x1:
            problems.append(_refused(name, "bundle_encrypted", entry=file_label(info.filename)))
        elif (why := _entry_problem(name, info.filename, parts, limits)) is not None:
            problems.append(why)
        else:
            wanted.append((info, parts))
    if len(wanted) > limits.max_files:
        problems.append(_refused(name, "bundle_too_many_files", n=len(wanted),
                                 limit=limits.max_files))
    if sum(info.file_size for info, _ in wanted) > limits.max_unpacked_bytes:
        problems.append(_refused(name, "bundle_unpacked_too_big",
                                 limit=_mb(limits.max_unpacked_bytes)))
    roots = [parts[:-1] for _, parts in wanted if parts[-1] == MANIFEST]
    if not problems:
        if not roots:
            problems.append(_refused(name, "bundle_no_manifest"))
        elif len(roots) > 1:
            problems.append(_refused(name, "bundle_several_manifests", where=", ".join(
                file_label("/".join((*r, MANIFEST))) for r in roots)))
    if problems:
        raise _Refusal(problems)
    root = roots[0]
    seen: set[tuple[str, ...]] = set()
    total = 0
    for info, parts in wanted:
        if parts[:len(root)] != root:
            problems.append(_refused(name, "bundle_outside_root", entry=file_label(info.filename),
                                     root=file_label("/".join(root)) or "/"))
            continue
        inner = parts[len(root):]
        if inner in seen:
            problems.append(_refused(name, "bundle_duplicate", entry=file_label(info.filename)))
            continue
        seen.add(inner)
        target = dest.joinpath(*inner)
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            with archive.open(info) as src, open(target, "wb") as out:
                head = b""
                while chunk := src.read(CHUNK):
                    if not head:
                        head = chunk[:4]
                        if head in ZIP_MAGIC:
                            raise _Refusal([_refused(name, "bundle_nested",
                                                     entry=file_label(info.filename))])
                    total += len(chunk)
                    if total > limits.max_unpacked_bytes:
                        raise _Refusal([_refused(name, "bundle_unpacked_too_big",
                                                 limit=_mb(limits.max_unpacked_bytes))])
                    out.write(chunk)
        except (zipfile.BadZipFile, EOFError, NotImplementedError, RuntimeError) as exc:
            raise _Refusal([_refused(name, "bundle_not_zip",
                                     reason=f"{file_label(info.filename)}: {exc}")]) from None
    if problems:
        raise _Refusal(problems)
    return dest


def _loose(files: Sequence[tuple[str, bytes]], dest: Path, limits: BundleLimits) -> Path:
    """Write files uploaded together (names without folders) into ``dest``."""
    problems: list[Problem] = []
    seen: set[str] = set()
    kept: list[tuple[str, bytes]] = []
    for raw, data in files:
        base = PurePosixPath(raw.replace("\\", "/")).name
        if not base or base in ("..", "."):
            problems.append(_refused(file_label(raw), "bundle_unsafe_path",
                                     entry=file_label(raw)))
            continue
        if _clutter((base,)):
            continue
        why = _entry_problem(file_label(base), base, (base,), limits)
        if why is not None:
            problems.append(why)
        elif base in seen:
            problems.append(_refused(file_label(base), "bundle_duplicate", entry=file_label(base)))
        else:
            seen.add(base)
            kept.append((base, data))
    if len(kept) > limits.max_files:
        problems.append(_refused("", "bundle_too_many_files", n=len(kept),
                                 limit=limits.max_files))
    if not problems and MANIFEST not in seen:
        problems.append(_refused(MANIFEST, "bundle_no_manifest"))
    if problems:
        raise _Refusal(problems)
    for base, data in kept:
        (dest / base).write_bytes(data)
    return dest


def _label(files: Sequence[tuple[str, bytes]]) -> str:
    """The upload as messages name it: the file's name, or the first few names."""
    names = [file_label(PurePosixPath(n.replace("\\", "/")).name) for n, _ in files]
    return ", ".join(names[:3]) + (f" (+{len(names) - 3})" if len(names) > 3 else "")


def open_bundle(files: Sequence[tuple[str, bytes]], limits: BundleLimits | None = None,
                county: str | None = None) -> OpenedPackage:
    """Unpack and check a package brought as ``(file name, bytes)`` pairs: one zip of the package
    folder, or the package's files. Never raises for bad input: a refusal is an
    :class:`OpenedPackage` that is not ``accepted``, with every problem in ``check.problems``
    (keyed: :func:`smartmap.core.problemtext.localized` gives them in the user's language)."""
    limits = limits or BundleLimits.from_settings()
    name = _label(files) if files else ""
    total = sum(len(data) for _, data in files)
    early: list[Problem] = []
    if not files:
        early.append(_refused(name, "bundle_empty"))
    elif total > limits.max_bytes:
        early.append(_refused(name, "bundle_too_big", size=_mb(total),
                              limit=_mb(limits.max_bytes)))
    elif len(files) > 1 and any(_is_zip(n, d) for n, d in files):
        early.append(_refused(name, "bundle_one_zip"))
    if early:
        return OpenedPackage(name, PackageCheck(Path(name), None, tuple(early)))
    holder = tempfile.TemporaryDirectory(prefix="smartmap-package-")
    dest = Path(holder.name) / "package"
    dest.mkdir()
    try:
        if len(files) == 1 and _is_zip(*files[0]):
            root = _unzip(files[0][0], files[0][1], dest, limits)
        else:
            root = _loose(files, dest, limits)
    except _Refusal as exc:
        holder.cleanup()
        return OpenedPackage(name, PackageCheck(Path(name), None, tuple(exc.problems)))
    check = _named(check_package(root, county), root, name)
    if not check.ok:
        holder.cleanup()
        return OpenedPackage(name, check)
    return OpenedPackage(name, check, holder)


def _named(check: PackageCheck, root: Path, name: str) -> PackageCheck:
    """The check with the temporary folder's path replaced by the upload's name in messages."""
    hidden = (str(root.resolve()), str(root))

    def clean(text: str) -> str:
        for h in hidden:
            text = text.replace(h, name)
        return text

    problems = tuple(map_text(p, clean) for p in check.problems)
    return replace(check, problems=problems, folder=Path(name))

