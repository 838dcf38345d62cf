"""The lockout backend: django-axes' check, for logins that come with a web request."""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend


class LockoutBackend(AxesStandaloneBackend):
    """Refuses a locked-out username or address before the password is checked.

    Axes insists on a request; an in-process authenticate() without one (a management
    command, Django's test client login) has no client to lock out, so it passes here and
    the password check of the next backend decides.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
