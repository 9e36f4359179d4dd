"""The office's mission date: the archive must be digitized before 31/12/2026."""

from __future__ import annotations

import datetime as dt

# A collection of the plan without a deadline of its own is due then.
DEADLINE = dt.date(2026, 12, 31)
