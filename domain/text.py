"""Vietnamese text: NFC normalisation, diacritic-insensitive folding and sorting."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from domain.messages import Message, Param

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


_WORD = re.compile(r"\w+")


def words(text: str) -> list[str]:
    """The words of a text, lowercased, diacritics kept: 'Sở Y tế' -> ['sở', 'y', 'tế']."""
    return _WORD.findall(nfc(text).casefold())


def _same_word(wanted: str, word: str) -> bool:
    # A word typed without diacritics matches with or without them ("so" finds "sở" and
    # "số"); a word typed with them matches only as typed ("sở" never finds "số").
    return fold(word) == wanted if fold(wanted) == wanted else word == wanted


def matches(query: str, text: str) -> bool:
    """True when the query's words occur in the text as whole words, in a row: "Sở Y tế"
    finds "Sở Y tế", not "xây" or "kinh tế". Case is ignored, and diacritics only where
    the query has none."""
    wanted = words(query)
    if not wanted:
        return True
    found = words(text)
    return any(
        all(_same_word(w, found[start + i]) for i, w in enumerate(wanted))
        for start in range(len(found) - len(wanted) + 1)
    )


# Tone marks, in the order Vietnamese dictionaries (and ICU's vi collation) sort them:
# none, grave (huyền), hook above (hỏi), tilde (ngã), acute (sắc), dot below (nặng). The
# other marks (breve, circumflex, horn) make letters of their own (ă, â, ê, ô, ơ, ư).
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_LETTER_BASE = 100


def _weights(ch: str) -> tuple[int, int, int]:
    """(letter, tone, case) of one character."""
    lower = ch.casefold()
    marks = unicodedata.normalize("NFD", lower)
    tone = max((_TONES.get(m, 0) for m in marks), default=0)
    letter = unicodedata.normalize("NFC", "".join(m for m in marks if m not in _TONES))
    index = _VIETNAMESE_ALPHABET.find(letter) if len(letter) == 1 else -1
    if index >= 0:
        primary = _LETTER_BASE + index
    elif letter.isdigit():
        primary = 10 + int(letter) if letter in "0123456789" else 20
    elif letter.isspace() or not letter.isalnum():
        primary = 1  # spaces and punctuation sort before any letter or digit
    else:
        primary = _LETTER_BASE + 100 + ord(letter[:1])
    return primary, tone, int(ch != lower)


@lru_cache(maxsize=8192)  # the same names (agencies, titles) are sorted on every page
def sort_key(text: str) -> tuple[tuple[int, ...], ...]:
    """Order text as a Vietnamese dictionary does: letters first (a < ă < â < b ... d < đ),
    tones only between words spelled alike (a < à < ả < ã < á < ạ), then case. So "Nội"
    comes before "Nông" (i < n), whatever their tones."""
    weights = [_weights(ch) for ch in nfc(text)]
    return tuple(tuple(w[level] for w in weights) for level in range(3))


# -- canonical input -------------------------------------------------------------------------
# Text is accepted as NFC without control characters (tab and newline excepted) and without
# unpaired surrogates or the two non-characters XML refuses: whatever is stored can then be
# written to every export. Codes, periods, dates and numbers are read in ASCII digits, however
# they were typed (full-width, Arabic-Indic, mathematical).

_REFUSED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
REPLACEMENT = "\ufffd"


class TextRefused(ValueError):
    """Input text holding a character the ledger does not store: the catalogue's
    "text.refused" with `params`, which the entry points render in the reader's language."""

    code = "text.refused"

    def __init__(self, char: str, where: str = "") -> None:
        self.char = char
        surrogate = "\ud800" <= char <= "\udfff"
        self.params: dict[str, Param] = {
            "where": where or Message("text.the_text"),
            "what": Message("text.unpaired_surrogate" if surrogate else "text.control_character"),
            "char": f"U+{ord(char):04X}",
        }
        super().__init__(str(self.as_message()))

    def as_message(self) -> Message:
        return Message(self.code, self.params)


def refused_character(text: str) -> str | None:
    """The first character canonical text may not hold, or None."""
    found = _REFUSED.search(text.replace("\r\n", "\n"))
    return found.group(0) if found else None


def canonical_text(text: str) -> str:
    """The text as stored: line breaks as "\\n", NFC; raises TextRefused for a character the
    ledger does not store."""
    text = text.replace("\r\n", "\n")
    refused = refused_character(text)
    if refused is not None:
        raise TextRefused(refused)
    return unicodedata.normalize("NFC", text)


def ascii_digits(text: str) -> str:
    """Full-width and mathematical forms folded (NFKC), then every decimal digit of any
    script written 0-9: '２０２５-Ｑ１' and '٢٠٢٥-Q1' both read '2025-Q1'."""
    folded = unicodedata.normalize("NFKC", text)
    return "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() and not ch.isascii() else ch
                   for ch in folded)


def printable(text: str) -> str:
    """What an export writes for text stored before it was canonical: every character no
    document format can hold becomes U+FFFD, so stored history never breaks an export."""
    return _REFUSED.sub(REPLACEMENT, text.replace("\r\n", "\n"))
