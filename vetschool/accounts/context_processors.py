from vetschool.accounts import roles


def portal(request):
    """The roles of the signed-in user, for the navigation of base.html."""
    names = roles.role_names_of(request.user) if hasattr(request, "user") else set()
    return {
        "user_roles": names,
        "is_registrar": roles.REGISTRAR in names,
        "is_teacher": roles.TEACHER in names,
        "is_learner": roles.LEARNER in names,
        "is_qa_officer": roles.QA_OFFICER in names,
        "is_hr_officer": roles.HR_OFFICER in names,
    }
