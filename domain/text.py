"""Vietnamese text: NFC normalisation, diacritic-insensitive folding and sorting."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
# Đ/đ is a letter of its own, not D plus a combining mark: NFD does not split it.
_D_BAR = str.maketrans({"đ": "d", "Đ": "D"})
_VIETNAMESE_ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxy"


def nfc(text: str) -> str:
    """NFC-normalise and collapse runs of whitespace to one space."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def clean(text: str) -> str:
    """NFC-normalise free text (reasons, narratives), keeping its line breaks."""
    return unicodedata.normalize("NFC", text).strip()


def fold(text: str) -> str:
    """Lowercase text with every diacritic removed, for search: 'Sở Y tế' -> 'so y te'."""
    decomposed = unicodedata.normalize("NFD", nfc(text).translate(_D_BAR))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return bare.casefold()


def matches(query: str, text: str) -> bool:
    """True when every word of the query occurs in the text, ignoring case and diacritics."""
    haystack = fold(text)
    return all(word in haystack for word in fold(query).split())


def _letter_rank(ch: str) -> tuple[int, int]:
    """Rank of a letter in the Vietnamese alphabet, then of its tone mark."""
    base = unicodedata.normalize("NFD", ch)
    tone = sum(1 for mark in base if unicodedata.combining(mark) and mark in _TONE_MARKS)
    letter = unicodedata.normalize("NFC", "".join(m for m in base if m not in _TONE_MARKS))
    index = _VIETNAMESE_ALPHABET.find(letter)
    return (index if index >= 0 else 100 + ord(letter[:1] or " "), tone)


# Tone marks: grave, acute, hook above, tilde, dot below. The other marks (breve,
# circumflex, horn) make letters of their own (ă, â, ê, ô, ơ, ư).
_TONE_MARKS = {"\u0300", "\u0301", "\u0309", "\u0303", "\u0323"}


def sort_key(text: str) -> tuple[tuple[int, int], ...]:
    """Order text as a Vietnamese reader expects: a < ă < â < b ... d < đ, tones last."""
    return tuple(_letter_rank(ch) for ch in nfc(text).casefold())
