"""degrees/national.py: the `diploma` record fits the national contract's schema, and issuing,
replacing or revoking a diploma leaves a change for the outbox in the same transaction."""

import json
from datetime import date

import pytest

from degrees.national import diploma_record
from degrees.services.register import diploma_replace, diploma_revoke
from tests.degrees.factories import finished_class, issued
from vetschool.sync import contract, registry
from vetschool.sync.models import Change
from vetschool.sync.outbox import build
from vetschool.sync.sandbox import RecordValidator

pytestmark = pytest.mark.django_db


def _document(diploma) -> dict:
    built = build(registry.get_type("diploma"), diploma)
    assert built is not None
    key, _key_text, data_json, _digest = built
    return {**key, **json.loads(data_json)}


def test_diploma_records_validate_against_the_contract(registrar):
    validator = RecordValidator()
    w = finished_class(3)
    _decision, (valid, to_replace, to_revoke) = issued(w, registrar)
    new = diploma_replace(diploma=to_replace, reason="Sai tên", by=registrar)
    diploma_revoke(diploma=to_revoke, reason="Gian lận", decision_number="9/QĐ",
                   decision_date=date(2026, 9, 1), by=registrar)
    for diploma in (valid, to_replace, new, to_revoke):
        diploma.refresh_from_db()
        document = _document(diploma)
        assert validator.problem("diploma", document) is None, document
        assert set(document) <= set(contract.schemas()["diploma"]["properties"])
    assert _document(new)["replaces"] == to_replace.serial_number
    assert _document(to_replace)["status"] == "replaced"
    revoked = _document(to_revoke)
    assert (revoked["status"], revoked["revocation_reason"]) == ("revoked", "Gian lận")
    key, _data = diploma_record(valid)
    assert tuple(key) == contract.key_fields("diploma") == ("serial_number",)


def test_issuing_and_revoking_leave_changes_for_the_outbox(registrar):
    w = finished_class(1)
    _decision, (diploma,) = issued(w, registrar)
    assert Change.objects.filter(table_name="degrees_diploma", row_pk=str(diploma.pk)).exists()
    before = Change.objects.filter(table_name="degrees_diploma").count()
    diploma_revoke(diploma=diploma, reason="Gian lận", decision_number="9/QĐ",
                   decision_date=date(2026, 9, 1), by=registrar)
    assert Change.objects.filter(table_name="degrees_diploma").count() > before


def test_a_diploma_without_personal_id_is_not_pushed(registrar):
    w = finished_class(1)
    _decision, (diploma,) = issued(w, registrar)
    diploma.national_id = ""
    assert diploma_record(diploma) is None
