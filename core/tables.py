"""Every table module, imported once so ``Base.metadata`` knows the whole schema.

Alembic's env and anything that creates tables import this module. Each feature that adds
tables keeps them in its own ``core/db_<feature>.py`` (importing ``Base`` from ``core.db``)
and adds one import line here.
"""

from __future__ import annotations

from core import (
    db,  # noqa: F401  (batch, source_file, document, page, page_stage)
    db_audit,  # noqa: F401  (audit_log, audit_head)
    db_plan,  # noqa: F401  (collection)
    db_review,  # noqa: F401  (field_correction, boundary_change)
    db_users,  # noqa: F401  (app_user, user_session, api_token)
)
from core.db import Base

metadata = Base.metadata
