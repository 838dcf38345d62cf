"""OIDC_ROLE_MAP parsing, importable from settings (no Django models here)."""

from __future__ import annotations

# When the provider's groups give several roles, the one that may do most wins.
ROLE_PRIORITY = ("admin", "editor", "manager", "professional")


def parse_role_map(text: str) -> dict[str, str]:
    """ "group=role,group2=role2" -> {"group": "role", ...}; ValueError naming a bad entry."""
    mapping = {}
    for entry in filter(None, (part.strip() for part in text.split(","))):
        group, sep, role = entry.rpartition("=")
        if not sep or not group.strip() or role.strip() not in ROLE_PRIORITY:
            raise ValueError(
                f"OIDC_ROLE_MAP entry {entry!r} must be group=role with role one of {', '.join(ROLE_PRIORITY)}"
            )
        mapping[group.strip()] = role.strip()
    return mapping
