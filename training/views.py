"""Portal pages of the teacher and the learner."""

from django.shortcuts import render

from vetschool.accounts.decorators import role_required
from vetschool.accounts.roles import LEARNER, TEACHER


@role_required(TEACHER)
def teacher_home(request):
    return render(request, "training/teacher_home.html")


@role_required(LEARNER)
def student_home(request):
    return render(request, "training/student_home.html")
