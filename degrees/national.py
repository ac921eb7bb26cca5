"""How diplomas are pushed to the national database (contract type `diploma`, key
`serial_number`). The payload is the register's frozen facts: a later edit of the learner's
record changes nothing here; a replacement or revocation changes the diploma row itself."""

from degrees.models import Diploma
from vetschool.sync.registry import record


@record("diploma", model=Diploma, queryset=lambda qs: qs.select_related("replaces"))
def diploma_record(diploma: Diploma):
    if not diploma.national_id:
        return None  # the contract keys people by their personal ID
    return {"serial_number": diploma.serial_number}, {
        "register_number": diploma.register_number,
        "national_id": diploma.national_id,
        "full_name": diploma.holder_name,
        "date_of_birth": diploma.date_of_birth,
        "level": diploma.level,
        "occupation_code": diploma.occupation_code,
        "occupation_name": diploma.occupation_name_vi,
        "classification": diploma.classification,
        "decision_number": diploma.decision_number,
        "decision_date": diploma.decision_date,
        "issue_date": diploma.issue_date,
        "status": diploma.status,
        "replaces": diploma.replaces.serial_number if diploma.replaces_id else None,
        "revocation_reason": diploma.revocation_reason or None,
    }
