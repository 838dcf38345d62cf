"""Strict, typed reading of environment variables for settings.

Every variable has a safe default; a malformed value stops start-up with
ImproperlyConfigured naming the variable, instead of silently meaning something else.
"""

from __future__ import annotations

import os
from urllib.parse import urlparse

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _raw(name: str) -> str | None:
    value = os.environ.get(name)
    return None if value is None else value.strip()


def env_str(name: str, default: str = "") -> str:
    value = _raw(name)
    return default if value is None or value == "" else value


def env_bool(name: str, default: bool = False) -> bool:
    value = _raw(name)
    if value is None:
        return default
    if value.lower() in _TRUE:
        return True
    if value.lower() in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false (1/0, yes/no, on/off), not {value!r}")


def env_int(name: str, default: int, *, minimum: int | None = None, maximum: int | None = None) -> int:
    value = _raw(name)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        raise ImproperlyConfigured(f"{name} must be between {minimum} and {maximum}, not {number}")
    return number


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    value = _raw(name)
    if value is None or value == "":
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]


def env_choice(name: str, default: str, choices: set[str]) -> str:
    value = env_str(name, default)
    if value not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(sorted(choices))}, not {value!r}")
    return value


def env_url(name: str, default: str, *, schemes: set[str]) -> str:
    value = env_str(name, default)
    parsed = urlparse(value)
    if parsed.scheme not in schemes or not (parsed.netloc or parsed.path):
        raise ImproperlyConfigured(f"{name} must be a {'/'.join(sorted(schemes))} URL, not {value!r}")
    return value


def database_from_url(name: str, url: str) -> dict:
    """Django DATABASES entry from a postgres:// URL (host may be a socket folder)."""
    parsed = urlparse(url)
    if parsed.scheme not in {"postgres", "postgresql"}:
        raise ImproperlyConfigured(f"{name} must start with postgres:// or postgresql://, not {url!r}")
    from urllib.parse import parse_qs, unquote

    query = {k: v[-1] for k, v in parse_qs(parsed.query).items()}
    host = unquote(parsed.hostname or "") or query.pop("host", "")
    db_name = unquote(parsed.path.lstrip("/"))
    if not db_name:
        raise ImproperlyConfigured(f"{name} has no database name: {url!r}")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": db_name,
        "USER": unquote(parsed.username or ""),
        "PASSWORD": unquote(parsed.password or ""),
        "HOST": host,
        "PORT": str(parsed.port or ""),
        "OPTIONS": query,
    }


RATE_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def env_rates(name: str, defaults: dict[str, tuple[int, int] | None]) -> dict[str, tuple[int, int] | None]:
    """Rate limits as `bucket=N/unit` pairs (`search=30/m,api=60/m`; units s, m, h, d).

    Buckets left out keep their defaults; `bucket=off` turns one off and the whole value
    `off` turns every limit off (benchmarks). Returns bucket -> (limit, period in seconds) or None.
    """
    value = env_str(name, "")
    rates = dict(defaults)
    if value.lower() == "off":
        return dict.fromkeys(rates)
    for item in filter(None, (part.strip() for part in value.split(","))):
        bucket, _, rate = item.partition("=")
        bucket, rate = bucket.strip(), rate.strip().lower()
        if bucket not in rates:
            raise ImproperlyConfigured(f"{name}: unknown limit {bucket!r}; known: {', '.join(sorted(rates))}")
        if rate == "off":
            rates[bucket] = None
            continue
        count, _, unit = rate.partition("/")
        if not count.isascii() or not count.isdigit() or int(count) < 1 or unit not in RATE_UNITS:
            raise ImproperlyConfigured(
                f"{name}: {item!r} must look like {bucket}=30/m (units s, m, h, d) or {bucket}=off"
            )
        rates[bucket] = (int(count), RATE_UNITS[unit])
    return rates
