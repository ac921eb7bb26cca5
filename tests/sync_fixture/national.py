"""TEST ONLY: how the fixture's Person is pushed as a national `learner` record.

This is the shape a domain app's national.py takes (about 30 lines per type).
"""

from django.db.models import Prefetch

from tests.sync_fixture.models import Person, Residence
from vetschool.sync.registry import record


# Stands in for enrollment's `learner` type in the test run: the sync tests drive the
# platform with this small model; tests/sync/test_domain_records.py covers the real types.
@record("learner", model=Person, replace=True,
        # A residence's changes affect the record of the person in its person_id column.
        sources={Residence: "person_id"},
        # Into a list (to_attr), not the related manager's cache: Django builds a queryset
        # per person for that cache, half of the push's time for this small type (the
        # profile of bench_sync, BENCH_SYNC_PROFILE=1).
        queryset=lambda qs: qs.select_related("ethnicity").prefetch_related(
            Prefetch("residences", to_attr="residence_list")))
def learner_record(person: Person):
    if not person.national_id:
        return None  # the contract pushes no one without a personal ID
    residences = getattr(person, "residence_list", None)
    if residences is None:  # a person not read through the queryset above
        residences = person.residences.all()
    residences = sorted(residences, key=lambda r: (r.since, r.pk))
    return {"national_id": person.national_id}, {
        "learner_code": person.code,
        "full_name": person.full_name,
        "date_of_birth": person.birth_date,
        "gender": person.gender,
        "ethnicity_code": person.ethnicity.code if person.ethnicity else "01",
        "nationality": person.nationality,
        "province_code": residences[-1].province_code if residences else None,
    }
