import importlib

import pytest


@pytest.fixture
def reference_data(django_db_blocker):
    """Provinces and ethnic groups, reloaded: a transactional test before this one may
    have flushed what the reference migration loaded."""
    from django.apps import apps

    from vetschool.reference.models import Province

    if not Province.objects.exists():
        migration = importlib.import_module(
            "vetschool.reference.migrations.0002_extensions_and_code_lists"
        )
        migration.load_code_lists(apps, None)
