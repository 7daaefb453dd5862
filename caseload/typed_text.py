"""The characters typed text may not hold, for the forms (forms_common) and the import
(importer/csv_files) alike.

Names and identifiers (an employer, a team, a worker, a client code, a job title) refuse the
characters that show nothing: zero-width spaces and joiners, the word joiner, a byte order mark,
the direction marks, the controls that embed, override or isolate the text direction, every
other format character (a soft hyphen, invisible operators, tags) and the blank-looking
fillers and selectors (BLANK_LOOKING); a joiner inside a word of a script that spells with it,
Persian or Devanagari, stays.
"Albert Heijn" and "Albert\\u200bHeijn" look the same in every list, yet are two employers; a
right-to-left override shows "Jan" as typed and the rest reversed (a Trojan-Source spoof in a
register the coordinator trusts).

Free text (notes, the vocational profile) refuses the direction embeddings, overrides and
isolates only: they can make a note read differently from what it holds, and nobody types them
in Dutch or English text. The zero-width joiner and non-joiner, and the direction marks, stay:
they belong in emoji sequences ("👩‍💻") and in some scripts (Persian, Indic), and show nothing
a reader could mistake.
"""

from __future__ import annotations

import re
import unicodedata

# Embeddings and overrides (LRE RLE PDF LRO RLO), isolates (LRI RLI FSI PDI).
DIRECTION_CONTROLS = "\u202a-\u202e\u2066-\u2069"
# Zero-width space, non-joiner, joiner; word joiner; byte order mark (zero-width no-break
# space); the left-to-right, right-to-left and Arabic letter marks.
INVISIBLE = "\u200b-\u200d\u2060\ufeff\u200e\u200f\u061c"

# Further characters that show nothing but are not format characters (Unicode category Cf,
# all refused in names: the soft hyphen pasted from a word processor, invisible operators, tag
# characters, ...): the combining grapheme joiner, the variation selectors, the Hangul fillers
# and the blank braille pattern.
BLANK_LOOKING = "\u034f\ufe00-\ufe0f\U000e0100-\U000e01ef\u115f\u1160\u3164\uffa0\u2800"

_IN_NAMES = re.compile(f"[{INVISIBLE}{DIRECTION_CONTROLS}{BLANK_LOOKING}]")
_IN_FREE_TEXT = re.compile(f"[{DIRECTION_CONTROLS}]")
_DIRECTION = re.compile(f"[{DIRECTION_CONTROLS}]")


class Hidden:
    """A character that may not be there: its code point (U+200B), where (from 1) and whether
    it turns the text direction (else it is invisible)."""

    def __init__(self, character: str, position: int):
        self.code = f"U+{ord(character):04X}"
        self.position = position
        self.turns_direction = bool(_DIRECTION.match(character))


def hidden_in_name(value: str) -> Hidden | None:
    """The first character a name or an identifier may not hold, or None. The zero-width
    non-joiner and joiner are part of how some scripts spell a word (Persian "می‌خواهم",
    Devanagari half forms): between two letters or marks of such a script they stay; next to a
    Latin, Greek or Cyrillic letter, a space or an end they show nothing and are refused."""
    for at, character in enumerate(value or ""):
        if (_IN_NAMES.match(character) or unicodedata.category(character) == "Cf") \
                and not _joins_a_word(value, at):
            return Hidden(character, at + 1)
    return None


_JOINERS = "\u200c\u200d"
# Below Hebrew (U+0590): Latin, IPA, Greek, Cyrillic, Armenian: scripts that never need a
# joiner, and whose letters a joiner between them would make a look-alike of.
_FIRST_JOINING_SCRIPT = 0x0590


def _joins_a_word(value: str, at: int) -> bool:
    if value[at] not in _JOINERS or at == 0 or at == len(value) - 1:
        return False
    return all(_letter_of_joining_script(value[at + step]) for step in (-1, 1))


def _letter_of_joining_script(character: str) -> bool:
    return (ord(character) >= _FIRST_JOINING_SCRIPT
            and unicodedata.category(character)[0] in "LM")


def hidden_in_free_text(value: str) -> Hidden | None:
    """The first character a note may not hold, or None."""
    return _first(_IN_FREE_TEXT, value)


def _first(pattern: re.Pattern, value: str) -> Hidden | None:
    found = pattern.search(value) if value else None
    return Hidden(found.group(), found.start() + 1) if found else None
