"""The admin dashboard and the outbox's rejected entries."""

import pytest
from django.urls import reverse

from tests.sync.conftest import make_people
from vetschool.sync import services
from vetschool.sync.models import Configuration, Entry, Run

DASHBOARD = "/admin/sync/dashboard/"


@pytest.mark.django_db
def test_the_dashboard_says_clearly_that_sync_is_disabled(client, superuser, settings):
    settings.NATIONAL_API_URL = ""
    client.force_login(superuser)
    response = client.get(DASHBOARD, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "sync disabled: NATIONAL_API_URL not set" in response.content.decode()


@pytest.mark.django_db
def test_the_dashboard_is_listed_in_the_admin_index(client, superuser):
    client.force_login(superuser)
    assert DASHBOARD in client.get(reverse("admin:index")).content.decode()


@pytest.mark.django_db
def test_a_registrar_may_look_but_not_push(client, registrar):
    client.force_login(registrar)
    assert client.get(DASHBOARD).status_code == 200
    assert "sync-now" not in client.get(DASHBOARD).content.decode()
    assert client.post(DASHBOARD + "sync-now/").status_code == 403
    assert client.post(DASHBOARD + "retry-rejected/").status_code == 403


@pytest.mark.django_db
def test_teachers_and_learners_cannot_see_it(client, teacher):
    client.force_login(teacher)
    response = client.get(DASHBOARD)
    assert response.status_code in (302, 403)


@pytest.mark.django_db(transaction=True)
def test_the_dashboard_shows_runs_queue_rejections_and_reconciliation(
        client, superuser, national, django_assert_max_num_queries):
    from tests.sync_fixture.models import Person

    make_people(12)
    Person.objects.create(national_id="123", code="X", full_name="X", birth_date="2005-01-01")
    services.push_command()
    make_people(3, start=100)  # waiting for the next push
    client.force_login(superuser)

    with django_assert_max_num_queries(15):
        response = client.get(DASHBOARD, HTTP_ACCEPT_LANGUAGE="en")

    html = response.content.decode()
    assert "Pushing to" in html
    assert 'class="sync-changes">3<' in html
    assert html.count('class="sync-rejected-entry"') == 1
    assert "invalid_national_id" in html
    assert "sync-run-succeeded" in html
    assert "sync-type-behind" in html  # one learner rejected: the ministry holds 12 of 13


@pytest.mark.django_db(transaction=True)
def test_sync_now_from_the_dashboard_pushes(client, superuser, national):
    make_people(5)
    client.force_login(superuser)
    response = client.post(DASHBOARD + "sync-now/")
    assert response.status_code == 302
    run = Run.objects.get()
    assert (run.kind, run.status, run.accepted, run.requested_by) == \
        (Run.Kind.MANUAL, Run.Status.SUCCEEDED, 5, superuser)
    assert len(national.live()) == 5


@pytest.mark.django_db(transaction=True)
def test_retry_after_fix_action_requeues_rejected_entries(client, superuser, national):
    from tests.sync_fixture.models import Ethnicity, Person

    typo = Ethnicity.objects.create(code="X1", name="typo")
    person = make_people(1)[0]
    Person.objects.filter(pk=person.pk).update(ethnicity=typo)
    services.push_command()
    rejected = Entry.objects.get(state=Entry.State.REJECTED)
    Ethnicity.objects.filter(pk=typo.pk).update(code="17")
    client.force_login(superuser)

    response = client.post(reverse("admin:sync_entry_changelist"), {
        "action": "retry_after_fix", "_selected_action": [rejected.pk]})

    assert response.status_code == 302
    rejected.refresh_from_db()
    assert rejected.state == Entry.State.SUPERSEDED
    assert services.drain().accepted == 1  # the drain sends re-queued entries


@pytest.mark.django_db
def test_entry_lists_mask_national_ids(client, superuser):
    Entry.objects.create(type="learner", rank=0, key={"national_id": "001205000001"},
                         key_text="001205000001", op="upsert", version=1,
                         state=Entry.State.REJECTED, reject_code="invalid_record")
    client.force_login(superuser)
    html = client.get(reverse("admin:sync_entry_changelist")).content.decode()
    assert "001205000001" not in html
    assert "0012******01" in html


@pytest.mark.django_db
def test_the_stored_secret_is_never_shown_and_kept_when_left_empty(client, superuser):
    Configuration.objects.create(url="http://127.0.0.1:8765", institution_code="CDSH01",
                                 secret="stored-secret")
    client.force_login(superuser)
    url = reverse("admin:sync_configuration_change", args=[1])
    assert "stored-secret" not in client.get(url).content.decode()
    response = client.post(url, {"url": "http://127.0.0.1:9999", "institution_code": "CDSH01",
                                 "secret": ""})
    assert response.status_code == 302
    stored = Configuration.objects.get()
    assert (stored.url, stored.secret) == ("http://127.0.0.1:9999", "stored-secret")


@pytest.mark.django_db
def test_seed_demo_points_the_college_at_the_local_sandbox(settings):
    from vetschool.demo import seed_institution
    from vetschool.sync import demo, sandbox
    from vetschool.sync.config import current_config

    settings.NATIONAL_API_URL = settings.NATIONAL_API_INSTITUTION = ""
    settings.NATIONAL_API_SECRET = ""
    seed_institution()
    demo.seed()
    demo.seed()  # idempotent
    config = current_config()
    assert (config.url, config.institution, config.secret) == \
        ("http://127.0.0.1:8765", "CDSH01", sandbox.DEFAULT_SECRET)


@pytest.mark.django_db
def test_the_dashboard_speaks_vietnamese_first(client, superuser, settings):
    settings.NATIONAL_API_URL = ""
    client.force_login(superuser)
    html = client.get(DASHBOARD, HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "đồng bộ đang tắt: chưa đặt NATIONAL_API_URL" in html
    assert "Các lần đẩy gần đây" in html
