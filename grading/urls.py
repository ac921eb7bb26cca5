"""Pages of grading: the teacher's gradebooks and attendance, the learner's home and
transcript, the training office's approvals, transcripts and warnings."""

from django.urls import path

from grading.views import gradebook as books
from grading.views import internships, transcripts

app_name = "grading"

urlpatterns = [
    path("student/", transcripts.student_home, name="student-home"),
    # Teacher
    path("teacher/gradebooks/", books.teacher_gradebooks, name="teacher"),
    path("teacher/sections/<int:pk>/gradebook/", books.grid, name="grid"),
    path("teacher/sections/<int:pk>/gradebook/review/", books.review, name="review"),
    path("teacher/sections/<int:pk>/gradebook.xlsx", books.export_xlsx, name="xlsx"),
    path("teacher/sections/<int:pk>/gradebook/import/", books.import_xlsx,
         name="import"),
    path("teacher/sections/<int:pk>/attendance/", books.attendance, name="attendance"),
    path("teacher/sections/<int:pk>/attendance/marks/", books.attendance_save,
         name="attendance-save"),
    path("teacher/sections/<int:pk>/amendments/new/", books.amendment_new,
         name="amendment-new"),
    path("teacher/interns/", internships.my_interns, name="my-interns"),
    # Enterprise mentor (no account: the one-time link)
    path("mentor/<str:token>/", internships.mentor_evaluate, name="mentor-evaluate"),
    # Learner
    path("student/internship/", internships.my_internship, name="my-internship"),
    path("student/transcript/", transcripts.student_transcript, name="my-transcript"),
    path("student/transcript.pdf", transcripts.student_transcript_pdf,
         name="my-transcript-pdf"),
    # Training office
    path("office/gradebooks/", books.office_gradebooks, name="office"),
    path("office/gradebooks/<int:pk>/", books.office_review, name="office-review"),
    path("office/amendments/", books.office_amendments, name="amendments"),
    path("office/learners/<int:pk>/transcript/", transcripts.office_transcript,
         name="transcript"),
    path("office/learners/<int:pk>/transcript.pdf", transcripts.office_transcript_pdf,
         name="transcript-pdf"),
    path("office/classes/<int:pk>/transcripts/", transcripts.class_transcripts,
         name="class-transcripts"),
    path("office/transcript-batches/<int:pk>/", transcripts.batch_status, name="batch"),
    path("office/transcript-batches/<int:pk>/download/", transcripts.batch_download,
         name="batch-download"),
    path("office/warnings/", transcripts.warnings, name="warnings"),
    path("office/semesters/<int:semester_pk>/standing-review/", transcripts.standing_review,
         name="standing-review"),
    path("office/standing-review-jobs/<int:pk>/", transcripts.standing_review_job,
         name="standing-review-job"),
]
