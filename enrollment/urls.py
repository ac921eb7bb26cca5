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
    path("student/record/personal-data.json", views.my_data_json, name="my-data-json"),
    path("student/record/personal-data.pdf", views.my_data_pdf, name="my-data-pdf"),
    path("student/record/corrections/", views.my_corrections, name="my-corrections"),
]
