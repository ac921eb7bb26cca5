"""The virtual users of benchmarks/bench_load.py (run by Locust, not imported by Django).

Every request is named by its page family (the first words of the name), which the
benchmark groups by. A user thinks 1–3 s between pages. Sessions are prepared by the
benchmark (BENCH_LOAD_SCENARIO, a JSON file): logged in, second factor passed.
"""

import itertools
import json
import os
import random
import secrets
import string

from locust import HttpUser, between, task

SCENARIO = json.loads(open(os.environ["BENCH_LOAD_SCENARIO"]).read())  # noqa: SIM115
SESSION_COOKIE = os.environ.get("SESSION_COOKIE_NAME", "sessionid")
_teachers = itertools.cycle(SCENARIO["teachers"])
_learners = itertools.cycle(SCENARIO["learners"])
_graduates = itertools.cycle(SCENARIO["graduates"] or SCENARIO["learners"])
_registrars = itertools.cycle(SCENARIO["registrars"])


def _csrf() -> str:
    return "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(32))


class _Base(HttpUser):
    abstract = True
    wait_time = between(1, 3)

    def login(self, session_key: str) -> None:
        self.client.cookies.set(SESSION_COOKIE, session_key)
        self.csrf = _csrf()
        self.client.cookies.set("csrftoken", self.csrf)

    def get(self, url: str, name: str):
        with self.client.get(url, name=name, catch_response=True,
                             allow_redirects=False) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code} on {url}")


class Learner(_Base):
    weight = 5

    def on_start(self):
        self.graduate = random.random() < 0.3
        self.login(next(_graduates) if self.graduate else next(_learners))

    @task(4)
    def home(self):
        self.get("/student/", "learner home")

    @task(2)
    def transcript(self):
        self.get("/student/transcript/", "learner transcript")

    @task(1)
    def diplomas(self):
        self.get("/student/diplomas/", "learner diplomas")


class Teacher(_Base):
    weight = 2

    def on_start(self):
        teacher = next(_teachers)
        self.login(teacher["session"])
        self.section = teacher["section"]
        self.learners = teacher["learners"]
        self.version = None

    @task(1)
    def gradebooks(self):
        self.get("/teacher/gradebooks/", "teacher gradebook list")

    @task(3)
    def open_and_save(self):
        self.get(f"/teacher/sections/{self.section}/gradebook/", "teacher gradebook open")
        url = f"/api/v1/sections/{self.section}/gradebook/"
        if self.version is None:
            with self.client.get(url, name="teacher gradebook open (api)",
                                 catch_response=True) as response:
                if response.status_code != 200:
                    response.failure(f"{response.status_code} on {url}")
                    return
                self.version = response.json()["version"]
        cells = [{"learner": pk, "column": column, "value": f"{random.randint(40, 100) / 10:.1f}"}
                 for pk in random.sample(self.learners, min(3, len(self.learners)))
                 for column in ("TX1",)]
        with self.client.patch(url, json={"version": self.version, "cells": cells},
                               headers={"X-CSRFToken": self.csrf,
                                        "Referer": self.host + url},
                               name="teacher gradebook save", catch_response=True) as response:
            if response.status_code == 200:
                self.version = response.json()["version"]
            else:
                response.failure(f"{response.status_code}: {response.text[:200]}")
                self.version = None


class Registrar(_Base):
    weight = 1

    def on_start(self):
        self.login(next(_registrars))

    @task(2)
    def gradebooks(self):
        self.get("/office/gradebooks/?status=all", "registrar gradebooks")

    @task(3)
    def search(self):
        query = random.choice(SCENARIO["searches"])
        self.get(f"/admin/enrollment/learner/?q={query}", "registrar learner search")

    @task(3)
    def transcript(self):
        learner = random.choice(SCENARIO["learner_ids"])
        self.get(f"/office/learners/{learner}/transcript/", "registrar transcript")

    @task(1)
    def warnings(self):
        self.get("/office/warnings/", "registrar warnings")


class Public(_Base):
    weight = 2

    def on_start(self):
        self.csrf = _csrf()
        self.client.cookies.set("csrftoken", self.csrf)

    @task(3)
    def qr_code(self):
        token = random.choice(SCENARIO["tokens"])
        self.get(f"/verify/{token}/", "public verification (QR)")

    @task(1)
    def form(self):
        serial, born = random.choice(SCENARIO["serials"])
        with self.client.post("/verify/", data={
                "serial_number": serial, "date_of_birth": born,
                "csrfmiddlewaretoken": self.csrf}, headers={"Referer": self.host + "/verify/"},
                name="public verification (form)", catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code} on /verify/")
