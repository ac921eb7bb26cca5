"""Vietnamese first: every catalogue of the project is fully translated and compiled."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CATALOGUES = sorted(
    p for p in ROOT.glob("**/locale/vi/LC_MESSAGES/django.po")
    if ".venv" not in p.parts and "var" not in p.parts
)


def _entries(text: str):
    for block in text.split("\n\n"):
        lines = [ln for ln in block.strip().splitlines() if not ln.startswith("#~")]
        if not lines:
            continue
        fuzzy = any(ln.startswith("#,") and "fuzzy" in ln for ln in lines)
        fields: dict[str, str] = {}
        current = None
        for line in lines:
            match = re.match(r'^(msgid|msgid_plural|msgstr(?:\[\d+\])?) "(.*)"$', line)
            if match:
                current = match.group(1)
                fields[current] = match.group(2)
            elif line.startswith('"') and current:
                fields[current] += line[1:-1]
        if "msgid" in fields:
            yield fields, fuzzy


def test_there_is_a_vietnamese_catalogue():
    assert CATALOGUES


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_catalogue_is_fully_translated_and_compiled(po):
    untranslated = [
        fields["msgid"]
        for fields, fuzzy in _entries(po.read_text(encoding="utf-8"))
        if fields["msgid"]
        and (fuzzy or not any(v for k, v in fields.items() if k.startswith("msgstr")))
    ]
    assert untranslated == []
    assert po.with_suffix(".mo").exists()


def test_no_catalogue_installed_earlier_shadows_a_translation_with_english():
    """Django merges the catalogues, the earlier app winning: Django's auth catalogue
    "translates" `version` as `version`, so the apps' "phiên bản" never showed. Each
    translated message of the project must read translated at run time."""
    from django.utils import translation

    shadowed = []
    with translation.override("vi"):
        for po in CATALOGUES:
            for fields, _fuzzy in _entries(po.read_text(encoding="utf-8")):
                msgid, msgstr = fields["msgid"], fields.get("msgstr", "")
                if not msgid or "msgid_plural" in fields or not msgstr or msgstr == msgid:
                    continue
                text = re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m[1], m[1]), msgid)
                if translation.gettext(text) == text:
                    shadowed.append((po.relative_to(ROOT).parts[0], msgid))
    assert shadowed == []
