"""AsciiDoc glossaries: a labelled (description) list, as Git's gitglossary(7) and many AsciiDoc manuals write one
(the body indented by a tab or spaces):

    [[def_branch]]branch::
        A "branch" is a line of <<def_commit,development>>, see linkgit:git-branch[1].
    +
    A second paragraph, attached by the `+` line.

Each top-level `term::` item is an entry; `[[id]]` before the term is its anchor. A term written as a list of
short names (`object identifier, object ID, oid::`), consecutive term lines or `name (also other)` give aliases.
Nested lists (`sub;;`, `sub:::`), list items and blocks attached with `+` or inside an open block (`--`) are
part of the entry's text. A table (`|===`) whose header names a term and a definition column (`| Term |
Description`), or that has two columns, gives one entry a row. `<<id,text>>` and `xref:id[text]` are related
entries, found by their target anchor; other macros (`linkgit:git-foo[1]`, `link:url[text]`, `https://...[text]`)
read as their text, and formatting marks are removed from the plain text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from index.formats.lenient import glossary_with_notes
from index.formats.records import Record, field_of, split_names
from index.parse import Glossary, normalize, read_text
from indexformat.errors import GlossaryParseError

# `[[id]]term::` or `[[id,label]]term:: text`: exactly two colons end a top-level term (`:::`, `;;` nest).
_ENTRY = re.compile(r"^(?:\[\[(?P<anchor>[^\],\]\s]+)(?:,[^\]]*)?\]\])?(?P<term>[^\s/].*?)(?<![:;])::"
                    r"(?:[ \t]+(?P<rest>.*))?$")
_NESTED = re.compile(r"^[ \t]*(?P<term>\S.*?)(?<![:;])(?:;;|:::|::::)(?:[ \t]+(?P<rest>.*))?$")
_ANCHOR_LINE = re.compile(r"^(?:\[\[(?P<a>[^\],\]\s]+)(?:,[^\]]*)?\]\]|\[#(?P<b>[\w:.-]+)[^\]]*\])\s*$")
_SECTION = re.compile(r"^(?P<marks>={1,6}|#{1,6})[ \t]+(?P<title>\S.*)$")
_ATTRIBUTE = re.compile(r"^:(?P<name>!?[\w-]+!?):(?:[ \t]+(?P<value>.*))?$")
_BLOCK_ATTRS = re.compile(r"^\[[^\[\]]*\]\s*$|^\.[^\s.].*$")  # `[source,sh]`, `[NOTE]`, `.A block title`
_DIRECTIVE = re.compile(r"^(?:ifdef|ifndef|ifeval|endif|include)::.*\]\s*$")
_LIST_ITEM = re.compile(r"^[ \t]*(?:[*\-.]+|\d+\.)[ \t]+(?P<text>.*)$")
_DELIMITERS = re.compile(r"^(?:--|-{4,}|\.{4,}|={4,}|\*{4,}|_{4,}|\+{4,}|/{4,}|\|===+)\s*$")
_CODE_DELIMITERS = ("-", ".", "+")  # listing, literal and passthrough blocks: code, not prose
# Names listed with commas stay one name when a part reads as a phrase ("concept, representations and usage").
MAX_WORDS_PER_LISTED_NAME = 3
_PHRASE_WORDS = {"and", "or", "of", "the", "for", "in", "to", "with"}
_ALSO = re.compile(r"^(?P<name>.+?)\s*\((?:also|aka|a\.k\.a\.|or)\s+(?P<others>[^()]+)\)$", re.I)

_XREF = re.compile(r"<<(?P<id>[^<>,\s]+)(?:\s*,\s*(?P<text>[^<>]*))?>>|\bxref:(?:[^\s\[#]*#)?(?P<xid>[^\s\[#]+)"
                   r"\[(?P<xtext>[^\]]*)\]")
_MANPAGE = re.compile(r"\b(?:linkgit|gitlink|manpage|man):(?P<page>[^\s\[\]]+)\[(?P<section>[^\]]*)\]")
_URL_MACRO = re.compile(r"(?:\blink:)?(?P<url>\b(?:https?|ftp|irc)://[^\s\[\]]+|\bmailto:[^\s\[\]]+)\[(?P<text>[^\]]*)\]"
                        r"|\blink:(?P<path>[^\s\[\]]+)\[(?P<ptext>[^\]]*)\]")
_MACRO = re.compile(r"\b(?P<name>[a-z][\w-]*):(?P<target>[^\s\[\]]*)\[(?P<text>[^\]]*)\]")
_PASS = re.compile(r"\+\+\+(?P<a>.*?)\+\+\+|\bpass:[a-z,]*\[(?P<b>[^\]]*)\]"
                   r"|(?<![\w+])\+(?P<c>[^+\s](?:[^+]*?[^+\s])?)\+(?![\w+])")
_CODE = re.compile(r"``(?P<a>.+?)``|(?<![\w`])`(?P<b>[^`\s](?:[^`]*?[^`\s])?)`(?![\w`])")
_CURVED = re.compile(r"([\"'])`(?P<text>[^`]+?)`\1")  # "`text`" is text in curved quotes
_MARKS = [
    re.compile(r"\*\*(?P<t>.+?)\*\*"), re.compile(r"__(?P<t>.+?)__"), re.compile(r"##(?P<t>.+?)##"),
    re.compile(r"(?<![\w*\\])\*(?P<t>[^*\s](?:[^*\n]*?[^*\s])?)\*(?![\w*])"),
    re.compile(r"(?<![\w\\])_(?P<t>[^_\s](?:[^_\n]*?[^_\s])?)_(?![\w])"),
    re.compile(r"(?<![\w'\\])'(?P<t>[^'\s](?:[^'\n]*?[^'\s])?)'(?![\w'])"),
    re.compile(r"(?<![\w#\\])#(?P<t>[^#\s](?:[^#\n]*?[^#\s])?)#(?![\w#])"),
]
_ATTRIBUTE_REF = re.compile(r"(?<!\\)\{(?P<name>[\w-]+)\}")
# The attributes every AsciiDoc processor defines for characters that are markup.
_BUILTIN_ATTRIBUTES = {
    "asterisk": "*", "caret": "^", "litdd": "--", "plus": "+", "nbsp": " ", "empty": "", "sp": " ", "amp": "&",
    "lt": "<", "gt": ">", "startsb": "[", "endsb": "]", "vbar": "|", "tilde": "~", "backslash": "\\",
    "backtick": "`", "two-colons": "::", "two-semicolons": ";;", "cpp": "C++", "apos": "'", "quot": '"',
    "zwsp": "", "deg": "°", "brvbar": "¦", "wj": "", "lsquo": "‘", "rsquo": "’", "ldquo": "“", "rdquo": "”",
}
_PLACEHOLDER = "\x00{}\x00"
_HELD = re.compile("\x00(\\d+)\x00")


@dataclass
class _Item:
    line: int
    anchor: str
    names: list[str]
    blocks: list[tuple[str, str]] = field(default_factory=list)  # (kind, text): para, item, term, code


def is_asciidoc(text: str) -> bool:
    """Two or more top-level `term::` items outside code: the file is an AsciiDoc labelled list. (A table-only
    AsciiDoc glossary is read from `.adoc`/`.asciidoc` files, or with `--format asciidoc`.)"""
    count, fence = 0, ""
    for line in text.splitlines():
        if _DELIMITERS.match(line) and line.strip()[0] in _CODE_DELIMITERS and line.strip() != "--":
            fence = "" if fence == line.strip() else fence or line.strip()
        elif not fence and _ENTRY.match(line) and not _DIRECTIVE.match(line):
            count += 1
            if count >= 2:
                return True
    return False


def parse_asciidoc(path: Path) -> Glossary:
    text = read_text(path)
    title, attributes, items = _items(text.splitlines())
    if not items:
        raise GlossaryParseError(path, None, "no glossary entries found (expected AsciiDoc 'term::' items)")
    terms = {item.anchor: item.names[0] for item in items if item.anchor and item.names[0]}
    known = {normalize(name) for item in items for name in item.names}
    records = []
    for item in items:
        markdown, plain, related = _body(item.blocks, terms, known, attributes)
        records.append(Record(line=item.line, term=item.names[0], definition=markdown, aliases=tuple(item.names[1:]),
                              related=tuple(r for r in related if r != item.names[0]), text=plain,
                              anchor=item.anchor))
    return glossary_with_notes(records, path, title or path.stem, "items", [])


def _items(lines: list[str]) -> tuple[str, dict[str, str], list[_Item]]:
    """(title, document attributes, items): the list's items with their bodies as blocks."""
    title, attributes, items = "", dict(_BUILTIN_ATTRIBUTES), []
    item: _Item | None = None
    anchor = ""  # from a `[[id]]` line just above a term
    attached = False  # after a `+` line, or while the body's first paragraph may still start
    after_blank = False
    last_term = -2  # the line of the last term read, for terms written one above the other
    n = 0
    while n < len(lines):
        line = lines[n].rstrip()
        stripped = line.strip()
        if stripped.startswith("//") and not stripped.startswith("////"):
            n += 1
            continue
        if _DELIMITERS.match(line):
            end = next((k for k in range(n + 1, len(lines)) if lines[k].rstrip() == stripped), len(lines))
            inside = lines[n + 1:end]
            if item is not None and (attached or not after_blank) and stripped[0] != "/":
                item.blocks.extend(_blocks(inside, code=stripped[0] in _CODE_DELIMITERS and stripped != "--"))
                attached, after_blank = False, False
            elif stripped.startswith("|"):
                items.extend(_table_items(inside, n + 2))  # a glossary table: `| Term | Description`
                item = None
            elif stripped[0] != "/":
                item = None
            n = end + 1
            continue
        if (match := _ATTRIBUTE.match(line)) is not None:
            attributes[match["name"]] = match["value"] or ""
            n += 1
            continue
        if (match := _SECTION.match(line)) is not None:
            title = title or (match["title"].strip() if len(match["marks"]) == 1 else "")
            item, anchor = None, ""
            n += 1
            continue
        if (match := _ANCHOR_LINE.match(line)) is not None:
            anchor = match["a"] or match["b"]
            n += 1
            continue
        if _DIRECTIVE.match(line) or _BLOCK_ATTRS.match(line) and not _ENTRY.match(line):
            n += 1
            continue
        entry = _ENTRY.match(line)
        if entry is not None:
            bare = re.fullmatch(r"\[\[([^\],\]]+)(?:,[^\]]*)?\]\]", entry["term"].strip())
            names = [""] if bare else _names(entry["term"])  # `[[id]]::`: an anchor, no term
            if item is not None and not item.blocks and last_term == n - 1:
                item.names.extend(names)  # `term1::` directly above `term2::`: one entry, two names
            else:
                item = _Item(line=n + 1, anchor=entry["anchor"] or (bare[1] if bare else anchor), names=names)
                items.append(item)
            anchor, last_term = "", n
            if entry["rest"]:
                item.blocks.append(("para", entry["rest"].strip()))
            attached, after_blank = not entry["rest"], False
            n += 1
            continue
        if not stripped:
            after_blank = True
            n += 1
            continue
        if stripped == "+":
            attached, after_blank = True, False
            n += 1
            continue
        if item is None or after_blank and not attached and not line[:1].isspace() and not _NESTED.match(line) \
                and not _LIST_ITEM.match(line):
            item, anchor = None, ""  # text after the list: not part of an entry
            n += 1
            continue
        end = n
        while end < len(lines) and lines[end].strip() and lines[end].strip() != "+" \
                and not _DELIMITERS.match(lines[end]) and not _ENTRY.match(lines[end]) \
                and not (end > n and _LIST_ITEM.match(lines[end])) and not (end > n and _NESTED.match(lines[end])):
            end += 1
        end = max(end, n + 1)  # always move on
        item.blocks.extend(_blocks(lines[n:end]))
        attached, after_blank = False, False
        n = end
    return title, attributes, items


