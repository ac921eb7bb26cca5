from django.urls import path

from training import views

app_name = "training"

urlpatterns = [
    path("teacher/", views.teacher_home, name="teacher-home"),
    path("teacher/sections/<int:pk>/", views.teacher_section, name="teacher-section"),
    path("teacher/sections/<int:pk>/learners.xlsx", views.teacher_section_xlsx,
         name="teacher-section-xlsx"),
    path("training/indicators/programs/", views.program_indicators, name="program-indicators"),
    path("training/programs/<int:pk>/pdf/", views.program_pdf, name="program-pdf"),
]
