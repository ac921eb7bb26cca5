from django.urls import path

from quality import views

app_name = "quality"

urlpatterns = [
    path("office/quality/employment/", views.employment, name="employment"),
    path("office/quality/employment/records/", views.employment_records,
         name="employment-records"),
]
