"""TEST ONLY: make a worker die between the ministry's answer and our record of it.

With SYNC_FIXTURE_CRASH_AFTER_ANSWERS=N in its environment, a process exits at once
(os._exit, like kill -9: no cleanup, no rollback hooks) after receiving its N-th answer.
"""

import os

_count = 0


def _maybe_crash(sender, **kwargs):
    global _count
    limit = int(os.environ.get("SYNC_FIXTURE_CRASH_AFTER_ANSWERS") or 0)
    if not limit:
        return
    _count += 1
    if _count >= limit:
        os._exit(137)


def install():
    from vetschool.sync.signals import batch_answered

    batch_answered.connect(_maybe_crash, dispatch_uid="sync_fixture.crash")
