"""Decimals go out as exact JSON numbers (the Decimal's text, never through float), and the
payload hash is computed on that text."""

import hashlib
import json
from decimal import Decimal

import pytest
from django.db import connection, transaction

from vetschool.sync.outbox.building import build, canonical_json


@pytest.mark.parametrize(("value", "text"), [
    (Decimal("7.50"), "7.50"),
    (Decimal("3.00"), "3.00"),
    (Decimal("10"), "10"),
    (Decimal("0.0"), "0.0"),
    (Decimal("-0.25"), "-0.25"),
    (Decimal("1E+1"), "10"),
    (Decimal("0.1") + Decimal("0.2"), "0.3"),
])
def test_a_decimal_is_written_as_its_exact_text(value, text):
    assert canonical_json({"score": value}) == '{"score":' + text + "}"
    # A reader that keeps decimals reads back the very value.
    assert json.loads(canonical_json(value), parse_float=Decimal) == value


def test_the_canonical_form_is_compact_sorted_and_keeps_vietnamese():
    data = {"b": Decimal("7.50"), "a": [1, True, None, "Điểm"], "c": {"z": 1, "y": "x"}}
    assert canonical_json(data) == '{"a":[1,true,null,"Điểm"],"b":7.50,"c":{"y":"x","z":1}}'
    # The same as the standard library writes everything but the Decimal.
    plain = {"a": [1, True, None, "Điểm"], "c": {"z": 1, "y": "x"}}
    assert canonical_json(plain) == json.dumps(plain, sort_keys=True, separators=(",", ":"),
                                               ensure_ascii=False)


def test_floats_and_non_numbers_are_refused():
    with pytest.raises(TypeError):
        canonical_json({"score": 7.5})
    with pytest.raises(ValueError):
        canonical_json({"score": Decimal("NaN")})


@pytest.mark.django_db
def test_a_result_goes_out_with_its_trailing_zeros_and_a_stable_hash(teacher, registrar):
    from grading.models import ModuleResult, TermSummary
    from tests.grading.factories import section, world
    from tests.grading.test_gradebook import fill, submit_and_approve
    from vetschool.sync import outbox, registry

    w = world(2)
    sec = section(w, "MH08", teacher=teacher)
    fill(sec, teacher, {"TX1": ["7.5", "7"], "DK1": ["7.5", "7"], "THI1": ["7.5", "7.0"]})
    submit_and_approve(sec, teacher, registrar)
    summary = TermSummary.objects.exclude(gpa_4=None).order_by("pk").first()
    TermSummary.objects.filter(pk=summary.pk).update(gpa_4=Decimal("3.00"))
    summary.refresh_from_db()
    record_type = registry.get_type("term_summary")
    key, key_text, data_json, digest = build(record_type, summary)

    assert '"gpa_4":3.00' in data_json
    assert digest == hashlib.sha256(f"{key_text}\n{data_json}".encode()).hexdigest()
    assert build(record_type, summary)[3] == digest
    result = ModuleResult.objects.exclude(score_10=None).order_by("pk").first()
    _key, _text, result_json, _digest = build(registry.get_type("module_result"), result)
    assert f'"score_10":{result.score_10}' in result_json

    # Through the outbox (jsonb) into the text a batch body is made of: PostgreSQL keeps
    # the scale, so 3.00 is what the ministry receives.
    with transaction.atomic():
        outbox.lock()
        outbox.process_roots(record_type, [summary.pk], force=True, tally=outbox.Tally())
    with connection.cursor() as cursor:
        cursor.execute("SELECT data::text FROM sync_entry WHERE type = 'term_summary' "
                       "AND key_text = %s", [key_text])
        (sent,) = cursor.fetchone()
    assert '"gpa_4": 3.00' in sent
    assert json.loads(sent, parse_float=Decimal)["gpa_4"] == Decimal("3.00")
