"""Where xxgk keeps its state. Pure: no Django here, so the pure packages may use it."""

from __future__ import annotations

import os
from pathlib import Path


class DataDirError(OSError):
    """The data folder cannot be used; the message names ``XXGK_DATA_DIR`` in plain words."""


def data_dir() -> Path:
    """The one folder holding all state: database, secret key, uploads, loaded calendars.

    ``XXGK_DATA_DIR`` wins; otherwise ``$XDG_DATA_HOME/xxgk`` (``~/.local/share/xxgk``).
    The folder is created on first use. Raises :class:`DataDirError` (plain words, naming the
    variable) when it cannot be: the path is a file, or lies where folders cannot be made.
    """
    explicit = os.environ.get("XXGK_DATA_DIR")
    if explicit:
        path = Path(explicit).expanduser()
    else:
        base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
        path = Path(base) / "xxgk"
    if path.exists() and not path.is_dir():
        raise DataDirError(f"XXGK_DATA_DIR: {path} is a file, not a folder; name a folder")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise DataDirError(
            f"XXGK_DATA_DIR: cannot create the data folder {path} ({reason}); "
            "name a folder this user may write to"
        ) from None
    return path
