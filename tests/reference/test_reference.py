import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction

from vetschool.reference.models import (
    EthnicGroup,
    Institution,
    Occupation,
    Province,
    ProvincialUnit,
)

pytestmark = pytest.mark.django_db

GOOD_CSV = (
    "code,name_vi,name_en,level\n"
    "6480201,Công nghệ thông tin,Information technology,college\n"
    "5480201,Công nghệ thông tin,Information technology,trung cấp\n"
    "6510305,Công nghệ kỹ thuật điện,Electrical engineering technology,\n"
)
BAD_CSV = (
    "code,name_vi,name_en,level\n"
    "6480201,Công nghệ thông tin,Information technology,college\n"
    "648020,Quản trị mạng,Network administration,college\n"
    "5480209,,Network administration,intermediate\n"
    "6480210,Thiết kế đồ họa,Graphic design,university\n"
)


def test_code_lists_are_loaded_from_the_project_data():
    assert Province.objects.count() == 63
    assert Province.objects.get(id_code="079").name_vi == "Hồ Chí Minh"
    assert EthnicGroup.objects.count() == 54
    assert EthnicGroup.objects.get(code="01").name_vi == "Kinh"


def test_occupation_catalogue_import_loads_a_clean_file(tmp_path, capsys):
    path = tmp_path / "danh-muc.csv"
    path.write_text(GOOD_CSV, encoding="utf-8")
    call_command("import_occupations", str(path))
    assert Occupation.objects.filter(is_demo=False).count() == 3
    assert Occupation.objects.get(code="5480201").level == "intermediate"
    assert Occupation.objects.get(code="6510305").level == "college"  # read from the code
    assert "3 new" in capsys.readouterr().out


def test_occupation_import_with_bad_rows_imports_nothing_and_reports_each_row(tmp_path, capsys):
    path = tmp_path / "danh-muc.csv"
    path.write_text(BAD_CSV, encoding="utf-8")
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_occupations", str(path))
    assert not Occupation.objects.exists()
    report = capsys.readouterr().err
    assert "row 3, code" in report
    assert "row 4, name_vi" in report
    assert "row 5, level" in report
    assert "row 2" not in report


def test_occupation_import_refuses_an_unreadable_file(tmp_path):
    path = tmp_path / "danh-muc.xlsx"
    path.write_bytes(b"this is not a spreadsheet")
    with pytest.raises(CommandError, match="Không đọc được tệp"):
        call_command("import_occupations", str(path))


def test_occupation_import_is_rerunnable_without_duplicates(tmp_path):
    path = tmp_path / "danh-muc.csv"
    path.write_text(GOOD_CSV, encoding="utf-8")
    call_command("import_occupations", str(path))
    call_command("import_occupations", str(path))
    assert Occupation.objects.count() == 3


def test_occupation_import_via_admin_shows_row_errors_and_saves_nothing(client, registrar):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(registrar)
    response = client.post(
        "/admin/reference/occupation/import/",
        {"format": "0", "import_file": SimpleUploadedFile("d.csv", BAD_CSV.encode())},
    )
    assert response.status_code == 200
    assert "648020" in response.content.decode()
    assert not Occupation.objects.exists()


def test_the_database_refuses_an_occupation_code_of_the_wrong_level():
    with pytest.raises(IntegrityError), transaction.atomic():
        Occupation.objects.create(code="5480201", name_vi="X", level="college")


def test_the_institution_is_a_single_row():
    Institution(name_vi="Trường A", ministry_code="CDA").save()
    Institution(name_vi="Trường B", ministry_code="CDB").save()
    assert Institution.objects.count() == 1
    assert Institution.current().name_vi == "Trường B"
    with pytest.raises(IntegrityError), transaction.atomic():
        Institution.objects.bulk_create([Institution(id=2, name_vi="C", ministry_code="C")])


def test_accent_insensitive_search_function_is_available():
    with connection.cursor() as cursor:
        cursor.execute("SELECT immutable_unaccent(lower(%s))", ["Nguyễn Văn Ân Đức"])
        assert cursor.fetchone()[0] == "nguyen van an duc"


def test_seed_demo_is_idempotent(capsys):
    from django.contrib.auth import get_user_model

    call_command("seed_demo")
    counts = (get_user_model().objects.count(), Occupation.objects.count())
    call_command("seed_demo")
    assert (get_user_model().objects.count(), Occupation.objects.count()) == counts
    assert Occupation.objects.filter(is_demo=True).count() == Occupation.objects.count()
    out = capsys.readouterr().out
    for username in ("admin", "registrar", "teacher", "learner", "qa", "hr"):
        assert f" {username} " in out


