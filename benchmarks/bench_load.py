"""Pages fast under load (issue #17, part 4): Locust, headless, against gunicorn with 4
workers (DEBUG off) on bench_grading's college of BENCH_LOAD_LEARNERS learners (default
20,000) on DATABASE_URL's PostgreSQL. 50 concurrent users (BENCH_LOAD_USERS, spawned 10 a
second) for BENCH_LOAD_SECONDS (default 90) mix:

- learners opening their home, transcript and diplomas;
- teachers opening their gradebook list and a gradebook (the grid page) and saving cells
  (PATCH of the gradebook API, as the grid's script does);
- the registrar's lists and searches: the gradebooks to approve, the learners' admin list
  searched by name, a learner's transcript, the academic warnings;
- the public verification of a diploma (the QR code's address and the serial + date of birth
  form).

    python -m benchmarks load
    BENCH_LOAD_LEARNERS=2000 BENCH_LOAD_SECONDS=60 python -m benchmarks load
    BENCH_LOAD_KEEP=1 ...   # keep the college's database for the next run (reused by size)

Figures per page family: requests, p50, p95, errors (goal: p95 < 300 ms, 0 errors), and
beside them the page requested alone (one request at a time after a warm-up, median of 7,
before the load: what the page costs when no request waits for a worker); the p95 rows in
FIGURES for `make bench`'s summary table. Then the capacity profile (`_capacity`): the
mix's mean request alone beside what the cores can serve and what the users ask, the CPU
Locust and gunicorn used, and the mean a page would need for the p95 goal on this machine.

The college is bench_grading's (SQL set-up: approved gradebooks, scores, study rounds), its
module results and term summaries written by the SQL floor of benchmarks/grading_floor.py
(the same outputs as results_recompute, cross-checked there, in seconds rather than
minutes). On top: a semester in progress where each bench teacher teaches one class a new
module (an open gradebook with the class's checks half filled through the real service), a
few graduated classes reviewed, decided and issued their diplomas through the real services,
and the users: learners, teachers, registrars. Logins are sessions prepared in the database
as a login with the second factor leaves them (vetschool/accounts/mfa.py: a confirmed TOTP
device, its id in the session), so the load measures the pages, not the password hasher.
DEGREES_VERIFY_RATE is raised for the server: every virtual visitor comes from 127.0.0.1.
"""

from __future__ import annotations

import csv
import json
import os
import random
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
LEARNERS = int(os.environ.get("BENCH_LOAD_LEARNERS", "20000"))
SECONDS = int(os.environ.get("BENCH_LOAD_SECONDS", "90"))
USERS = int(os.environ.get("BENCH_LOAD_USERS", "50"))
SPAWN_RATE = int(os.environ.get("BENCH_LOAD_SPAWN_RATE", "10"))
WORKERS = int(os.environ.get("BENCH_LOAD_WORKERS", "4"))
KEEP = os.environ.get("BENCH_LOAD_KEEP", "") not in ("", "0")
TEACHERS = 60
REGISTRARS = 10
LEARNER_USERS = 600
GRADUATED_CLASSES = 4
GOAL = "p95 < 300 ms, 0 errors"
THINK_SECONDS = 2.0  # a virtual user's mean pause between tasks (load_locustfile: 1–3 s)
# Requests per task over the users' weights in load_locustfile: one each, but a teacher's
# open-and-save (3 of their 4 tasks) is two, the grid page and the PATCH:
# (5 learners + 2 × 1.75 teachers + 1 registrar + 2 public) / 10.
REQUESTS_PER_TASK = 1.15
# Below this share of the machine a request rarely waits behind another: the p95 is the
# page's own time. Above it the queue grows fast (M/M/c), and the p95 is mostly waiting.
UTILISATION_FOR_GOAL = 0.7
MARKER = "bench_load_college"

