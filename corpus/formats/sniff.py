"""Guessing whether posted text is plain text, markdown or HTML.

Regular expressions are fine here: sniffing only looks for tell-tale constructs, it does not
parse structure (the format readers use real parsers for that).
"""

from __future__ import annotations

import re
from typing import Literal

Format = Literal["text", "markdown", "html"]

__all__ = ["Format", "sniff_format"]


_HTML_DOC_RE = re.compile(r"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]", re.IGNORECASE)
_HTML_CLOSE_RE = re.compile(
    r"</(?:p|div|span|a|li|ul|ol|h[1-6]|article|section|blockquote|strong|em|td|tr|table|time)\s*>",
    re.IGNORECASE,
)
_MARKDOWN_SIGNS = (
    re.compile(r"^#{1,6}[ \t]+\S", re.MULTILINE),  # ATX heading
    re.compile(r"\[[^\]\n]+\]\([^)\s]*(?:\s+\"[^\"]*\")?\)"),  # inline link
    re.compile(r"<https?://[^>\s]+>"),  # autolink
    re.compile(r"\*\*[^*\n]+\*\*|__[^_\n]+__"),  # strong emphasis
    re.compile(r"^(?:```|~~~)", re.MULTILINE),  # fenced code
    re.compile(r"^\[[^\]\n]+\]:\s+\S+", re.MULTILINE),  # link reference definition
)


def sniff_format(text: str) -> Format:
    """Guess the format of posted text.

    HTML needs a document tag or at least two closing tags of common elements, because wire
    copy writes tickers in angle brackets ("Bancorp <I>"). Markdown needs a construct that
    plain prose does not produce by accident (heading, link, autolink, ``**strong**``, fence).
    """
    if _HTML_DOC_RE.search(text) or len(_HTML_CLOSE_RE.findall(text)) >= 2:
        return "html"
    if any(sign.search(text) for sign in _MARKDOWN_SIGNS):
        return "markdown"
    return "text"
