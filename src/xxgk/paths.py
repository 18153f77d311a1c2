"""Where xxgk keeps its state. Pure: no Django here, so the pure packages may use it."""

from __future__ import annotations

import os
from pathlib import Path


def data_dir() -> Path:
    """The one folder holding all state: database, secret key, uploads, loaded calendars.

    ``XXGK_DATA_DIR`` wins; otherwise ``$XDG_DATA_HOME/xxgk`` (``~/.local/share/xxgk``).
    The folder is created on first use.
    """
    explicit = os.environ.get("XXGK_DATA_DIR")
    if explicit:
        path = Path(explicit).expanduser()
    else:
        base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
        path = Path(base) / "xxgk"
    path.mkdir(parents=True, exist_ok=True)
    return path
