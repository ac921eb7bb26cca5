"""Row history (django-pghistory) as the apps declare it."""

import pghistory


def tracked():
    """History of every insert, update and delete (fresh trackers for each model)."""
    return pghistory.track(
        pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent()
    )
