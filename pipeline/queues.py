"""The Celery queue names: pages are read on one, documents assembled and indexed on the other."""

from __future__ import annotations

OCR_QUEUE = "ocr"
INDEX_QUEUE = "index"
QUEUES = (OCR_QUEUE, INDEX_QUEUE)
