"""The characters text from a feed, a transcript or a server never keeps: they would steer a
terminal (ESC, BEL, the 8-bit CSI U+009B), break XML (U+FFFE, U+FFFF) or UTF-8 (lone surrogates)."""

from __future__ import annotations

import re

# C0 controls but tab, newline and carriage return; DEL; the C1 controls U+0080-U+009F;
# lone surrogates; the noncharacters U+FFFE and U+FFFF (not XML characters).
CONTROL_CHARACTERS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff"
_CONTROL = re.compile(f"[{CONTROL_CHARACTERS}]")


def strip_control_characters(text: str) -> str:
    """The text without any of CONTROL_CHARACTERS; tabs and line breaks stay."""
    return _CONTROL.sub("", text) if _CONTROL.search(text) is not None else text