# Page families, in the order they are printed (the Locust request names start with them).
FAMILIES = [
    ("learner home", "learner home"),
    ("learner transcript", "learner transcript"),
    ("learner diplomas", "learner diplomas"),
    ("teacher gradebook list", "teacher gradebook list"),
    ("teacher gradebook open", "teacher gradebook open"),
    ("teacher gradebook save", "teacher gradebook save"),
    ("registrar gradebooks", "registrar gradebooks"),
    ("registrar learner search", "registrar learner search"),
    ("registrar transcript", "registrar transcript"),
    ("registrar warnings", "registrar warnings"),
    ("public verification", "public verification"),
]

# Read by `make bench`'s summary table: one row per page family, filled by run().
FIGURES: list[dict[str, str]] = []


# =============================================================================
# The database
# =============================================================================


def _database_url(name: str) -> str:
    from django.conf import settings

    url = os.environ.get("DATABASE_URL")
    if url:
        return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))
    db = settings.DATABASES["default"]
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{name}"


def _switch_to(name: str) -> str:
    """Point this process's default connection at database `name` (created if missing);
    returns the previous name."""
    import psycopg
    from django.db import connection

    from benchmarks.common import _server

    kwargs, _template = _server()
    with psycopg.connect(**kwargs, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    connection.close()
    previous = connection.settings_dict["NAME"]
    connection.settings_dict["NAME"] = name
    return previous


def _drop(name: str) -> None:
    import psycopg

    from benchmarks.common import _server

    kwargs, _template = _server()
    with psycopg.connect(**kwargs, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _built() -> dict | None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [MARKER])
        if cursor.fetchone()[0] is None:
            return None
        cursor.execute(f"SELECT data FROM {MARKER}")  # noqa: S608 (a constant)
        row = cursor.fetchone()
    return json.loads(row[0]) if row else None


# =============================================================================
# The college
# =============================================================================


def _results() -> None:
    """Module results and term summaries by the SQL floor (the service's outputs)."""
    import pghistory
    from django.db import connection, transaction

    from benchmarks.grading_floor import floor_compute_sql, floor_write_sql
    from grading.config import grading_rules
    from grading.services.results import _settle_trigger_settings

    with connection.cursor() as cursor, transaction.atomic():
        cursor.execute(floor_compute_sql(grading_rules()))
        with pghistory.context(service="bench.load"):
            _settle_trigger_settings()
            for statement in floor_write_sql():
                cursor.execute(statement)


def _password():
    from django.contrib.auth.hashers import make_password

    return make_password(secrets.token_urlsafe(16))


def _users(prefix: str, count: int, role: str, *, staff: bool = False):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    User = get_user_model()
    password = _password()
    users = User.objects.bulk_create([
        User(username=f"{prefix}{n:05d}", email=f"{prefix}{n:05d}@example.edu.vn",
             full_name=f"{prefix} {n}", password=password, is_staff=staff)
        for n in range(count)])
    group = Group.objects.get(name=role)
    User.groups.through.objects.bulk_create([
        User.groups.through(user_id=u.pk, group_id=group.pk) for u in users])
    return users


def _devices(users) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.bulk_create([TOTPDevice(user=u, name="bench", confirmed=True)
                                    for u in users])


def _teaching(semester, registrar) -> list[dict]:
    """A semester in progress: each bench teacher teaches one class a module in an open
    gradebook, its continuous checks half filled through the real service."""
    from django.db import connection

    from grading.services import gradebook as gb
    from staff.models import Department, StaffMember
    from training.models import HomeroomClass, Section, TeachingAssignment
    from vetschool.accounts import roles

    # Classes that study in the semester in progress (the college programs, 6 semesters).
    classes = list(HomeroomClass.objects.filter(program__duration_months=36)
                   .order_by("code")[:TEACHERS])
    users = _users("gv", len(classes), roles.TEACHER)
    _devices(users)
    department = Department.objects.create(code="KLOAD", name="Khoa tải", kind="faculty")
    staff = StaffMember.objects.bulk_create([
        StaffMember(user=u, staff_code=f"GV{n:05d}", full_name=f"Trần Thị Giảng {n}",
                    national_id=f"0310{80 + n % 15}{n:06d}",
                    date_of_birth=date(1980 + n % 15, 1 + n % 12, 1 + n % 28),
                    gender="female" if n % 2 else "male", department=department,
                    is_teacher=True, employment_status="active",
                    highest_qualification="master", position_since=date(2010, 9, 1))
        for n, u in enumerate(users)])
    with connection.cursor() as cursor:
        cursor.execute("""
            INSERT INTO training_section (module_id, semester_id, code, class_key, capacity,
                                          practice, schedule, delivery_form, note, created_at)
            SELECT m.id, %s, 'HK7-' || c.code || '-' || m.code, c.id::text, NULL, false,
                   '', 'in_person', '', now()
            FROM training_homeroomclass c
            JOIN training_module m ON m.program_id = c.program_id AND m.order = 0
            WHERE c.id = ANY(%s);
            INSERT INTO training_sectionclass (section_id, homeroom_class_id)
            SELECT s.id, s.class_key::bigint FROM training_section s
            WHERE s.code LIKE 'HK7-%%';
            INSERT INTO training_sectionlearner (section_id, enrollment_id, module_id,
                semester_id, source, reason, added_at, removed_reason)
            SELECT s.id, cm.enrollment_id, s.module_id, s.semester_id, 'class', '', now(), ''
            FROM training_section s JOIN training_classmembership cm
              ON cm.homeroom_class_id = s.class_key::bigint
            WHERE s.code LIKE 'HK7-%%';
        """, [semester.pk, [c.pk for c in classes]])
    sections = {int(s.class_key): s for s in Section.objects.filter(code__startswith="HK7-")}
    teachers = []
    for klass, member, user in zip(classes, staff, users, strict=True):
        section = sections[klass.pk]
        TeachingAssignment.objects.create(section=section, staff=member, assigned_by=registrar)
        book = gb.gradebook_for_section(section=section)
        learners = list(section.learners.order_by("pk").values_list("pk", flat=True))
        cells = [gb.CellInput(learner=pk, column="TX1", value=f"{5 + pk % 5}.5")
                 for pk in learners]
        gb.gradebook_cells_save(gradebook=book, by=user, base_version=book.version,
                                cells=cells)
        teachers.append({"user": user.pk, "section": section.pk,
                         "learners": learners})
    return teachers


def _diplomas(registrar) -> int:
    """Graduated classes (intermediate programs end in semester 4) reviewed, decided and
    issued their diplomas through the real services."""
    from degrees.services.decisions import decision_record
    from degrees.services.register import decision_issue_all
    from degrees.services.review import review_run
    from training.models import (
        CertificateKind,
        ClassMembership,
        HomeroomClass,
        LearnerCertificate,
    )

    issued = 0
    classes = list(HomeroomClass.objects.filter(program__duration_months=24)
                   .order_by("code")[:GRADUATED_CLASSES])
    # §4.1: physical education and defence & security education, certified.
    members = ClassMembership.objects.filter(homeroom_class__in=classes).values_list(
        "enrollment_id", flat=True)
    LearnerCertificate.objects.bulk_create([
        LearnerCertificate(enrollment_id=pk, kind=kind, number=f"{kind[:3].upper()}-{pk}",
                           issued_on=date(2025, 6, 1), recorded_by=registrar)
        for pk in members
        for kind in (CertificateKind.PHYSICAL_EDUCATION, CertificateKind.DEFENCE_SECURITY)])
    for n, klass in enumerate(classes):
        review = review_run(homeroom_class=klass, by=registrar, review_date=date(2025, 7, 1))
        decision = decision_record(review=review, number=f"{300 + n}/QĐ-CĐ",
                                   date_=date(2025, 7, 10), signer_name="TS. Vũ Quang Minh",
                                   signer_title="Hiệu trưởng", by=registrar)
        issued += len(decision_issue_all(decision=decision, by=registrar,
                                         issue_date=date(2025, 7, 20)))
    return issued


def _build() -> dict:
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, transaction

    from benchmarks import bench_grading as college
    from vetschool.demo import seed_demo_occupations, seed_institution

    settings.DOCUMENTS_PRERENDER = False
    started = time.perf_counter()
    if not _base_built():
        call_command("migrate", verbosity=0)
        seed_institution()
        seed_demo_occupations()
        size, college.LEARNERS = college.LEARNERS, LEARNERS
        try:
            semesters = college._calendar()
            college._learners(college._programs(), semesters[0])
            counts = college._build(semesters)
        finally:
            college.LEARNERS = size
        print(f"  college: {LEARNERS:,} learners, {counts['section']:,} sections, "
              f"{counts['score']:,} score rows ({time.perf_counter() - started:.0f} s)",
              flush=True)
        step = time.perf_counter()
        _results()
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE TABLE {MARKER}_base ()")
        print(f"  module results and term summaries by the SQL floor "
              f"({time.perf_counter() - step:.0f} s)", flush=True)
    with transaction.atomic():
        return _accounts(started)


def _base_built() -> bool:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [f"{MARKER}_base"])
        return cursor.fetchone()[0] is not None


