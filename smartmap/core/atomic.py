"""Atomic file writing: the one home. A target either keeps its old content or gets the complete
new one, never a part; data is fsynced before the rename and the folder after it.

>>> import tempfile, pathlib
>>> target = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
>>> atomic_write_text(target, "hej")
>>> target.read_text(encoding="utf-8")
'hej'
>>> atomic_write_text(target.parent, "hej")
Traceback (most recent call last):
...
IsADirectoryError: ... is a folder: give the name of a file to write
"""

from __future__ import annotations

import os
import secrets
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def atomic_target(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success move it into place, else remove it.

    The temporary file lives in a hidden folder in the same directory (same file system, so the
    final ``os.replace`` is atomic; GDAL's journal files stay inside it). ``path`` either keeps
    its old content or gets the complete new one, never a part.
    """
    path = Path(path)
    if path.is_dir():  # said plainly, before a temporary name can appear in the message
        raise IsADirectoryError(f"{path} is a folder: give the name of a file to write")
    tmp_dir = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent))
    tmp = tmp_dir / path.name
    try:
        yield tmp
        with open(tmp, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    finally:
        shutil.rmtree(tmp_dir, ignore_errors=True)
    _fsync_dir(path.parent)


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":  # pragma: no cover
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write bytes to ``path`` atomically (see :func:`atomic_target`)."""
    with atomic_target(path) as tmp, open(tmp, "wb") as handle:
        handle.write(data)


def atomic_write_text(path: Path, text: str) -> None:
    """Write UTF-8 text to ``path`` atomically (see :func:`atomic_target`)."""
    atomic_write_bytes(path, text.encode("utf-8"))


@contextmanager
def atomic_folder(path: Path) -> Iterator[Path]:
    """Yield a temporary folder beside ``path``; on success rename it to ``path``, else remove it.

    ``path`` must not exist or be an empty folder (which is replaced): the folder then appears
    with all its files at once, or not at all. Files written into the yielded folder need no
    atomicity of their own.
    """
    path = Path(path)
    if path.exists() and (not path.is_dir() or any(path.iterdir())):
        raise FileExistsError(f"{path} exists and is not an empty folder")
    tmp_dir = path.parent / f".{path.name}.{secrets.token_hex(6)}.tmp"
    tmp_dir.mkdir()  # unlike mkdtemp (0700), the folder gets the usual permissions (umask)
    try:
        yield tmp_dir
        for child in tmp_dir.rglob("*"):
            if child.is_file():
                with open(child, "rb") as handle:
                    os.fsync(handle.fileno())
        if path.is_dir():
            path.rmdir()
        os.replace(tmp_dir, path)
    finally:
        shutil.rmtree(tmp_dir, ignore_errors=True)
    _fsync_dir(path.parent)
