from django.urls import path

from staff import views

app_name = "staff"

urlpatterns = [
    path("teacher/profile/", views.profile, name="profile"),
    path("teacher/profile/trainings/", views.my_trainings, name="my-trainings"),
    path("teacher/profile/courseware/", views.my_courseware, name="my-courseware"),
    path("teacher/profile/courseware/new/", views.courseware_edit, name="courseware-create"),
    path("teacher/profile/courseware/<int:pk>/edit/", views.courseware_edit,
         name="courseware-edit"),
    path("teacher/profile/self-assessment/", views.self_assessment, name="self-assessment"),
    path("staff/indicators/", views.indicators_page, name="indicators"),
    path("staff/certificates/<int:pk>/", views.certificate, name="certificate"),
    path("staff/courseware/<int:pk>/file/", views.courseware_file, name="courseware-file"),
]
