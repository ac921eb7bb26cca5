"""Signals of the sync platform."""

from django.dispatch import Signal

# Sent after the ministry answered a batch and before the answer is recorded
# (kwargs: batch_id, replay). Receivers must not write: the answer is recorded next.
batch_answered = Signal()