def test_history_records_admin_changes_with_the_acting_user(client, registrar):
    import pghistory.models

    occupation = Occupation.objects.create(code="6480201", name_vi="CNTT", level="college")
    client.force_login(registrar)
    response = client.post(
        f"/admin/reference/occupation/{occupation.pk}/change/",
        {"code": "6480201", "name_vi": "Công nghệ thông tin", "name_en": "IT",
         "level": "college", "is_active": "on"},
    )
    assert response.status_code == 302, response.content
    events = pghistory.models.Events.objects.references(occupation)
    assert sorted(e.pgh_label for e in events) == ["insert", "update"]
    update = next(e for e in events if e.pgh_label == "update")
    assert update.pgh_data["name_vi"] == "Công nghệ thông tin"
    assert update.pgh_context["user"] == registrar.pk
    assert update.pgh_context["url"].endswith("/change/")


def test_history_records_bulk_updates_too():
    import pghistory.models

    occupation = Occupation.objects.create(code="6480201", name_vi="CNTT", level="college")
    Occupation.objects.filter(pk=occupation.pk).update(name_vi="Công nghệ thông tin")
    labels = list(
        pghistory.models.Events.objects.references(occupation).values_list("pgh_label", flat=True)
    )
    assert labels.count("update") == 1


def _institution_form(**changes) -> dict:
    form = {
        "name_vi": "Trường Cao đẳng Kỹ thuật Công nghệ Sông Hồng",
        "name_en": "Song Hong College of Technology", "short_name": "CĐ Sông Hồng",
        "ministry_code": "CDSH01", "level": "college",
        "address": "Số 18 đường Nguyễn Trãi, Thanh Xuân, Hà Nội",
        "province": str(ProvincialUnit.objects.get(code="01").pk),
        "latitude": "20.993500", "longitude": "105.811700",
        "phone": "", "email": "", "website": "", "rector_name": "TS. Vũ Quang Minh",
    }
    form.update(changes)
    return form


def test_the_registrar_edits_the_institution_profile_in_the_admin(client, registrar):
    from decimal import Decimal

    Institution(name_vi="Trường cũ", ministry_code="OLD").save()
    client.force_login(registrar)
    page = client.get("/admin/reference/institution/1/change/").content.decode()
    for field in ("name_vi", "name_en", "ministry_code", "level", "address", "province",
                  "latitude", "longitude"):
        assert f'name="{field}"' in page, field
    response = client.post("/admin/reference/institution/1/change/", _institution_form())
    assert response.status_code == 302, response.content
    institution = Institution.current()
    assert institution.name_en == "Song Hong College of Technology"
    assert institution.ministry_code == "CDSH01"
    assert institution.province.name_vi == "Hà Nội"
    assert (institution.latitude, institution.longitude) == (Decimal("20.9935"),
                                                             Decimal("105.8117"))


def test_the_admin_refuses_a_position_off_the_map(client, registrar):
    Institution(name_vi="Trường", ministry_code="CDSH01").save()
    client.force_login(registrar)
    response = client.post("/admin/reference/institution/1/change/",
                           _institution_form(latitude="120"))
    assert response.status_code == 200
    assert Institution.current().latitude is None


def test_other_roles_only_read_the_institution_profile(client, qa_officer):
    Institution(name_vi="Trường", ministry_code="CDSH01").save()
    client.force_login(qa_officer)
    assert client.get("/admin/reference/institution/1/change/").status_code == 200
    response = client.post("/admin/reference/institution/1/change/",
                           _institution_form(name_vi="Đổi tên"))
    assert response.status_code == 403
    assert Institution.current().name_vi == "Trường"


def test_code_lists_are_editable_in_the_admin(client, superuser):
    client.force_login(superuser)
    province = Province.objects.get(id_code="079")
    page = client.get(f"/admin/reference/province/{province.pk}/change/")
    assert page.status_code == 200
    group = EthnicGroup.objects.get(code="01")
    response = client.post(f"/admin/reference/ethnicgroup/{group.pk}/change/", {
        "code": "01", "name_vi": "Kinh", "name_ascii": "Kinh", "other_spellings": "Việt"})
    assert response.status_code == 302, response.content
    assert EthnicGroup.objects.get(code="01").other_spellings == "Việt"
