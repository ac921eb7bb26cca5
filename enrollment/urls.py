from django.urls import path

from enrollment import views

app_name = "enrollment"

urlpatterns = [
    path("admissions/", views.admissions, name="admissions"),
    path("admissions/<int:round_id>/apply/", views.apply, name="apply"),
    path("admissions/submitted/", views.submitted, name="submitted"),
    path("admissions/lookup/", views.lookup, name="lookup"),
    path("admissions/status/", views.status, name="status"),
    path("admissions/status/respond/", views.respond, name="respond"),
    path("admissions/status/close/", views.lookup_end, name="lookup-end"),
    path("student/record/", views.my_record, name="my-record"),
]