def _table_items(lines: list[str], first_line: int) -> list[_Item]:
    """A table whose header names a term and a definition column (or any two-column table): one item a row.
    Cells start with `|`; a row is one line, or as many cells as the first row has."""
    cells: list[tuple[int, str]] = []
    widths: list[int] = []
    for n, line in enumerate(lines):
        if not line.strip():
            continue
        more, *parts = re.split(r"(?<!\\)\|", line)
        if more.strip() and cells:  # the text before the first `|` goes on with the cell above
            cells[-1] = (cells[-1][0], f"{cells[-1][1]} {more.strip()}")
        if parts and line.lstrip().startswith("|"):
            widths.append(len(parts))
        cells.extend((first_line + n, part.strip()) for part in parts)
    if not widths:
        return []
    width = widths[0]
    rows = [cells[k:k + width] for k in range(0, len(cells) - width + 1, width)]
    header = [field_of(_plain_inline(text)) for _, text in rows[0]]
    if "term" in header and "definition" in header:
        term, definition, rows = header.index("term"), header.index("definition"), rows[1:]
    elif width == 2:
        term, definition = 0, 1
    else:
        return []
    others = [k for k, f in enumerate(header) if f == "aliases"]
    items = []
    for row in rows:
        names = [_plain_inline(row[term][1]), *(n for k in others for n in split_names(_plain_inline(row[k][1])))]
        items.append(_Item(line=row[term][0], anchor="", names=[n for n in names if n] or [""],
                           blocks=[("para", row[definition][1])] if row[definition][1] else []))
    return items