def _accounts(started: float) -> dict:
    """Teaching, diplomas and the users, on top of the college (one transaction)."""
    from django.db import connection

    from degrees.models import Diploma
    from enrollment.models import Learner
    from training.models import Semester
    from vetschool.accounts import roles

    step = time.perf_counter()
    registrars = _users("pdt", REGISTRARS, roles.REGISTRAR, staff=True)
    _devices(registrars)
    # The semester in progress (today's, if the calendar covers it: the learner home shows it).
    current = (Semester.objects.filter(starts_on__lte=date.today(), ends_on__gte=date.today())
               .first() or Semester.objects.order_by("-starts_on").first())
    teachers = _teaching(current, registrars[0])
    diplomas = _diplomas(registrars[0])
    learner_ids = list(Learner.objects.order_by("pk").values_list("pk", flat=True))
    rng = random.Random(17)
    sample = sorted(rng.sample(learner_ids, min(LEARNER_USERS, len(learner_ids))))
    graduated = list(Diploma.objects.values_list("enrollment__learner_id", flat=True))
    chosen = sorted(set(sample) | set(graduated[:LEARNER_USERS // 3]))
    users = _users("hs", len(chosen), roles.LEARNER)
    for learner_id, user in zip(chosen, users, strict=True):
        Learner.objects.filter(pk=learner_id).update(user=user)
    print(f"  {TEACHERS} teachers with an open gradebook each, {diplomas} diplomas issued, "
          f"{len(users)} learner and {REGISTRARS} registrar accounts "
          f"({time.perf_counter() - step:.0f} s)", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute(f"CREATE TABLE {MARKER} (data text)")
        data = {"learners": LEARNERS, "teachers": teachers,
                "registrars": [u.pk for u in registrars],
                "learner_users": [u.pk for u in users]}
        cursor.execute(f"INSERT INTO {MARKER} VALUES (%s)", [json.dumps(data)])  # noqa: S608
    print(f"  seeding: {time.perf_counter() - started:.0f} s", flush=True)
    return data


# =============================================================================
# Sessions and the scenario's data
# =============================================================================


def _session(user) -> str:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django_otp import DEVICE_ID_SESSION_KEY

    from vetschool.accounts.mfa import SEEN_KEY, STARTED_KEY, second_factor_required

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    if second_factor_required(user):
        from django_otp.plugins.otp_totp.models import TOTPDevice

        session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=user).persistent_id
        session[STARTED_KEY] = session[SEEN_KEY] = time.time()
    session.set_expiry(max(settings.SESSION_COOKIE_AGE, 3 * 3600))
    session.create()
    return session.session_key


def _scenario(data: dict) -> dict:
    """Sessions (fresh each run) and the addresses the virtual users visit."""
    from django.contrib.auth import get_user_model

    from degrees.models import Diploma
    from enrollment.models import Learner

    User = get_user_model()
    users = User.objects.in_bulk([*data["registrars"], *data["learner_users"],
                                  *[t["user"] for t in data["teachers"]]])
    diplomas = list(Diploma.objects.order_by("pk").values_list(
        "token", "serial_number", "date_of_birth", "enrollment__learner__user_id"))
    with_diploma = {user_id for *_rest, user_id in diplomas if user_id}
    rng = random.Random(4)
    learner_ids = list(Learner.objects.order_by("pk").values_list("pk", flat=True))
    names = list(Learner.objects.order_by("?").values_list("full_name", flat=True)[:50])
    return {
        "learners": [_session(users[pk]) for pk in data["learner_users"]
                     if pk not in with_diploma],
        "graduates": [_session(users[pk]) for pk in data["learner_users"] if pk in with_diploma],
        "teachers": [{"session": _session(users[t["user"]]), "section": t["section"],
                      "learners": t["learners"]} for t in data["teachers"]],
        "registrars": [_session(users[pk]) for pk in data["registrars"]],
        "learner_ids": rng.sample(learner_ids, min(500, len(learner_ids))),
        "searches": names + list(Learner.objects.order_by("?")
                             .values_list("code", flat=True)[:50]),
        "tokens": [str(t) for t, *_rest in diplomas],
        "serials": [[s, d.isoformat()] for _t, s, d, _u in diplomas],
    }


# =============================================================================
# The server and the load
# =============================================================================


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _server_env(database_url: str, port: int) -> dict:
    env = {**os.environ, "DATABASE_URL": database_url, "DEBUG": "0", "HTTPS": "0",
           "STATIC_FROM_FINDERS": "1", "DEGREES_VERIFY_RATE": "100000000",
           "DOCUMENTS_PRERENDER": "0", "PUBLIC_URL": f"http://127.0.0.1:{port}",
           "PYTHONUNBUFFERED": "1", "DJANGO_SETTINGS_MODULE": "vetschool.settings"}
    env.pop("PYTEST_VERSION", None)
    return env


def _wait_up(port: int, process: subprocess.Popen, seconds: float = 120) -> None:
    import urllib.request

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5):
                return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError("gunicorn did not answer in time")


def _percentile_columns(row: dict) -> tuple[float, float]:
    return float(row.get("50%") or 0), float(row.get("95%") or 0)


def _alone(port: int, scenario: dict, rounds: int = 7) -> dict[str, float]:
    """Each page family's GET requested alone (one at a time): the median ms of `rounds`
    after a warm-up of every worker, beside which the figures under load read as waiting
    for a worker."""
    import statistics

    import requests

    host = f"http://127.0.0.1:{port}"
    teacher = scenario["teachers"][0]
    graduate = (scenario["graduates"] or scenario["learners"])[0]
    pages = [
        ("learner home", scenario["learners"][0], "/student/"),
        ("learner transcript", scenario["learners"][0], "/student/transcript/"),
        ("learner diplomas", graduate, "/student/diplomas/"),
        ("teacher gradebook list", teacher["session"], "/teacher/gradebooks/"),
        ("teacher gradebook open", teacher["session"],
         f"/teacher/sections/{teacher['section']}/gradebook/"),
        ("registrar gradebooks", scenario["registrars"][0], "/office/gradebooks/?status=all"),
        ("registrar learner search", scenario["registrars"][0],
         f"/admin/enrollment/learner/?q={scenario['searches'][0]}"),
        ("registrar transcript", scenario["registrars"][0],
         f"/office/learners/{scenario['learner_ids'][0]}/transcript/"),
        ("registrar warnings", scenario["registrars"][0], "/office/warnings/"),
        ("public verification", None, f"/verify/{scenario['tokens'][0]}/"),
    ]
    out = {}
    for family, session, url in pages:
        client = requests.Session()
        if session:
            client.cookies.set("sessionid", session)
        for _n in range(2 * WORKERS):  # every worker compiles its templates once
            client.get(host + url, allow_redirects=False, timeout=60)
        times = []
        for _n in range(rounds):
            started = time.perf_counter()
            response = client.get(host + url, allow_redirects=False, timeout=60)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        out[family] = statistics.median(times)
    return out


def _load(database_url: str, scenario: dict, workdir: Path) -> tuple[list[dict], dict]:
    port = _free_port()
    env = _server_env(database_url, port)
    (workdir / "scenario.json").write_text(json.dumps(scenario))
    log = open(workdir / "gunicorn.log", "w")  # noqa: SIM115 (closed below)
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "vetschool.wsgi:application", "--workers",
         str(WORKERS), "--bind", f"127.0.0.1:{port}", "--timeout", "120",
         "--access-logfile", "-"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True)
    try:
        _wait_up(port, server)
        alone = _alone(port, scenario)
        locust_env = {**env, "BENCH_LOAD_SCENARIO": str(workdir / "scenario.json")}
        started = time.perf_counter()
        before_locust = _children_cpu()
        subprocess.run(
            [sys.executable, "-m", "locust", "-f", str(ROOT / "benchmarks" / "load_locustfile.py"),
             "--headless", "-u", str(USERS), "-r", str(SPAWN_RATE), "-t", f"{SECONDS}s",
             "--host", f"http://127.0.0.1:{port}", "--csv", str(workdir / "load"),
             "--only-summary", "--loglevel", "WARNING", "--stop-timeout", "10"],
            cwd=ROOT, env=locust_env, check=False)
        ran = time.perf_counter() - started
        after_locust = _children_cpu()
        print(f"  load: {USERS} users for {SECONDS} s (ran {ran:.0f} s)"
              f"; load average after: {os.getloadavg()[0]:.2f}", flush=True)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
        log.close()
    # A child's CPU time is counted once it has exited: Locust's before gunicorn's.
    cpu = {"locust": after_locust - before_locust, "gunicorn": _children_cpu() - after_locust,
           "seconds": ran}
    with open(workdir / "load_stats.csv", newline="") as f:
        return list(csv.DictReader(f)), {**alone, "_cpu": cpu}


def _children_cpu() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _report(rows: list[dict], alone: dict[str, float]) -> list[dict]:
    figures = []
    print(f"  {'page family':<28} {'requests':>9} {'p50 ms':>8} {'p95 ms':>8} {'errors':>7} "
          f"{'alone ms':>9}")
    for family, prefix in FAMILIES:
        mine = [r for r in rows if r["Name"].startswith(prefix) and r["Name"] != "Aggregated"]
        if not mine:
            print(f"  {family:<28} (no requests)")
            continue
        requests = sum(int(r["Request Count"]) for r in mine)
        errors = sum(int(r["Failure Count"]) for r in mine)
        # A family of one request name: Locust's own percentiles; of several, the worst.
        p50 = max(_percentile_columns(r)[0] for r in mine)
        p95 = max(_percentile_columns(r)[1] for r in mine)
        mark = "" if p95 < 300 and errors == 0 else "  ← over the goal"
        single = f"{alone[family]:.0f}" if family in alone else "—"
        print(f"  {family:<28} {requests:>9,} {p50:>8.0f} {p95:>8.0f} {errors:>7} "
              f"{single:>9}{mark}")
        figures.append({"scenario": f"load: {family} ({USERS} users)", "figure": f"{p95:.0f} ms",
                        "floor": "—", "ratio": "", "goal": GOAL})
    total = next((r for r in rows if r["Name"] == "Aggregated"), None)
    if total:
        print(f"  all: {int(total['Request Count']):,} requests, "
              f"{float(total['Requests/s']):.1f} req/s, failures {total['Failure Count']}")
        capacity = _capacity(rows, alone, total)
        if capacity:
            figures.append(capacity)
    return figures


def _capacity(rows: list[dict], alone: dict, total: dict) -> dict | None:
    """What the machine can serve beside what the users ask: the profile that tells a slow
    page from a full machine. The mix's mean request alone (each family's time alone,
    weighted by its share of the requests) bounds what the cores can answer; the users ask
    for USERS / (think time + mean request). Over UTILISATION_FOR_GOAL the p95 is mostly
    time waiting for a worker, whatever the pages cost alone."""
    weighted = counted = 0
    for family, prefix in FAMILIES:
        count = sum(int(r["Request Count"]) for r in rows
                    if r["Name"].startswith(prefix) and r["Name"] != "Aggregated")
        # The save (a PATCH) has no time alone: the gradebook open's stands in for it.
        ms = alone.get(family, alone.get("teacher gradebook open"))
        if count and ms:
            weighted, counted = weighted + count * ms, counted + count
    if not counted:
        return None
    mean_ms = weighted / counted
    cores = os.cpu_count() or 1
    capacity = cores * 1000 / mean_ms
    asked = USERS * REQUESTS_PER_TASK / (THINK_SECONDS + REQUESTS_PER_TASK * mean_ms / 1000)
    needed_ms = UTILISATION_FOR_GOAL * cores * 1000 / asked
    print(f"  capacity: the mix's mean request alone {mean_ms:.0f} ms → at most "
          f"{capacity:.1f} req/s on {cores} cores; {USERS} users pausing {THINK_SECONDS:.0f} s "
          f"ask for {asked:.1f} req/s (utilisation {asked / capacity:.0%}); served "
          f"{float(total['Requests/s']):.1f} req/s", flush=True)
    cpu = alone.get("_cpu")
    if cpu and cpu["seconds"]:
        requests = int(total["Request Count"]) or 1
        print(f"  CPU while loaded: Locust itself {cpu['locust'] / cpu['seconds']:.2f} of "
              f"{cores} cores; gunicorn {cpu['gunicorn'] * 1000 / requests:.0f} ms of CPU per "
              f"request (its whole life, start-up and the requests alone included; "
              f"PostgreSQL's share not counted)", flush=True)
    if asked / capacity > UTILISATION_FOR_GOAL:
        print(f"  → p95 < 300 ms at {USERS} users needs the mix's mean request at or under "
              f"{needed_ms:.0f} ms alone on this machine (utilisation "
              f"{UTILISATION_FOR_GOAL:.0%}), or more cores than {cores}; it is "
              f"{mean_ms:.0f} ms.", flush=True)
    return {"scenario": f"load: the mix's mean request alone ({USERS} users, {cores} cores)",
            "figure": f"{mean_ms:.0f} ms",
            "floor": f"{needed_ms:.0f} ms keeps the machine {UTILISATION_FOR_GOAL:.0%} busy",
            "ratio": f"{mean_ms / needed_ms:.2f}×",
            "goal": "≤ 1× (over it the p95 is waiting for a worker)"}


def run() -> None:
    from django.db import connection

    base = connection.settings_dict["NAME"]
    name = f"{base}_load{LEARNERS}"
    previous = _switch_to(name)
    try:
        print(f"{LEARNERS:,}-learner college in database {name}; gunicorn {WORKERS} workers; "
              f"{os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.2f}", flush=True)
        data = _built()
        if data is None:
            if not _base_built():  # nothing, or a college left half built
                connection.close()
                _drop(name)
                _switch_to(name)
            data = _build()
        else:
            print("  reusing the college built by an earlier run (BENCH_LOAD_KEEP)", flush=True)
        scenario = _scenario(data)
        connection.close()
        with tempfile.TemporaryDirectory() as tmp:
            rows, alone = _load(_database_url(name), scenario, Path(tmp))
        FIGURES[:] = _report(rows, alone)
    finally:
        connection.close()
        connection.settings_dict["NAME"] = previous
        if not KEEP:
            _drop(name)
