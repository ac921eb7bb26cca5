"""The accent-insensitive search moved to the platform (`vetschool.search`) so that every app
can use it; this module stays because enrollment's first migration names
`enrollment.search.ImmutableUnaccent` in an index expression."""

from vetschool.search import (  # noqa: F401
    ImmutableUnaccent,
    UnaccentLower,
    name_matches,
    normalize_text,
    search_words,
)