def _blocks(lines: list[str], code: bool = False) -> list[tuple[str, str]]:
    """Lines of a body (or of a block inside it) -> (kind, text) blocks."""
    if code:
        return [("code", "\n".join(lines).strip("\n"))] if any(x.strip() for x in lines) else []
    blocks: list[tuple[str, str]] = []
    for line in lines:
        stripped = line.strip()
        if not stripped or stripped == "+" or stripped.startswith("//") or _BLOCK_ATTRS.match(stripped) \
                or _DELIMITERS.match(stripped):
            if not stripped and blocks and blocks[-1][0] != "break":
                blocks.append(("break", ""))
            continue
        if (nested := _NESTED.match(line)) is not None:
            blocks.append(("term", nested["term"].strip() + (f" {nested['rest'].strip()}" if nested["rest"] else "")))
        elif (entry := _ENTRY.match(stripped)) is not None:
            blocks.append(("term", entry["term"].strip() + (f" {entry['rest'].strip()}" if entry["rest"] else "")))
        elif (item := _LIST_ITEM.match(line)) is not None and not stripped.startswith("..."):
            blocks.append(("item", item["text"].strip()))
        elif blocks and blocks[-1][0] in ("para", "item", "term"):
            kind, text = blocks[-1]
            blocks[-1] = (kind, f"{text} {stripped}")
        else:
            blocks.append(("para", stripped))
    return blocks


