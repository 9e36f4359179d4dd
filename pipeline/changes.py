"""The one "documents changed" hook: what follows whenever documents' records change.

Assembling a batch, a reviewer's correction, acceptance, a split or merge, a classification
change and a re-OCR all end here, so adding a consequence of a change (today: the search
index) is one line in one place, never a call sprinkled over every action (paperless-ngx's
``document_consumption_finished`` signal plays the same part).
"""

from __future__ import annotations

from collections.abc import Iterable

from core.context import AppContext
from pipeline.indexing import index_documents


def documents_changed(ctx: AppContext, doc_ids: Iterable[int]) -> None:
    """Bring everything derived from these documents' records up to date.

    Call it after the change is committed; ids of documents that no longer exist are fine
    (their index entries go).
    """
    ids = sorted(set(doc_ids))
    if ids:
        index_documents(ctx, ids)
