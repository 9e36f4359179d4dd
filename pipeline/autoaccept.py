"""Auto-accept: documents the machine read surely skip review, where a collection's policy says so.

An administrator sets a threshold per collection (``review.autoaccept``). A document newly
assembled in that collection is accepted without review only if nothing argues for a
reviewer: it carries no secrecy mark and is declared ``thuong``; none of its pages is low
quality; it is an administrative document or a personal file (not ``other``); the fields that
identify it are there; and every field it has is at or above the threshold, read with the
calibrated confidence (``extract._calibrate``: 0.9 means right 99 % of the time on held-out
documents). It is audited as accepted by policy and can be re-opened by a reviewer.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from audit import trail as audit
from core.db import AutoAcceptPolicy, Batch, Document
from core.db_review import FieldCorrection
from core.fields import fields_for
from core.states import DocumentStatus, is_low_quality

THRESHOLD_MIN, THRESHOLD_MAX = 0.80, 1.0
POLICY_ACTOR = "policy"  # who accepted, in field corrections; the audit names the system
# Without these a record cannot be found or cited, whatever the confidence of the rest.
IDENTIFYING = {
    "party_document": ("doc_type", "symbol", "date", "issuer", "subject", "signer_name"),
    "state_document": ("doc_type", "symbol", "date", "issuer", "subject", "signer_name"),
    "profile": ("profile.ho_ten", "profile.ngay_sinh"),
}


def _flat(fields: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in fields.items() if k != "profile"}
    profile = fields.get("profile")
    if isinstance(profile, dict):
        out.update({f"profile.{k}": v for k, v in profile.items()})
    return out


def refusal(
    kind: str,
    fields: dict[str, Any],
    confidence: dict[str, Any],
    classification: str,
    page_flags: list[list[str]],
    threshold: float,
) -> str | None:
    """Return why a document must be reviewed by a person, or None if the policy accepts it."""
    flat = _flat(fields)
    if classification != "thuong" or str(flat.get("secrecy") or "").strip():
        return "secrecy"
    if kind not in IDENTIFYING:
        return "kind"
    if any(is_low_quality(flags) for flags in page_flags):
        return "page_quality"
    for key in IDENTIFYING[kind]:
        if not str(flat.get(key) or "").strip():
            return f"missing:{key}"
    for spec in fields_for(kind):
        if spec.key == "page_count" or flat.get(spec.key) in (None, "", []):
            continue
        if float(confidence.get(spec.key) or 0.0) < threshold:
            return f"confidence:{spec.key}"
    return None


def apply_policy(s: Session, doc: Document, page_flags: list[list[str]]) -> bool:
    """Accept a newly assembled document if its collection's policy allows; True if it did."""
    batch = s.get(Batch, doc.batch_id)
    if batch is None or not batch.collection or doc.status != DocumentStatus.EXTRACTED:
        return False
    policy = s.get(AutoAcceptPolicy, batch.collection)
    if policy is None:
        return False
    why = refusal(
        doc.kind,
        doc.fields or {},
        doc.field_confidence or {},
        doc.classification,
        page_flags,
        policy.threshold,
    )
    if why is not None:
        return False
    s.add(
        FieldCorrection(
            document_id=doc.id,
            field="status",
            old_value=doc.status,
            new_value=DocumentStatus.REVIEWED,
            user=POLICY_ACTOR,
        )
    )
    audit.record(
        s,
        audit.SYSTEM,
        audit.DOC_AUTO_ACCEPTED,
        object_type="document",
        object_id=doc.id,
        details={"collection": batch.collection, "threshold": policy.threshold},
    )
    doc.status = DocumentStatus.REVIEWED
    doc.accepted_by_policy = True
    return True
