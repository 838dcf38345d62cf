"""Writing the audit log. Every app that records something calls audit_record()."""

from __future__ import annotations

import logging
from typing import Any

from audit.models import AuditEvent

log = logging.getLogger("tarmoa.audit")


def audit_record(
    actor: Any, action: str, target: str = "", detail: dict | None = None, *, address: str = ""
) -> AuditEvent:
    """Record that `actor` (a user, a user name, or None) did `action` (an AuditEvent.Action
    value such as "curation" or "export") to `target` (e.g. "service:123"), with `detail`
    (a small JSON-able dict: never passwords, tokens or a resident's answers).

    `address` is given for login events only.
    """
    if action not in AuditEvent.Action.values:
        raise ValueError(f"unknown audit action {action!r}; add it to AuditEvent.Action")
    user = actor if getattr(actor, "pk", None) is not None and hasattr(actor, "get_username") else None
    if user is not None:
        name = user.get_username()
    elif actor is None or hasattr(actor, "get_username"):  # None or an anonymous user
        name = ""
    else:
        name = str(actor)
    event = AuditEvent.objects.create(
        actor=user,
        actor_name=name[:150],
        action=action,
        target=str(target)[:200],
        detail=detail or {},
        address=address or None,
    )
    log.info("audit %s %s %s", action, name or "-", target)
    return event
