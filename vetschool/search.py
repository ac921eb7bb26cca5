"""Accent-insensitive name search on PostgreSQL's `unaccent` and `pg_trgm`.

The reference migration created `immutable_unaccent(text)`; the models index
`immutable_unaccent(lower(full_name))` with a GIN trigram index, and `name_matches`
filters on exactly that expression so the index serves `LIKE '%...%'`. Each word of the
query must appear in the name: "nguyen an" finds "Nguyễn Văn An".
"""

import unicodedata

from django.db.models import CharField, Func, Q, TextField, Transform, Value
from django.db.models.functions import Lower


class ImmutableUnaccent(Func):
    function = "immutable_unaccent"
    output_field = TextField()


def normalize_text(value: str) -> str:
    """NFC (as names are stored) with surrounding and repeated spaces removed."""
    return " ".join(unicodedata.normalize("NFC", value or "").split())


def search_words(query: str) -> list[str]:
    return normalize_text(query).split()


def name_matches(query: str, field: str = "full_name") -> Q:
    """A Q matching rows whose `field` contains every word of `query`, accents ignored.

    Matching is done in SQL on both sides, so the same unaccent rules apply to the query
    and to the stored names.
    """
    condition = Q()
    for word in search_words(query):
        condition &= Q(
            **{f"{field}__unaccent_lower__contains": ImmutableUnaccent(Lower(Value(word)))}
        )
    return condition


class UnaccentLower(Transform):
    """`field__unaccent_lower`: immutable_unaccent(lower(field)), the indexed expression."""

    lookup_name = "unaccent_lower"
    output_field = TextField()

    def as_sql(self, compiler, connection):
        sql, params = compiler.compile(self.lhs)
        return f"immutable_unaccent(LOWER({sql}))", params


CharField.register_lookup(UnaccentLower)
