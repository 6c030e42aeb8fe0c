"""Glossary markdown for a terminal: bold as bold (ANSI) on a terminal, plain text into a pipe or a file.

Either way no markup reaches the reader: no `**`, no backticks, a link is its text. Lines are wrapped to a
width by the visible characters, so the escape codes never count.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from indexformat.text import sentences, words
from ranking import explain
from ranking.explain import Why

WIDTH = 96  # wrap definitions here, indent included
# Escape codes: on and off for each style (22 and 23 end bold and italic without resetting anything else).
ANSI = {"bold": ("\x1b[1m", "\x1b[22m"), "italic": ("\x1b[3m", "\x1b[23m")}
# Text with none of these needs no parser: what markdown would do to it, it does nothing (the common case).
MARKUP = re.compile(r"[*_`\[\]\\<>&!#|~]|^\s*(?:[-+]|\d+[.)])\s|^ {4}", re.MULTILINE)

# Control characters (escape codes among them) in a glossary's text: dropped, so an entry cannot drive the terminal.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")

Run = tuple[str, frozenset[str]]  # a piece of text and its styles
# Explanations that point at one of the entry's sentences (the short line gives its number).
AT_SENTENCE = {explain.KEYWORDS, explain.HOWTO, explain.SENTENCE}


@dataclass(frozen=True)
class Block:
    """One paragraph, list item or heading: its runs, and the prefixes of its first and later lines."""

    runs: tuple[Run, ...]
    first: str = ""
    rest: str = ""
    verbatim: bool = False  # code: its lines kept as written


class Terminal:
    def __init__(self, ansi: bool, width: int = WIDTH):
        self.ansi = ansi
        self.width = width

    def style(self, text: str, *styles: str) -> str:
        """`text` as printable (see CONTROL), in the styles when escape codes are on."""
        text = CONTROL.sub("", text)
        if not self.ansi or not text:
            return text
        on = "".join(ANSI[s][0] for s in styles)
        off = "".join(ANSI[s][1] for s in reversed(styles))
        return f"{on}{text}{off}"

    def plain(self, markdown: str) -> str:
        """The text of `markdown` on one line, markup gone (a short definition, a lens span)."""
        pieces = [f"{b.first.strip()} {''.join(text for text, _ in b.runs)}" for b in self.blocks(markdown)]
        return " ".join(" ".join(pieces).split())

    def lines(self, markdown: str, indent: str = "") -> list[str]:
        """`markdown` as wrapped terminal lines, each starting with `indent`."""
        out = []
        for block in self.blocks(markdown):
            if block.verbatim:
                out += [indent + block.first + line for line in "".join(t for t, _ in block.runs).splitlines()]
            else:
                out += self._wrap(block, indent)
        return out

    # Markdown to blocks of runs.

    @cached_property
    def _parser(self):
        from markdown_it import MarkdownIt  # only for text that has markup: most definitions have none

        md = MarkdownIt("commonmark", {"html": False})
        md.disable("image")  # shown as its text
        return md

    def blocks(self, markdown: str) -> list[Block]:
        markdown = CONTROL.sub("", markdown)
        if not MARKUP.search(markdown):
            return [Block(((" ".join(markdown.split()), frozenset()),))] if markdown.strip() else []
        blocks: list[Block] = []
        lists: list[list[int] | None] = []  # per open list: [next number] if ordered, None if bulleted
        marker, heading = "", False
        for token in self._parser.parse(markdown):
            kind = token.type
            depth = "  " * max(len(lists) - 1, 0)
            if kind in ("bullet_list_open", "ordered_list_open"):
                lists.append([int(token.attrGet("start") or 1)] if kind == "ordered_list_open" else None)
            elif kind in ("bullet_list_close", "ordered_list_close"):
                lists.pop()
            elif kind == "list_item_open" and lists:
                number = lists[-1]
                marker = "- " if number is None else f"{number[0]}. "
                if number is not None:
                    number[0] += 1
            elif kind in ("heading_open", "heading_close"):
                heading = kind == "heading_open"
            elif kind == "inline":
                bold = frozenset({"bold"}) if heading else frozenset()  # a heading in a definition: bold
                first = depth + marker if marker else (depth + "  " if lists else "")
                rest = depth + " " * len(marker) if marker else first
                blocks.append(Block(tuple(_runs(token.children or [], bold)), first, rest))
                marker = ""
            elif kind in ("fence", "code_block"):
                blocks.append(Block(((token.content, frozenset()),), depth + ("  " if lists else ""),
                                    verbatim=True))
        return blocks

    # Wrapping by visible width.

    def _wrap(self, block: Block, indent: str) -> list[str]:
        lines, line, used = [], [], 0
        prefix = indent + block.first
        for word in _words(block.runs):
            size = sum(len(text) for text, _ in word)
            if line and len(prefix) + used + 1 + size > self.width:
                lines.append(prefix + " ".join(line))
                line, used, prefix = [], 0, indent + block.rest
            line.append("".join(self.style(text, *sorted(styles)) for text, styles in word))
            used += size + (1 if used else 0)
        if line:
            lines.append(prefix + " ".join(line))
        return lines


def _runs(children, base: frozenset[str]) -> list[Run]:
    runs: list[Run] = []
    styles = set(base)
    for child in children:
        kind = child.type
        if kind in ("text", "code_inline", "html_inline"):
            runs.append((child.content, frozenset(styles)))
        elif kind in ("softbreak", "hardbreak"):
            runs.append((" ", frozenset()))
        elif kind == "strong_open":
            styles.add("bold")
        elif kind == "strong_close":
            styles.discard("bold")
        elif kind == "em_open":
            styles.add("italic")
        elif kind == "em_close":
            styles.discard("italic")
        # link_open / link_close: the link is its text, which comes as text children
    return runs


def _words(runs: tuple[Run, ...]) -> list[list[Run]]:
    """Runs cut at white space into words; a word may hold several styles ("**SGD**,")."""
    words, word = [], []
    for text, styles in runs:
        for piece in re.split(r"(\s+)", text):
            if not piece:
                continue
            if piece.isspace():
                if word:
                    words.append(word)
                    word = []
            else:
                word.append((piece, styles))
    if word:
        words.append(word)
    return words


def short_why(why: Why | None, definition: str) -> str:
    """What matched and where, in a few words, never the definition again: "name: Dropout", "keywords: velocity,
    momentum (sentence 2)", "passage: sentence 3", "typo: dropuot → dropout; name: Dropout". `definition` is
    the plain text the sentence is counted in."""
    if why is None:
        return ""
    where = _sentence_number(why.passage, definition) if why.kind in AT_SENTENCE else None
    if why.kind == explain.ACRONYM:
        body = f"acronym: {why.matched.upper()}"
    elif why.kind == explain.SENTENCE:
        body = f"passage: sentence {where}" if where else "passage"
    elif why.kind == explain.DEFINITION:  # the meaning of the whole definition, no one sentence
        body = "meaning of the definition"
    else:
        body = f"{why.kind}: {why.matched}" + (f" (sentence {where})" if where else "")
    return explain.with_typos(why, body)


def _sentence_number(passage: str, text: str) -> int | None:
    """1-based number of the sentence of `text` that is `passage` (compared by words), if any."""
    want = words(passage)
    if not want:
        return None
    for n, sentence in enumerate(sentences(text), 1):
        have = words(sentence)
        if have == want or (len(want) >= 3 and " ".join(want) in " ".join(have)):
            return n
    return None
