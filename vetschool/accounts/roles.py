"""The roles of the system, as Django groups, and what each may do.

Permissions are named by app label (all of that app's permissions) or by
"app_label.codename"; names, not imports, so the platform knows no domain app.
Data migrations create the groups (0002) and grant their permissions (0003, which
first creates the permissions of every installed model); after every `migrate` the
same table is granted again, so models and apps added later reach their roles too.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

REGISTRAR = "registrar"
TEACHER = "teacher"
LEARNER = "learner"
QA_OFFICER = "qa_officer"
HR_OFFICER = "hr_officer"

# The office roles' home: their work queue (vetschool.workqueue), which links the admin.
WORK_QUEUE = "office-home"


@dataclass(frozen=True)
class Role:
    name: str
    label: str
    home: str  # URL name of the role's home page
    staff: bool  # may enter the Django admin
    # Must complete a second factor (TOTP) after the password: every staff role, teachers
    # included (a stolen teacher password is a changed grade). vetschool.accounts.mfa
    second_factor: bool = True
    full_apps: tuple[str, ...] = ()
    view_apps: tuple[str, ...] = ()
    extra: tuple[str, ...] = field(default=())


ROLES: dict[str, Role] = {
    REGISTRAR: Role(
        REGISTRAR,
        _("Registrar (training office)"),
        home=WORK_QUEUE,
        staff=True,
        full_apps=("enrollment", "training", "grading", "degrees", "enterprises"),
        view_apps=("reference", "staff", "quality", "sync"),
        extra=(
            "reference.add_occupation",
            "reference.change_occupation",
            # The catalogue comes from the ministry's list: the office loads and
            # exports it; QA and HR only read it (view_apps).
            "reference.import_occupation",
            "reference.export_occupation",
            "reference.change_institution",
            "accounts.view_personaldataaccess",
            # The training office starts "sync now", reconciliations and retries of
            # rejected records on the sync dashboard (it already sees the dashboard).
            "sync.push",
        ),
    ),
    QA_OFFICER: Role(
        QA_OFFICER,
        _("Quality assurance officer"),
        home=WORK_QUEUE,
        staff=True,
        full_apps=("quality",),
        view_apps=("reference", "enrollment", "training", "grading", "degrees", "staff",
                   "enterprises"),
    ),
    HR_OFFICER: Role(
        HR_OFFICER,
        _("Human resources officer"),
        home=WORK_QUEUE,
        staff=True,
        full_apps=("staff",),
        view_apps=("reference",),
    ),
    TEACHER: Role(TEACHER, _("Teacher"), home="training:teacher-home", staff=False),
    LEARNER: Role(LEARNER, _("Learner"), home="grading:student-home", staff=False,
                  second_factor=False),
}

SUPERUSER_HOME = WORK_QUEUE


def role_names_of(user) -> set[str]:
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_role_names", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        user._role_names = cached
    return cached


def has_role(user, role: str) -> bool:
    return role in role_names_of(user)


def users_with_role(role: str):
    """The active users holding `role` (who a reminder of that office goes to)."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(groups__name=role, is_active=True).distinct()


def is_training_office(user) -> bool:
    """The training office (phòng đào tạo): the registrar role, or a superuser. The one
    definition every app's rules use."""
    return user.is_authenticated and (user.is_superuser or has_role(user, REGISTRAR))


def home_url_name(user) -> str:
    """The home of a user's first role, in the order of ROLES; staff roles first."""
    if user.is_superuser:
        return SUPERUSER_HOME
    names = role_names_of(user)
    for role in ROLES.values():
        if role.name in names:
            return role.home
    return "accounts:no-role"


def sync_role_permissions(*, using: str = "default") -> None:
    from django.contrib.auth.models import Group, Permission

    for role in ROLES.values():
        group, _created = Group.objects.using(using).get_or_create(name=role.name)
        permissions = Permission.objects.using(using).filter(
            content_type__app_label__in=role.full_apps
        )
        view = Permission.objects.using(using).filter(
            content_type__app_label__in=role.view_apps, codename__startswith="view_"
        )
        extra_ids = [
            p.pk
            for spec in role.extra
            for p in Permission.objects.using(using).filter(
                content_type__app_label=spec.split(".")[0], codename=spec.split(".")[1]
            )
        ]
        group.permissions.set(
            list(permissions.values_list("pk", flat=True))
            + list(view.values_list("pk", flat=True))
            + extra_ids
        )
