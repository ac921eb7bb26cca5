"""Vietnamese is the default language of the staff pages, with a complete catalogue."""

from pathlib import Path

import pytest
from django.utils import translation

from tests.staff import helpers

CATALOGUE = Path(__file__).resolve().parents[2] / "staff" / "locale" / "vi" / "LC_MESSAGES"


def untranslated(lines: list[str]) -> list[str]:
    """msgids whose msgstr is empty (a multi-line msgstr starts empty and continues)."""
    out = []
    for index, line in enumerate(lines):
        if index > 10 and line in ('msgstr ""', 'msgstr[0] ""'):
            following = lines[index + 1] if index + 1 < len(lines) else ""
            if not following.startswith('"'):
                out.append(lines[index - 1])
    return out


def test_the_check_finds_an_untranslated_entry():
    header = ['msgid ""', 'msgstr ""', '"Language: vi\\n"'] + [""] * 9
    assert untranslated(header + ['msgid "Save"', 'msgstr ""', ""]) == ['msgid "Save"']
    assert untranslated(header + ['msgid "Save"', 'msgstr "Lưu"', ""]) == []


def test_the_vietnamese_catalogue_is_complete_and_compiled():
    lines = (CATALOGUE / "django.po").read_text(encoding="utf-8").splitlines()
    assert not any(line.startswith("#, fuzzy") for line in lines)
    assert untranslated(lines) == []
    assert (CATALOGUE / "django.mo").stat().st_size > 10_000


@pytest.mark.django_db
def test_pages_are_in_vietnamese_by_default(client, settings, hr_officer, teacher, cntt):
    settings.LANGUAGE_CODE = "vi"
    with translation.override("vi"):
        helpers.staff(dept=cntt, user=teacher)
        client.force_login(hr_officer)
        body = client.get("/staff/indicators/").content.decode()
        assert "Chỉ tiêu đội ngũ theo Quyết định 2222" in body
        assert "Toàn trường" in body
        client.force_login(teacher)
        body = client.get("/teacher/profile/").content.decode()
        assert "Hồ sơ của tôi" in body and "Quá trình công tác" in body
