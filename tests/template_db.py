"""One migrated template database per run, cloned by every xdist worker.

Without it each worker migrates its own test database from scratch, all at once, on the
same two cores (about 95 s each). The xdist controller migrates one template before the
workers start; each worker's database is then a `CREATE DATABASE … TEMPLATE`, a file copy
of a second or two, which Django afterwards opens as an existing database ("keepdb").
A run with --reuse-db keeps its own databases and never uses the template. The
controller drops the template and the workers' copies when the run ends.
"""

import re
import time

from django.db import connections
from pytest_django.plugin import blocking_manager_key

TEMPLATE_SUFFIX = "_tpl"
WORKER_SUFFIX = re.compile(r"_gw\d+$")


def uses_template(config) -> bool:
    """In an xdist run without --reuse-db. xdist clears a worker's own -n (it runs no
    workers itself), so a worker is known by its workerinput."""
    if config.getvalue("reuse_db"):
        return False
    return hasattr(config, "workerinput") or bool(_numprocesses(config))


def is_controller(config) -> bool:
    return not hasattr(config, "workerinput")


def build(config) -> None:
    """In the controller, before the workers start: a freshly migrated template."""
    connection = connections["default"]
    with config.stash[blocking_manager_key].unblock():
        connection.settings_dict["TEST"]["NAME"] = _template_name(
            connection.creation._get_test_db_name())
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        connection.close()


def clone_for_worker(config) -> bool:
    """In a worker, after the xdist suffix is set: its database as a copy of the template.
    False when there is no template to copy (then Django migrates as usual)."""
    connection = connections["default"]
    name = connection.creation._get_test_db_name()
    template = _template_name(name)
    with config.stash[blocking_manager_key].unblock(), connection._nodb_cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [template])
        if cursor.fetchone() is None:
            return False
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        _create_from_template(cursor, name, template)
    return True


def drop_all(config) -> None:
    """In the controller at the end: the template and every worker's copy."""
    connection = connections["default"]
    template = connection.settings_dict["NAME"]   # build() left the connection on it
    base = template.removesuffix(TEMPLATE_SUFFIX)
    with config.stash[blocking_manager_key].unblock():
        connection.close()
        with connection._nodb_cursor() as cursor:
            cursor.execute(
                "SELECT datname FROM pg_database WHERE datname = %s OR datname ~ %s",
                [template, "^" + re.escape(base) + r"_gw\d+$"])
            for (name,) in cursor.fetchall():
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _template_name(test_db_name: str) -> str:
    return WORKER_SUFFIX.sub("", test_db_name) + TEMPLATE_SUFFIX


def _create_from_template(cursor, name: str, template: str) -> None:
    # Two workers may copy at the same moment; PostgreSQL refuses a copy while another
    # session is connected to the template, so wait a little and try again.
    for attempt in range(30):
        try:
            cursor.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
            return
        except Exception as error:   # psycopg's ObjectInUse, wrapped by Django
            if "being accessed by other users" not in str(error) or attempt == 29:
                raise
            time.sleep(0.5)


def _numprocesses(config) -> int:
    try:
        return config.getoption("numprocesses") or 0
    except ValueError:   # xdist not installed or disabled with -p no:xdist
        return 0
