"""Whether a stream is a person's terminal that shows styles: standard library only, so a call answered by the
resident process (search/resident.py) can tell it before importing anything heavy."""

from __future__ import annotations

import os
from typing import TextIO


def styles_for(stream: TextIO) -> bool:
    """Escape codes only for a person at a terminal that shows them (https://no-color.org is honoured)."""
    try:
        tty = stream.isatty()
    except (AttributeError, ValueError):  # a closed or replaced stream
        return False
    return tty and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"
