"""Turning what a user typed into a safe full-text query, and highlighting.

Nothing the user types reaches the database as query syntax: the text is cut into words (letters
and digits only), at most ``MAX_TERMS`` of them, and the query is rebuilt from those words, each
quoted. Quotes, operators (AND, OR, NEAR, ``-``, ``:``, ``*``, ``^``), brackets and punctuation
are therefore plain separators, and no input can raise a syntax error.
"""

from __future__ import annotations

import hashlib
import html
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

MAX_TERMS = 8
MAX_TERM_LENGTH = 40
MIN_PREFIX_LENGTH = 2
MAX_QUERY_LENGTH = 200

# Marks the database puts around matches in snippets; stripped from indexed text, so that a
# document can never forge one. Escaping happens after the snippet is cut, then the marks
# become <mark> elements.
START, STOP = "\x02", "\x03"

_WORD = re.compile(r"[^\W_]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class Query:
    """The words of a search. The last one is a prefix unless the text ends with a space."""

    text: str
    terms: tuple[str, ...]
    prefix: bool

    def __bool__(self) -> bool:
        return bool(self.terms)

    def fts5(self) -> str:
        """An FTS5 MATCH expression: every word, quoted; the last one as a prefix."""
        parts = [f'"{term}"' for term in self.terms]
        if self.prefix:
            parts[-1] += "*"
        return " ".join(parts)

    def fts5_within(self, *groups: Iterable[str]) -> str:
        """The words, in the text columns, AND one token of each group in the scope column."""
        expression = f"{{title tags body}} : ({self.fts5()})"
        for group in groups:
            tokens = sorted(set(group))
            expression += f" AND scope : ({' OR '.join(tokens) if tokens else NO_TOKEN})"
        return expression

    def tsquery(self) -> str:
        """A ``to_tsquery`` expression: every word, quoted, AND-ed; the last one as a prefix."""
        parts = [f"'{term}'" for term in self.terms]
        if self.prefix:
            parts[-1] += ":*"
        return " & ".join(parts)


def normal(text: str) -> str:
    """Lower case, composed: the form of query words (the databases fold accents themselves)."""
    return unicodedata.normalize("NFKC", text).casefold()


NO_TOKEN = "znothing"  # a scope token no document has


def scope_token(kind: str, *parts: str) -> str:
    """An opaque word standing for a filter value: letters, then digits (no stemmer touches it).

    ``kind``: ``s`` (the source), ``p`` (public in the source), ``g`` (granted to an audience
    token), ``f`` (a facet value).
    """
    digest = hashlib.blake2b("\x1f".join(parts).encode(), digest_size=8).digest()
    return f"z{kind}{int.from_bytes(digest)}"


def fold(text: str) -> str:
    """Lower case, without accents: how live sources compare words."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def parse(text: str | None) -> Query:
    """The words of ``text``, deduplicated and capped; never raises."""
    raw = _CONTROL.sub(" ", str(text or ""))[:MAX_QUERY_LENGTH]
    terms: list[str] = []
    for match in _WORD.finditer(normal(raw)):
        term = match.group()[:MAX_TERM_LENGTH]
        if term not in terms:
            terms.append(term)
    terms = terms[:MAX_TERMS]
    ends_in_word = bool(raw) and bool(_WORD.fullmatch(normal(raw[-1:]) or " "))
    prefix = bool(terms) and ends_in_word and len(terms[-1]) >= MIN_PREFIX_LENGTH
    return Query(text=raw.strip(), terms=tuple(terms), prefix=prefix)


def clean_text(text: str | None) -> str:
    """Text as it may be indexed: no control characters (nor the snippet marks)."""
    return _CONTROL.sub(" ", str(text or ""))


def marked_to_html(marked: str | None) -> str:
    """Escape a snippet from the database, then turn its marks into ``<mark>`` elements."""
    escaped = html.escape(marked or "", quote=True)
    # Balance the marks: an unterminated one (a cut snippet) is closed at the end.
    result: list[str] = []
    open_mark = False
    for char in escaped:
        if char == START and not open_mark:
            result.append("<mark>")
            open_mark = True
        elif char == STOP and open_mark:
            result.append("</mark>")
            open_mark = False
        elif char not in (START, STOP):
            result.append(char)
    if open_mark:
        result.append("</mark>")
    return "".join(result)


def highlight(text: str, query: Query, *, limit: int | None = None) -> str:
    """Escape ``text`` and mark the words that start with a term (for live sources)."""
    text = clean_text(text)
    if limit is not None and len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    if not query:
        return html.escape(text)
    pieces: list[str] = []
    position = 0
    for match in _WORD.finditer(text):
        word = fold(match.group())
        hit = any(
            word == term or (word.startswith(term) and (query.prefix or len(term) >= 4))
            for term in map(fold, query.terms)
        )
        if hit:
            pieces.append(html.escape(text[position : match.start()]))
            pieces.append(f"<mark>{html.escape(match.group())}</mark>")
            position = match.end()
    pieces.append(html.escape(text[position:]))
    return "".join(pieces)
