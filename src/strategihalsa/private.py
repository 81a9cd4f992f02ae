"""Private folders: the HTTP cache and the local store hold answers sfh reads back and
trusts, so their folders must belong to the user and be writable by nobody else."""

from __future__ import annotations

import os
import stat
from pathlib import Path


def make_private_folder(folder: Path) -> None:
    """Create the folder (and its parents) if it is missing, the folder itself mode 0700."""
    if not folder.exists():
        folder.mkdir(parents=True, mode=0o700)
        folder.chmod(0o700)


def folder_problem(folder: Path) -> str | None:
    """Why the folder must not hold private data, or None."""
    info = folder.stat()
    if not stat.S_ISDIR(info.st_mode):
        return "it is not a folder"
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        return "it belongs to another user"
    if info.st_mode & 0o022:
        return (f"other users may write to it (mode {stat.S_IMODE(info.st_mode):o}; "
                f"'chmod 700 {folder}' fixes that)")
    return None