def _names(term: str) -> list[str]:
    """`object identifier, object ID, oid` -> three names; `commit-ish (also committish)` -> two."""
    term = _plain_inline(term)
    if (also := _ALSO.match(term)) is not None:
        return [also["name"].strip(), *(n.strip() for n in re.split(r",|\bor\b", also["others"]) if n.strip())]
    parts = [p.strip() for p in term.split(",")]
    if len(parts) > 1 and all(p and len(p.split()) <= MAX_WORDS_PER_LISTED_NAME
                              and not _PHRASE_WORDS & set(p.casefold().split()) for p in parts):
        return parts
    return [term.strip()]


def _plain_inline(text: str) -> str:
    markdown, _ = _inline(text, {}, set(), dict(_BUILTIN_ATTRIBUTES))
    return _to_plain(markdown)


def _body(blocks, terms: dict[str, str], known: set[str], attributes: dict[str, str]):
    """Blocks -> (definition as markdown, plain text, related entries)."""
    markdown, plain, related = [], [], []
    for kind, text in blocks:
        if kind == "break":
            continue
        if kind == "code":
            markdown.append(f"```\n{text}\n```")
            continue
        if kind == "term":
            term, _, rest = text.partition(" ")
            text = f"{term.rstrip(':;')}: {rest}" if rest else f"{term.rstrip(':;')}:"
        md, refs = _inline(text, terms, known, attributes)
        related.extend(refs)
        markdown.append(f"- {md}" if kind == "item" else md)
        plain.append(_to_plain(md))
    joined = "\n\n".join(markdown)
    joined = re.sub(r"(?m)^(- .*)\n\n(?=- )", r"\1\n", joined)  # list items stay one list
    return joined.strip(), " ".join(" ".join(plain).split()), list(dict.fromkeys(related))


