from vetschool import workqueue
from vetschool.accounts import roles


def portal(request):
    """The roles of the signed-in user, for the navigation of base.html."""
    user = getattr(request, "user", None)
    names = roles.role_names_of(user) if user is not None else set()
    return {
        "user_roles": names,
        "is_registrar": roles.REGISTRAR in names,
        "is_teacher": roles.TEACHER in names,
        "is_learner": roles.LEARNER in names,
        "is_qa_officer": roles.QA_OFFICER in names,
        "is_hr_officer": roles.HR_OFFICER in names,
        "has_work_queue": user is not None and workqueue.has_queue(user),
        # Called by the template only where shown (the admin's header): the office pages.
        "office_pages": (lambda: workqueue.pages_for(user)) if user is not None else list,
    }
