"""Pages of grading, mounted inside the `training` namespace by training/urls.py."""

from django.urls import path

from training import views_gradebook as books
from training import views_transcripts as transcripts

urlpatterns = [
    # Teacher
    path("teacher/gradebooks/", books.teacher_gradebooks, name="grading-teacher"),
    path("teacher/sections/<int:pk>/gradebook/", books.grid, name="grading-grid"),
    path("teacher/sections/<int:pk>/gradebook/review/", books.review, name="grading-review"),
    path("teacher/sections/<int:pk>/gradebook.xlsx", books.export_xlsx, name="grading-xlsx"),
    path("teacher/sections/<int:pk>/gradebook/import/", books.import_xlsx,
         name="grading-import"),
    path("teacher/sections/<int:pk>/attendance/", books.attendance, name="grading-attendance"),
    path("teacher/sections/<int:pk>/attendance/marks/", books.attendance_save,
         name="grading-attendance-save"),
    path("teacher/sections/<int:pk>/amendments/new/", books.amendment_new,
         name="grading-amendment-new"),
    # Learner
    path("student/transcript/", transcripts.student_transcript, name="grading-my-transcript"),
    path("student/transcript.pdf", transcripts.student_transcript_pdf,
         name="grading-my-transcript-pdf"),
    # Training office
    path("office/gradebooks/", books.office_gradebooks, name="grading-office"),
    path("office/gradebooks/<int:pk>/", books.office_review, name="grading-office-review"),
    path("office/amendments/", books.office_amendments, name="grading-amendments"),
    path("office/learners/<int:pk>/transcript/", transcripts.office_transcript,
         name="grading-transcript"),
    path("office/learners/<int:pk>/transcript.pdf", transcripts.office_transcript_pdf,
         name="grading-transcript-pdf"),
    path("office/classes/<int:pk>/transcripts/", transcripts.class_transcripts,
         name="grading-class-transcripts"),
    path("office/transcript-batches/<int:pk>/", transcripts.batch_status, name="grading-batch"),
    path("office/transcript-batches/<int:pk>/download/", transcripts.batch_download,
         name="grading-batch-download"),
    path("office/warnings/", transcripts.warnings, name="grading-warnings"),
    path("office/semesters/<int:semester_pk>/standing-review/", transcripts.standing_review,
         name="grading-standing-review"),
]
