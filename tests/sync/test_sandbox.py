"""The sandbox implements the contract: authentication, idempotency, versions,
validation, summary — checked with hand-signed requests (not our client)."""

import gzip
import hashlib
import hmac
import json
import re
import time
import uuid

import httpx
import pytest

from tests.sync.conftest import INSTITUTION, SECRET, digest_of, signed_get
from vetschool.sync import sandbox

PATH = f"/v1/institutions/{INSTITUTION}/batches"


@pytest.fixture
def server(tmp_path):
    box = sandbox.serve_in_thread(db=tmp_path / "sandbox.sqlite3", secret=SECRET,
                                  faults=sandbox.Faults(seed=1))
    yield box
    box.shutdown()
    box.server_close()


def learner(nid="001205000001", version=1, **data):
    payload = {"learner_code": "HS1", "full_name": "Lê Thị Hoa", "date_of_birth": "2005-03-04",
               "gender": "female", "ethnicity_code": "01", "nationality": "VN",
               "province_code": "01", **data}
    return {"type": "learner", "op": "upsert", "version": version,
            "key": {"national_id": nid}, "data": payload}


def post(server, records, *, batch_id=None, secret=SECRET, timestamp=None, gz=True,
         path=PATH, institution=INSTITUTION):
    body = json.dumps({"batch_id": batch_id or str(uuid.uuid4()),
                       "generated_at": "2025-01-01T01:00:00+07:00", "records": records}).encode()
    if gz:
        body = gzip.compress(body)
    ts = str(timestamp if timestamp is not None else int(time.time()))
    message = f"POST\n{path}\n{ts}\n{hashlib.sha256(body).hexdigest()}"
    headers = {"X-Institution-Code": institution, "X-Timestamp": ts,
               "X-Signature": hmac.new(secret.encode(), message.encode(),
                                       hashlib.sha256).hexdigest(),
               "Content-Type": "application/json"}
    if gz:
        headers["Content-Encoding"] = "gzip"
    return httpx.post(server.url + path, content=body, headers=headers, timeout=10)


def test_a_signed_batch_is_stored_and_answered_per_record(server):
    response = post(server, [learner(), learner("001205000002")])
    assert response.status_code == 200
    body = response.json()
    assert [r["status"] for r in body["results"]] == ["accepted", "accepted"]
    assert body["summary"] == {"accepted": 2, "stale": 0, "rejected": 0}


def test_a_wrong_signature_and_a_skewed_clock_are_told_apart(server):
    bad_secret = post(server, [learner()], secret="nope")
    skewed = post(server, [learner()], timestamp=int(time.time()) - 400)
    assert bad_secret.status_code == skewed.status_code == 401
    assert bad_secret.headers["Content-Type"] == "application/problem+json"
    assert bad_secret.json()["type"].endswith("bad-signature")
    assert skewed.json()["type"].endswith("clock-skew")
    assert re.search(r"\b(400|401) s behind", skewed.json()["detail"])


def test_the_path_code_must_match_the_header(server):
    response = post(server, [learner()], path="/v1/institutions/OTHER1/batches")
    assert response.status_code == 401
    assert response.json()["type"].endswith("institution-mismatch")


def test_the_same_batch_replays_and_a_reused_id_with_another_body_conflicts(server):
    batch_id = str(uuid.uuid4())
    first = post(server, [learner()], batch_id=batch_id)
    again = post(server, [learner()], batch_id=batch_id)
    other = post(server, [learner(version=2)], batch_id=batch_id)
    assert again.headers["Idempotent-Replay"] == "true"
    assert again.json() == first.json()
    assert "Idempotent-Replay" not in first.headers
    assert other.status_code == 409


def test_only_a_higher_version_replaces_a_record(server):
    post(server, [learner(version=5, full_name="Five")])
    answer = post(server, [learner(version=5, full_name="Again"),
                           learner(version=4, full_name="Older"),
                           learner(version=6, full_name="Six")]).json()
    assert [r["status"] for r in answer["results"]] == ["stale", "stale", "accepted"]
    record = signed_get(server.url, f"/v1/institutions/{INSTITUTION}/records/learner/"
                                    "001205000001").json()
    assert (record["version"], record["data"]["full_name"]) == (6, "Six")


def test_invalid_records_are_rejected_with_their_code_and_the_rest_accepted(server):
    answer = post(server, [learner("12345"), learner("001205000009", gender="other"),
                           learner("001205000010", score=1)]).json()
    results = answer["results"]
    assert (results[0]["status"], results[0]["code"]) == ("rejected", "invalid_national_id")
    assert (results[1]["status"], results[1]["code"]) == ("rejected", "invalid_record")
    assert "gender" in results[1]["message"]
    assert results[2]["status"] == "accepted"


def test_decimal_scores_are_multiples_of_a_tenth(server):
    base = {"type": "module_result", "op": "upsert", "version": 1,
            "key": {"national_id": "001205000001", "occupation_code": "6480201",
                    "level": "college", "module_code": "MH01"}}
    data = {"module_name": "Tin học", "credits": 3, "score_4": 3.0, "letter": "B",
            "passed": True, "attempts": 1, "academic_year": "2024-2025", "semester": 1}
    answer = post(server, [{**base, "data": {**data, "score_10": 7.3}},
                           {**base, "version": 2, "data": {**data, "score_10": 7.35}}]).json()
    assert [r["status"] for r in answer["results"]] == ["accepted", "rejected"]


def test_a_delete_hides_the_record_from_the_summary(server):
    post(server, [learner(), learner("001205000002")])
    post(server, [{"type": "learner", "op": "delete", "version": 2,
                   "key": {"national_id": "001205000001"}}])
    summary = signed_get(server.url, f"/v1/institutions/{INSTITUTION}/summary").json()
    assert summary["types"]["learner"] == {"count": 1,
                                           "digest": digest_of({"001205000002": 1})}
    assert summary["types"]["diploma"]["count"] == 0


def test_batches_are_answered_again_by_id_and_limits_hold(server):
    batch_id = str(uuid.uuid4())
    post(server, [learner()], batch_id=batch_id, gz=False)
    stored = signed_get(server.url, f"{PATH}/{batch_id}")
    assert stored.json()["batch_id"] == batch_id
    assert signed_get(server.url, f"{PATH}/{uuid.uuid4()}").status_code == 404
    too_many = [learner(f"0012050{i:05d}") for i in range(1001)]
    assert post(server, too_many).status_code == 413
    assert post(server, []).status_code == 400


def test_dropped_connections_happen_after_the_batch_is_stored(tmp_path):
    box = sandbox.serve_in_thread(db=tmp_path / "drop.sqlite3", secret=SECRET,
                                  faults=sandbox.Faults(drop_rate=1.0, seed=1))
    try:
        batch_id = str(uuid.uuid4())
        with pytest.raises(httpx.RemoteProtocolError):
            post(box, [learner()], batch_id=batch_id)
        replay = post(box, [learner()], batch_id=batch_id)
        assert replay.headers["Idempotent-Replay"] == "true"
        assert replay.json()["summary"]["accepted"] == 1
    finally:
        box.shutdown()
        box.server_close()
