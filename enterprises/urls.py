from django.urls import path

from enterprises import views

app_name = "enterprises"

urlpatterns = [
    path("jobs/", views.postings, name="postings"),
    path("jobs/submit/", views.posting_submit, name="posting-submit"),
    path("jobs/submitted/", views.posting_submitted, name="posting-submitted"),
]