def _inline(text: str, terms: dict[str, str], known: set[str], attributes: dict[str, str]):
    """One line or paragraph of AsciiDoc -> (markdown with only code spans and in-page links, related terms)."""
    held: list[str] = []
    related: list[str] = []

    def hold(value: str) -> str:
        held.append(value)
        return _PLACEHOLDER.format(len(held) - 1)

    def xref(match: re.Match) -> str:
        target = match["id"] or match["xid"]
        label = (match["text"] if match["id"] else match["xtext"]) or ""
        label = " ".join(label.split())
        name = terms.get(target)
        if name is not None:
            related.append(name)
            return hold(f"[{_to_plain(_marks(label)) or name}](#{target})")
        if label and normalize(label) in known:  # no such anchor: the text may still name an entry
            related.append(label)
        return label or target.replace("_", " ")

    text = _ATTRIBUTE_REF.sub(lambda m: attributes.get(m["name"], m.group(0)), text)
    text = _PASS.sub(lambda m: hold(m["a"] if m["a"] is not None else m["b"] if m["b"] is not None else m["c"]), text)
    text = _CURVED.sub(lambda m: hold(f"{m[1]}{m['text']}{m[1]}"), text)
    text = _CODE.sub(lambda m: hold(f"`{m['a'] or m['b']}`"), text)
    text = _XREF.sub(xref, text)
    text = _MANPAGE.sub(lambda m: hold(f"{m['page']}({m['section']})" if m["section"] else m["page"]), text)
    text = _URL_MACRO.sub(lambda m: m["text"] or m["url"] if m["url"] else m["ptext"] or m["path"], text)
    text = _MACRO.sub(lambda m: m["text"] or m["target"], text)
    text = re.sub(r"<(https?://[^>\s]+)>", r"\1", text)
    text = _marks(text)
    text = re.sub(r"\\([*_`'#{+\[<])", r"\1", text)  # escaped marks are the characters themselves
    text = re.sub(r"\s+\+$", "", text)  # a hard line break
    while _HELD.search(text):
        text = _HELD.sub(lambda m: held[int(m[1])], text)
    return " ".join(text.split()), related


def _marks(text: str) -> str:
    for pattern in _MARKS:
        text = pattern.sub(lambda m: m["t"], text)
    return text


def _to_plain(markdown: str) -> str:
    """Our markdown (code spans, in-page links, list dashes) -> plain text."""
    text = re.sub(r"\[([^\]]*)\]\(#[^)]*\)", r"\1", markdown)
    text = re.sub(r"``(.+?)``|`([^`]+)`", lambda m: m[1] or m[2], text)
    return " ".join(text.split())
