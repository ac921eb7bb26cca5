"""Fixtures of the sync tests: a real sandbox process, people of the test record type,
and an independent view of what the sandbox holds (read from its SQLite file)."""

import datetime
import hashlib
import os
import random
import select
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
INSTITUTION = "CDSH01"
SECRET = "test-secret-of-the-sync-suite"


class Sandbox:
    """A sandbox process, seen as one institution (tests sharing a process use their own
    institution code, so their data never mix)."""

    def __init__(self, process, url, db, institution=INSTITUTION):
        self.process, self.url, self.db, self.institution = process, url, db, institution

    def as_institution(self, code: str) -> "Sandbox":
        return Sandbox(self.process, self.url, self.db, code)

    def stats(self) -> dict:
        return httpx.get(f"{self.url}/_sandbox/stats?institution={self.institution}",
                         timeout=10).json()

    def reset(self) -> None:
        httpx.post(f"{self.url}/_sandbox/reset?institution={self.institution}", timeout=10)

    def summary(self) -> dict:
        response = signed_get(self.url, f"/v1/institutions/{self.institution}/summary",
                              institution=self.institution)
        assert response.status_code == 200, response.text
        return response.json()

    def live(self, record_type="learner") -> dict[str, tuple]:
        """key_text -> (version, data) of live records, read straight from the SQLite file."""
        import json

        with sqlite3.connect(self.db) as db:
            rows = db.execute("SELECT key_text, version, data_json FROM records WHERE "
                              "institution = ? AND type = ? AND deleted = 0",
                              (self.institution, record_type)).fetchall()
        return {key: (version, json.loads(data)) for key, version, data in rows}

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()


def start_sandbox(tmp_path, *args, secret=SECRET) -> Sandbox:
    """`manage.py national_sandbox` in a subprocess, on a free port."""
    db = tmp_path / f"sandbox-{random.randrange(10**9)}.sqlite3"
    process = subprocess.Popen(
        [sys.executable, "manage.py", "national_sandbox", "--port", "0", "--db", str(db),
         "--secret", secret, "--seed", "7", *args],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + 60
    line = ""
    while time.monotonic() < deadline:
        ready, _w, _x = select.select([process.stdout], [], [], 1)
        if ready:
            line = process.stdout.readline()
            if "listening on" in line:
                url = line.split("listening on ", 1)[1].split()[0]
                return Sandbox(process, url, db)
        if process.poll() is not None:
            break
    process.kill()
    raise RuntimeError(f"the sandbox did not start: {line}{process.stdout.read()}")


@pytest.fixture(autouse=True)
def _english():
    """Messages the sync stores (errors, reasons) are asserted in English here; the
    Vietnamese catalogue has its own test."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(scope="session")
def shared_sandbox(tmp_path_factory):
    """One fault-free sandbox process per test process."""
    box = start_sandbox(tmp_path_factory.mktemp("sandbox"))
    yield box
    box.stop()


@pytest.fixture
def sandbox(shared_sandbox):
    """The shared sandbox, seen as an institution of this test's own."""
    return shared_sandbox.as_institution(f"T{uuid.uuid4().hex[:8].upper()}")


@pytest.fixture
def national(settings, sandbox):
    """Point the sync at the sandbox process through the environment-level settings."""
    return configure(settings, sandbox)


def configure(settings, sandbox: Sandbox) -> Sandbox:
    settings.NATIONAL_API_URL = sandbox.url
    settings.NATIONAL_API_INSTITUTION = sandbox.institution
    settings.NATIONAL_API_SECRET = SECRET
    settings.NATIONAL_SYNC_RETRY_BASE_SECONDS = 0.05
    settings.NATIONAL_SYNC_RETRY_MAX_SECONDS = 1
    return sandbox


def national_id(n: int) -> str:
    # Province 001 (Hà Nội), gender/century digit 1 (male, 1900s), birth year 05... unique.
    return f"0011{n:08d}"


def make_people(count: int, *, start: int = 0) -> list:
    from tests.sync_fixture.models import Ethnicity, Person

    ethnicity, _ = Ethnicity.objects.get_or_create(code="01", defaults={"name": "Kinh"})
    people = [
        Person(national_id=national_id(start + i), code=f"HS{start + i:06d}",
               full_name=f"Nguyễn Văn {start + i}",
               birth_date=datetime.date(2005, 1, 1) + datetime.timedelta(days=(start + i) % 700),
               gender="male" if i % 2 else "female", ethnicity=ethnicity)
        for i in range(count)
    ]
    return Person.objects.bulk_create(people)


def expected_learners() -> dict[str, int]:
    """What the sandbox must hold: every person with a national id, at the version the
    college gave that person's record."""
    from tests.sync_fixture.models import Person
    from vetschool.sync.models import Record

    versions = dict(Record.objects.filter(type="learner").values_list("object_pk", "version"))
    return {p.national_id: versions[str(p.pk)]
            for p in Person.objects.exclude(national_id=None).exclude(national_id="")}


def digest_of(mapping: dict[str, int]) -> str:
    sha = hashlib.sha256()
    for key in sorted(mapping):
        sha.update(f"{key}\t{mapping[key]}\n".encode())
    return sha.hexdigest()


def assert_sandbox_matches_college(sandbox: Sandbox) -> None:
    """Exactly the college's learners, by count and digest, and with their current data."""
    from tests.sync_fixture.models import Person

    expected = expected_learners()
    live = sandbox.live()
    assert len(live) == len(expected)
    assert digest_of({k: v for k, (v, _d) in live.items()}) == digest_of(expected)
    summary = sandbox.summary()
    assert summary["types"]["learner"] == {"count": len(expected), "digest": digest_of(expected)}
    for person in Person.objects.exclude(national_id=None).select_related("ethnicity"):
        _version, data = live[person.national_id]
        assert data["full_name"] == person.full_name
        assert data["date_of_birth"] == person.birth_date.isoformat()


def signed_get(url: str, path: str, *, secret=SECRET, institution=INSTITUTION,
               timestamp: int | None = None) -> httpx.Response:
    """A GET signed by hand, as the contract describes (independent of our client)."""
    import hmac

    ts = str(timestamp if timestamp is not None else int(time.time()))
    message = f"GET\n{path}\n{ts}\n{hashlib.sha256(b'').hexdigest()}"
    signature = hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()
    return httpx.get(url + path, timeout=10, headers={
        "X-Institution-Code": institution, "X-Timestamp": ts, "X-Signature": signature})


def wait_for(predicate, *, timeout=60.0, interval=0.2, message="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out waiting for {message}")


def env_for_subprocess(**extra) -> dict:
    env = dict(os.environ)
    env.update({k: str(v) for k, v in extra.items()})
    return env
