"""The append-only audit trail of sensitive actions.

Services call ``record(...)`` inside their transaction, so an action and its audit row are written
together or not at all. Model field diffs are kept separately by django-auditlog.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from ecotone.kernel.models import SecurityEvent


def record(
    *,
    actor: Any,
    action: str,
    target: models.Model | None = None,
    detail: dict[str, Any] | None = None,
    ip_address: str | None = None,
) -> SecurityEvent:
    """Append one audit row. ``action`` is a dotted verb such as ``people.role_granted``."""
    actor_id = getattr(actor, "pk", None) if actor is not None else None
    return SecurityEvent.objects.create(
        actor_id=actor_id,
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_label=str(target)[:255] if target is not None else "",
        detail=detail or {},
        ip_address=ip_address,
    )
