from django.urls import path

from quality import views, views_dashboard

app_name = "quality"

urlpatterns = [
    path("office/quality/employment/", views.employment, name="employment"),
    path("office/quality/employment/records/", views.employment_records,
         name="employment-records"),
    path("office/quality/dashboard/", views_dashboard.dashboard, name="dashboard"),
    path("office/quality/dashboard/records/", views_dashboard.dashboard_records,
         name="dashboard-records"),
]
