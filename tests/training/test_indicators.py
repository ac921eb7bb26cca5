"""Decision 2222 criterion b: digital outcomes (b1) and IT programs updated (b2)."""

from decimal import Decimal

import pytest

from tests.enrollment.factories import occupation
from tests.training.factories import IT_MODULES, program
from training import services
from training.indicators import (
    ProgramFacts,
    current_versions,
    digital_outcomes,
    is_it_occupation,
    it_programs_updated,
)


def facts(code, year, digital=True, revision=1, pk=None):
    return ProgramFacts(id=pk or hash((code, year, revision)) % 10_000, occupation_code=code,
                        name=f"Nghề {code}", version=str(year), effective_year=year,
                        revision=revision, has_digital_outcome=digital)


@pytest.mark.parametrize(("digital_flags", "percent", "met_2025", "met_2030", "gaps"), [
    ([], None, None, None, (0, 0)),
    ([True] * 7 + [False] * 3, Decimal("70.0"), True, False, (0, 3)),
    ([True] * 2 + [False], Decimal("66.7"), False, False, (1, 1)),
    ([True] * 3, Decimal("100.0"), True, True, (0, 0)),
    ([False] * 4, Decimal("0.0"), False, False, (3, 4)),
    ([True] * 69 + [False] * 31, Decimal("69.0"), False, False, (1, 31)),
])
def test_digital_outcomes_against_the_2025_and_2030_targets(digital_flags, percent, met_2025,
                                                            met_2030, gaps):
    versions = [facts(f"64802{i:02d}", 2024, flag) for i, flag in enumerate(digital_flags)]
    result = digital_outcomes(versions)
    assert result.share.percent == percent
    assert [c.met for c in result.share.targets] == [met_2025, met_2030]
    assert tuple(c.gap for c in result.share.targets) == gaps
    assert len(result.missing) == digital_flags.count(False)
    assert all(not v.has_digital_outcome for v in result.missing)


@pytest.mark.parametrize(("code", "prefixes", "expected"), [
    ("6480201", ["48"], True),
    ("5480209", ["48"], True),
    ("6340301", ["48"], False),
    ("6520227", ["48", "52"], True),
    ("6480201", ["4802"], True),
    ("6480301", ["4802"], False),
    ("6480201", [""], False),
])
def test_it_occupations_by_field_prefix(code, prefixes, expected):
    assert is_it_occupation(code, prefixes) is expected


def test_the_current_version_is_the_latest_in_force():
    versions = [facts("6480201", 2021), facts("6480201", 2025), facts("6480201", 2025, revision=2),
                facts("6340301", 2019)]
    current = current_versions(versions)
    assert [(v.occupation_code, v.effective_year, v.revision) for v in current] == [
        ("6340301", 2019, 1), ("6480201", 2025, 2)]


@pytest.mark.parametrize(("years", "updated", "outdated"), [
    (1, 1, ["5480209", "6480209"]),
    (2, 1, ["5480209", "6480209"]),
    (3, 2, ["5480209"]),
    (5, 2, ["5480209"]),
    (6, 3, []),
])
def test_it_programs_updated_within_n_years(years, updated, outdated):
    versions = [
        facts("6480201", 2019), facts("6480201", 2026),  # updated this year
        facts("6480209", 2024),  # 2 years ago
        facts("5480209", 2021),
        facts("6340301", 2010),  # not IT
    ]
    result = it_programs_updated(versions, reporting_year=2026, years=years, prefixes=["48"])
    assert result.share.counted == 3
    assert result.share.completed == updated
    assert sorted(v.occupation_code for v in result.outdated) == outdated
    assert result.since_year == 2026 - years + 1
    assert result.share.targets[0].met is (not outdated)


def test_years_must_be_positive():
    with pytest.raises(ValueError):
        it_programs_updated([], reporting_year=2026, years=0, prefixes=["48"])


# --- The page -----------------------------------------------------------------------------------


@pytest.fixture
def programs(db):
    program()  # 6480201 college IT, 2025, digital
    program(occupation("6520227", "Điện công nghiệp"), year=2020, digital=False,
            short_code="DCN", modules=IT_MODULES, prerequisites=None)
    old_it = program(occupation("6480209", "Quản trị mạng máy tính"), year=2019,
                     short_code="QTM", modules=IT_MODULES, prerequisites=None)
    services.program_new_version(program=old_it, effective_year=2026)  # a draft: not counted
    program(occupation("6340301", "Kế toán"), year=2024, digital=False, activate=False,
            short_code="KT", modules=IT_MODULES, prerequisites=None)  # draft: not counted


def test_the_indicator_page_shows_shares_and_missing_lists(client, registrar, programs,
                                                           django_assert_max_num_queries):
    client.force_login(registrar)
    with django_assert_max_num_queries(8):
        response = client.get("/training/indicators/programs/")
    assert response.status_code == 200
    digital, it = response.context["digital"], response.context["it"]
    assert (digital.share.counted, digital.share.completed) == (3, 2)
    assert [v.occupation_code for v in digital.missing] == ["6520227"]
    assert (it.share.counted, it.share.completed) == (2, 1)
    assert [v.occupation_code for v in it.outdated] == ["6480209"]
    page = response.content.decode()
    assert "Điện công nghiệp" in page and "Quản trị mạng máy tính" in page


def test_n_comes_from_the_query_and_defaults_to_the_setting(client, qa_officer, programs,
                                                            settings):
    client.force_login(qa_officer)
    settings.TRAINING_PROGRAM_UPDATE_YEARS = 3
    assert client.get("/training/indicators/programs/").context["years"] == 3
    response = client.get("/training/indicators/programs/?years=10")
    assert response.context["years"] == 10
    assert response.context["it"].share.completed == 2
    bad = client.get("/training/indicators/programs/?years=abc")
    assert bad.status_code == 200 and bad.context["years"] == 3
    assert bad.context["form"].errors


def test_the_it_field_list_is_a_setting(client, registrar, programs, settings):
    settings.TRAINING_IT_OCCUPATION_PREFIXES = ["52"]
    client.force_login(registrar)
    it = client.get("/training/indicators/programs/").context["it"]
    assert [v.occupation_code for v in it.programs] == ["6520227"]


def test_only_the_training_and_qa_offices_see_the_indicators(client, teacher, learner,
                                                             hr_officer):
    for user in (teacher, learner, hr_officer):
        client.force_login(user)
        assert client.get("/training/indicators/programs/").status_code == 403
    client.logout()
    assert client.get("/training/indicators/programs/").status_code == 302
