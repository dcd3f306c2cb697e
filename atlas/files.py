"""Reading and writing the repository's data files: errors in words, writes whole or not at all."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path


class FileError(ValueError):
    """A file cannot be read or written; the message says which and why, in Chinese."""


def read_bytes(path: str | Path) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as error:
        raise FileError(f"无法读取 {path}：{_why(error)}") from None


def write_text(path: str | Path, text: str) -> None:
    """:func:`write_atomic`, with a :class:`FileError` that says why it failed."""
    try:
        write_atomic(path, text)
    except OSError as error:
        raise FileError(f"无法写入 {path}：{_why(error)}") from None


def _why(error: OSError) -> str:
    if isinstance(error, FileNotFoundError):
        return "文件或文件夹不存在"
    if isinstance(error, IsADirectoryError):
        return "这是一个文件夹，不是文件"
    if isinstance(error, PermissionError):
        return "没有权限"
    return error.strerror or str(error)


def write_atomic(path: str | Path, text: str) -> None:
    """Replace ``path`` with ``text`` (UTF-8, LF as given): a temporary file in the same
    folder, fsync, os.replace.

    Interrupted at any point (Ctrl-C included), the old file stays whole and no temporary
    file is left behind. A symlinked file is written through the link, and the file keeps
    its permissions.
    """
    path = Path(os.path.realpath(path))
    mode = stat.S_IMODE(path.stat().st_mode) if path.exists() else 0o644
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    _sync_folder(path.parent)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable where the platform allows it (not on Windows)."""
    if not hasattr(os, "O_DIRECTORY"):
        return
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
