from django.apps import AppConfig


class SyncFixtureConfig(AppConfig):
    """TEST ONLY: a tiny record type for the sync platform's tests and benchmark.

    Installed when settings.TESTING (pytest) or SYNC_TEST_FIXTURE=1 (the benchmark's
    throwaway database); never in production.
    """

    default_auto_field = "django.db.models.BigAutoField"
    name = "tests.sync_fixture"
    label = "sync_fixture"
    verbose_name = "Sync test fixture"

    def ready(self):
        from tests.sync_fixture import crash

        crash.install()
