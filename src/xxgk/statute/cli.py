"""Sub-commands of this package (placeholder until the package lands)."""

from __future__ import annotations

import argparse
from typing import Any


def register(subparsers: Any) -> None:
    """Add this package's sub-commands to the ``xxgk`` parser."""
    del subparsers
    _ = argparse
