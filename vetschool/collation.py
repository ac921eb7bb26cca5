"""Vietnamese alphabetical order of people's names: the one roster order of every list of
a section's learners (section page, attendance, gradebook, their spreadsheets and API).

A Vietnamese list sorts by the given name (the last word), then the family and middle
names; letters in the Vietnamese alphabet (a ă â b c d đ …), tones only to break ties;
the learner code last, so that two namesakes always come in the same order.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from typing import TypeVar

T = TypeVar("T")

_ALPHABET = ["a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g", "h", "i", "j", "k", "l",
             "m", "n", "o", "ô", "ơ", "p", "q", "r", "s", "t", "u", "ư", "v", "w", "x", "y", "z"]
_RANK = {letter: rank for rank, letter in enumerate(_ALPHABET)}
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


def _collate(word: str) -> tuple[tuple, tuple]:
    """Vietnamese alphabetical order: letters (a ă â b c d đ …) first, tones second."""
    letters, tones = [], []
    for char in word.casefold():
        base, *marks = unicodedata.normalize("NFD", char)
        tone = next((_TONES[m] for m in marks if m in _TONES), 0)
        letter = unicodedata.normalize("NFC", base + "".join(m for m in marks
                                                             if m not in _TONES))
        letters.append(_RANK.get(letter, 100 + ord(letter[0])))
        tones.append(tone)
    return tuple(letters), tuple(tones)


def vietnamese_sort_key(full_name: str) -> tuple:
    """Class lists sort by given name (the last word), then family and middle names."""
    parts = full_name.split()
    given = _collate(parts[-1]) if parts else ((), ())
    rest = [_collate(part) for part in parts[:-1]]
    return (given[0], [r[0] for r in rest], given[1], [r[1] for r in rest])



def roster_key(full_name: str, code: str) -> tuple:
    """The roster order: the name in Vietnamese order, then the code."""
    return (vietnamese_sort_key(full_name), code)


def in_roster_order(items: Iterable[T], learner: Callable[[T], object]) -> list[T]:
    """`items` (learners, or rows that hang off one: `learner(item)` gives it) sorted in
    the roster order. Every page, export and API listing a section's learners uses it."""
    def key(item):
        person = learner(item)
        return roster_key(person.full_name, person.code)
    return sorted(items, key=key)
