"""Writing outputs safely: never over an input, never half-written, never over a file without --force.

Every output goes to a temporary file in the destination folder and is renamed into place only once
it is complete, so a crash or a full disk leaves the previous file (or nothing) rather than a
truncated workbook or report.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from compiler.problems import OutputError


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def check_output(path: str | Path, force: bool = False, inputs: tuple[str | Path, ...] = ()) -> Path:
    """Refuse an output that is an input, that exists without `force`, or whose folder is missing."""
    path = Path(path)
    for source in inputs:
        if _same_file(path, Path(source)) or path.resolve() == Path(source).resolve():
            raise OutputError(f"{path}: this is an input file; mifkit never writes to its inputs — "
                              "choose another output name")
    if path.exists() and not force:
        raise OutputError(f"{path}: already exists; add --force to replace it")
    if path.exists() and path.is_dir():
        raise OutputError(f"{path}: is a folder")
    if not path.parent.is_dir():
        raise OutputError(f"{path.parent}: no such folder")
    return path


@contextlib.contextmanager
def atomic_output(path: str | Path, force: bool = False,
                  inputs: tuple[str | Path, ...] = ()) -> Iterator[Path]:
    """Yield a temporary path to write; on success it replaces `path` in one rename."""
    path = check_output(path, force, inputs)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=f".tmp{path.suffix}", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
