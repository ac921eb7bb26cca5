"""What enrolment tells the apps above it, which register their receivers themselves (the
layering: enrolment imports none of them).

`conduct_changed` is sent inside the recording transaction, with `enrollment_ids`, when a
disciplinary decision is recorded or revoked: grading recomputes those enrolments' semester
classifications (REGULATIONS §2.4 a) in the same transaction.
"""

from django.dispatch import Signal

conduct_changed = Signal()
