"""Writing an export so that the target is either the finished file or untouched.

The file is written under a temporary name in the target's folder and moved onto
the target (``os.replace``) only when complete, so a failure, a full disk or a
cancel never leaves a half-written workbook where the user expects one. Before the
rename the file's bytes are flushed to disk (``fsync``), and after it the folder's
entry, as form saving does (formfiles/yaml_format.py): after a power cut the target
is the old file or the whole new one, never an empty or partial file.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from qa_monitor.storage.errors import StorageFailure


class ExportError(Exception):
    """An export could not be written; the message names the file and what to do."""


class ExportWriteError(ExportError, StorageFailure):
    """The disk refused the export while it was written (full, read-only, failing)."""

    def __init__(self, path: Path, message: str):
        StorageFailure.__init__(self, path, message)


class ExportCancelled(ExportError):
    """The user cancelled the export; nothing was written."""

    def __init__(self, path: Path):
        super().__init__(f"Export to '{path}' cancelled; no file was written.")


def check_target(path: Path) -> None:
    """Refuse, before any work, a target that cannot be written (ExportError)."""
    if path.is_dir():
        raise ExportError(
            f"'{path}' is a folder. Choose a file name inside it, e.g. '{path}/qa.xlsx'."
        )
    folder = path.parent
    if not folder.is_dir():
        raise ExportError(
            f"Cannot write '{path}': the folder '{folder}' does not exist. "
            "Create it or choose another folder."
        )
    if path.exists():
        try:
            # Excel locks the files it has open (Windows); a read-only file refuses too.
            with path.open("r+b"):
                pass
        except OSError as exc:
            raise ExportError(
                f"Cannot replace '{path}': it is open in another program (such as Excel) "
                f"or read-only ({exc.strerror}). Close it there, or choose another file name."
            ) from exc


def _describe(path: Path, exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        return f"Cannot write '{path}': the disk is full. Free some space or choose another drive."
    if isinstance(exc, PermissionError):
        return (
            f"Cannot write '{path}': permission denied ({exc.strerror}). The file may be open "
            "in another program (such as Excel), or the folder is read-only. Close the file, "
            "or choose another folder."
        )
    return f"Cannot write '{path}': {exc.strerror or exc}. Choose another file name or folder."


@contextlib.contextmanager
def atomic_output(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path next to ``path``; on a normal exit it becomes ``path``.

    On any exception (including ``ExportCancelled``) the temporary file is removed and
    the target is left as it was. OSErrors become ExportError with a clear message.
    """
    target = Path(path).expanduser().absolute()
    check_target(target)
    try:
        fd, temp_name = tempfile.mkstemp(
            prefix=f".{target.stem[:40]}-", suffix=f".tmp{target.suffix}", dir=target.parent
        )
    except OSError as exc:
        raise ExportWriteError(target, _describe(target, exc)) from exc
    os.close(fd)
    temp = Path(temp_name)
    try:
        yield temp
        # mkstemp makes a private file; an export keeps the old file's mode or gets the
        # usual one (reading umask would change it for every thread for a moment).
        mode = target.stat().st_mode & 0o777 if target.exists() else 0o644
        with contextlib.suppress(OSError):
            os.chmod(temp, mode)
        _fsync_file(temp)
        os.replace(temp, target)
        _fsync_folder(target.parent)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise ExportWriteError(target, _describe(target, exc)) from exc
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def _fsync_file(path: Path) -> None:
    with path.open("rb+") as f:
        os.fsync(f.fileno())


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable; Windows cannot open a folder, and does not need to."""
    if os.name == "nt":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
