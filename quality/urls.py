from django.urls import path

from quality import views, views_surveys

app_name = "quality"

urlpatterns = [
    path("office/quality/employment/", views.employment, name="employment"),
    path("office/quality/employment/records/", views.employment_records,
         name="employment-records"),
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
