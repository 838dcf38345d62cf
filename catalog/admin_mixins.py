"""Admin helpers shared by apps."""

from __future__ import annotations


class StatisticsRowsAdmin:
    """Raw statistics rows (search log, survey answers): seen only by admins, changed by no one.

    Managers read statistics on the dashboard, never these rows; nobody edits or deletes
    them by hand (retention jobs remove them).
    """

    def _is_admin(self, request) -> bool:
        user = request.user
        return user.is_active and (user.is_superuser or user.groups.filter(name="admin").exists())

    def has_module_permission(self, request) -> bool:
        return self._is_admin(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return self._is_admin(request)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
