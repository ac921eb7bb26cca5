from django.urls import path

from training import views

app_name = "training"

urlpatterns = [
    path("teacher/", views.teacher_home, name="teacher-home"),
    path("student/", views.student_home, name="student-home"),
]
