from vetschool.accounts.models import PersonalDataAccess


def personal_data_access_log(*, user, subject, field: str = "national_id", path: str = "",
                             reason: str = "") -> None:
    """Record that `user` read the full value of `field` of `subject` (a model instance),
    and why."""
    PersonalDataAccess.objects.create(
        user=user,
        subject_type=subject._meta.label_lower,
        subject_id=str(subject.pk),
        subject_label=str(subject)[:200],
        field=field,
        path=path[:300],
        reason=reason,
    )
