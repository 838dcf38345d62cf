"""Logins, failed logins and lockouts into the audit log (connected in AccountsConfig.ready).

Django and django-axes announce these only as signals; recording them is the whole reaction.
"""

from __future__ import annotations

from audit.services import audit_record
from tarmoa.lib.clientip import client_ip


def _address(request) -> str:
    return client_ip(request) if request is not None else ""


def on_login(sender, request, user, **kwargs) -> None:
    audit_record(user, "login", address=_address(request))


def on_logout(sender, request, user, **kwargs) -> None:
    if user is not None:
        audit_record(user, "logout", address=_address(request))


def on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    # Django has already replaced the password with asterisks; only the name is kept.
    username = str((credentials or {}).get("username", ""))[:150]
    audit_record(username or None, "login_failed", address=_address(request))


def on_locked_out(sender, request, username, ip_address, **kwargs) -> None:
    audit_record(
        str(username or "")[:150] or None, "lockout", detail={"address": ip_address or ""}, address=_address(request)
    )


def connect() -> None:
    from axes.signals import user_locked_out
    from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

    user_logged_in.connect(on_login, dispatch_uid="tarmoa-audit-login")
    user_logged_out.connect(on_logout, dispatch_uid="tarmoa-audit-logout")
    user_login_failed.connect(on_login_failed, dispatch_uid="tarmoa-audit-login-failed")
    user_locked_out.connect(on_locked_out, dispatch_uid="tarmoa-audit-lockout")
