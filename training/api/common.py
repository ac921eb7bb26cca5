"""What every training endpoint shares: the permission (reads for the offices and
teachers, writes by model permission) and input validation.
"""

from __future__ import annotations

from rest_framework import permissions, viewsets

from training import rules


class TrainingPermission(permissions.BasePermission):
    """Reads: the training and QA offices, and teachers (selectors narrow what they see).
    Writes: the model permission named by the view for its action."""

    def has_permission(self, request, view):
        user = request.user
        if not user.is_authenticated:
            return False
        if request.method in permissions.SAFE_METHODS:
            return rules.can_view_training(user) or rules.is_teacher(user)
        needed = view.write_permissions.get(view.action, ())
        return bool(needed) and all(user.has_perm(p) for p in needed)


def perms(model: str, *actions: str) -> tuple[str, ...]:
    return tuple(f"training.{action}_{model}" for action in actions)


class TrainingViewSet(viewsets.GenericViewSet):
    # Every training resource has a numeric id: another value in the URL is a 404 (in the
    # API's shape) before any view int()s it.
    lookup_value_regex = "[0-9]+"
    permission_classes = [TrainingPermission]
    write_permissions: dict[str, tuple[str, ...]] = {}

    def filters(self) -> dict:
        return {}


def valid(serializer_class, data, *, partial: bool = False) -> dict:
    serializer = (serializer_class(data=data, partial=partial)
                  if isinstance(serializer_class, type) else serializer_class.__class__(
                      data=data, partial=partial))
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)
