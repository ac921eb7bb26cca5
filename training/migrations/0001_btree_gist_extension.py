from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations


class Migration(migrations.Migration):
    """btree_gist lets one exclusion constraint mix equality on ids with date-range overlap
    (class memberships of an enrolment never overlap). A trusted extension since
    PostgreSQL 13: the database owner may create it."""

    dependencies = [("reference", "0002_extensions_and_code_lists")]

    operations = [BtreeGistExtension()]
