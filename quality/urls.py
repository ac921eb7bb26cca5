from django.urls import path

from quality import views, views_dashboard, views_opendata, views_reports, views_surveys

app_name = "quality"

urlpatterns = [
    path("office/quality/employment/", views.employment, name="employment"),
    path("office/quality/employment/records/", views.employment_records,
         name="employment-records"),
    path("office/quality/dashboard/", views_dashboard.dashboard, name="dashboard"),
    path("office/quality/dashboard/records/", views_dashboard.dashboard_records,
         name="dashboard-records"),
    path("office/quality/reports/", views_reports.report_list, name="reports"),
    path("office/quality/reports/<int:pk>/", views_reports.report_detail, name="report"),
    path("office/quality/reports/<int:pk>/xlsx/", views_reports.report_xlsx,
         name="report-xlsx"),
    path("office/quality/reports/<int:pk>/pdf/", views_reports.report_pdf, name="report-pdf"),
    path("open-data/quality/statistics.csv", views_opendata.statistics_csv,
         name="open-data-csv"),
    path("open-data/quality/statistics.json", views_opendata.statistics_json,
         name="open-data-json"),
    path("open-data/quality/catalog.json", views_opendata.catalog_json,
         name="open-data-catalog"),
]

urlpatterns += [
    path("my/surveys/", views_surveys.my_surveys, name="my-surveys"),
    path("my/surveys/<int:pk>/", views_surveys.my_survey_answer,
         name="my-survey-answer"),
    path("survey/<str:token>/", views_surveys.survey_link, name="survey-link"),
    path("office/quality/surveys/", views_surveys.survey_list, name="surveys"),
    path("office/quality/surveys/<int:pk>/", views_surveys.survey_results,
         name="survey-results"),
    path("office/quality/surveys/<int:pk>/xlsx/", views_surveys.survey_results_xlsx,
         name="survey-results-xlsx"),
    path("teacher/surveys/", views_surveys.teacher_survey_results, name="teacher-surveys"),
]
