"""Every table module, imported once so ``Base.metadata`` knows the whole schema.

Alembic's env and anything that creates tables import this module. Each feature that adds
tables keeps them in its own ``core/db_<feature>.py`` (importing ``Base`` from ``core.db``)
and adds one import line here.
"""

from __future__ import annotations

from core import db  # noqa: F401  (batch, source_file, document, page, page_stage)
from core.db import Base

metadata = Base.metadata
