"""LaTeX glossaries (the `glossaries` and `glossaries-extra` packages), as theses and specifications keep them:

    \\newglossaryentry{api}{name={API}, description={How programs talk to a \\gls{library}}, see={abi}}
    \\longnewglossaryentry{capability}{name=capability, plural=capabilities}{A long description ...}
    \\newacronym[description={...}]{evm}{EVM}{Ethereum Virtual Machine}
    \\newabbreviation{html}{HTML}{Hypertext Markup Language}

An entry's name is its term, its label its anchor; an acronym's long form is an alias, and its definition when
it has no description. `\\gls{label}` and its kin (`\\glspl`, `\\Gls`, `\\glslink{label}{text}`, `\\acrshort`, ...)
read as the words they print and link to that entry, as do `see=`/`seealso=`/`parent=`. Other markup reads as
its text (`\\emph{x}` -> x); citations, labels and references are dropped; `%` comments are not text. Anything
else in the file (a whole thesis preamble) is passed over.

bib2gls keeps the same entries in a `.bib` file (`@entry{label, name={...}, description={...}}`,
`@abbreviation{html, short={HTML}, long={...}}`, `@symbol`, `@dualentry`, ...), read the same way; a `.bib` with
none of these is a bibliography, and says so.
"""

from __future__ import annotations

import re
from pathlib import Path

from index.formats.lenient import glossary_with_notes
from index.formats.records import Record
from index.parse import Glossary, Link, read_text
from indexformat.errors import GlossaryParseError

# command -> its kind, which says what follows the label: entry {keyvals}, long {keyvals}{description},
# acronym {short}{long}
_DEFINERS = {"newglossaryentry": "entry", "longnewglossaryentry": "long", "newacronym": "acronym",
             "newabbreviation": "acronym"}
_DEFINER = re.compile(r"\\(" + "|".join(_DEFINERS) + r")\*?(?![A-Za-z])")
_COMMENT = re.compile(r"(?<!\\)%[^\n]*")
# Commands that print an entry: \gls{label}; the plural ones add "s" unless the entry says its plural.
_REFERENCE = re.compile(r"\\(gls|glspl|glstext|glsname|glsfirst|glssymbol|acrshort|acrlong|acrfull|acs|acl|acf|ac"
                        r"|acsp|aclp|acp|glsentryname|glsentrytext)\*?(?![A-Za-z])", re.IGNORECASE)
_LINKING = re.compile(r"\\(glslink|glsdisp)\*?(?![A-Za-z])")  # \glslink{label}{shown text}
_DROPPED = re.compile(r"\\(cite[a-z]*|ref|eqref|autoref|cref|Cref|label|pageref|footnote|index|glsadd)\*?(?![A-Za-z])")
_COMMAND = re.compile(r"\\([A-Za-z]+)\*?")  # any other command: its name
_SPACE = re.compile(r"\\(?:linebreak|newline|par|noindent|medskip|smallskip|bigskip|quad|qquad)(?![A-Za-z])|\\\\")
_ESCAPED = {"\\%": "%", "\\&": "&", "\\_": "_", "\\#": "#", "\\$": "$", "\\{": "{", "\\}": "}", "~": " ",
            "---": "\u2014", "--": "\u2013", "``": '"', "''": '"'}

# bib2gls record types that define entries (the others, @index, @preamble, @string, bibliography types, do not)
_BIB_RECORD = re.compile(r"@(?P<type>[A-Za-z]+)\s*(?=\{)")
_BIB_ABBREVIATIONS = {"abbreviation", "acronym", "dualabbreviation", "dualacronym"}
_BIB_ENTRIES = {"entry", "symbol", "number", "dualentry", "dualsymbol", "dualnumber"} | _BIB_ABBREVIATIONS


class _Source:
    """The file's text with comments blanked (offsets, so line numbers, stay), and a cursor over it."""

    def __init__(self, text: str):
        self.text = _COMMENT.sub(lambda m: " " * len(m.group(0)), text)

    def skip_space(self, at: int) -> int:
        while at < len(self.text) and self.text[at].isspace():
            at += 1
        return at

    def group(self, at: int, open_: str = "{", close: str = "}") -> tuple[str, int] | None:
        """The balanced group starting at `at` (spaces before it skipped), without its brackets, and where it
        ends; None when no group starts there."""
        at = self.skip_space(at)
        if at >= len(self.text) or self.text[at] != open_:
            return None
        depth, start = 0, at
        while at < len(self.text):
            char = self.text[at]
            if char == "\\":
                at += 2
                continue
            depth += (char == open_) - (char == close)
            at += 1
            if depth == 0:
                return self.text[start + 1:at - 1], at
        return None

    def line(self, at: int) -> int:
        return self.text.count("\n", 0, at) + 1


def parse_latex(path: Path) -> Glossary:
    source = _Source(read_text(path))
    found, notes = [], []
    for match in _DEFINER.finditer(source.text):
        kind, line = _DEFINERS[match.group(1)], source.line(match.start())
        args, at = [], match.end()
        options = source.group(at, "[", "]")
        if options is not None:
            at = options[1]
        wanted = {"entry": 2, "long": 3, "acronym": 3}[kind]
        while len(args) < wanted and (group := source.group(at)) is not None:
            args.append(group[0])
            at = group[1]
        if len(args) < wanted:
            notes.append(f"{path}:{line}: \\{match.group(1)} without its {wanted} arguments; skipped")
            continue
        found.append((line, kind, args, _keyvals(options[0]) if options else {}))
    if not found:
        raise GlossaryParseError(path, None, "no glossary entries found (no \\newglossaryentry or \\newacronym)")
    return _glossary(path, found, notes)


def _glossary(path: Path, found: list, notes: list[str]) -> Glossary:
    """Entries from (line, kind, arguments, options) found in the file."""
    entries = [_fields(kind, args, options) for _, kind, args, options in found]
    names = {label: _plain(fields["name"], {}, {}, []) or label for label, fields in entries}
    plurals = {label: fields.get("plural", "") for label, fields in entries}
    records = []
    for (line, _, _, _), (label, fields) in zip(found, entries, strict=True):
        links: list[Link] = []
        text = _plain(fields.get("description", ""), names, plurals, links)
        for key in ("see", "seealso", "parent"):
            for target in filter(None, (t.strip() for t in re.sub(r"^\[[^]]*\]", "", fields.get(key, "")).split(","))):
                links.append(Link(names.get(target, target), target))
        name = names[label]
        aliases = tuple(a for a in (_plain(fields.get("long", ""), names, plurals, []),) if a)
        records.append(Record(line=line, term=name, definition=text, text=text, aliases=aliases,
                              related=tuple(links), anchor=label))
    return glossary_with_notes(records, path, path.stem, "definitions", notes, left_out=len(notes))


def parse_bib2gls(path: Path) -> Glossary:
    source = _Source(read_text(path))
    found, notes, seen = [], [], 0
    for match in _BIB_RECORD.finditer(source.text):
        kind, line = match["type"].casefold(), source.line(match.start())
        body = source.group(match.end())
        if body is None:
            notes.append(f"{path}:{line}: @{match['type']} without its closing brace; skipped")
            continue
        seen += 1
        if kind not in _BIB_ENTRIES:
            continue  # @index (a name without a definition), @preamble, @string, @comment, bibliography types
        label, _, rest = body[0].partition(",")
        fields = _keyvals(rest)
        if kind in _BIB_ABBREVIATIONS:
            found.append((line, "acronym", [label, fields.get("short", label), fields.get("long", "")], fields))
        else:
            found.append((line, "entry", [label, rest], {}))
    if not found:
        what = "a bibliography, not a glossary" if seen else "empty"
        raise GlossaryParseError(path, None, f"no glossary entries found (no @entry or @abbreviation: {what})")
    return _glossary(path, found, notes)


def _fields(kind: str, args: list[str], options: dict[str, str]) -> tuple[str, dict[str, str]]:
    """(label, fields): `name`, `description`, `long` (an acronym's long form), `plural`, `see`, ..."""
    label = args[0].strip()
    if kind == "acronym":
        fields = {**options, "name": args[1], "long": args[2]}
        fields.setdefault("description", args[2])
    else:
        fields = {**_keyvals(args[1]), **({"description": args[2]} if kind == "long" else {})}
        fields.setdefault("name", label)
    return label, fields


def _after_options(source: _Source, at: int) -> int:
    """Where a command's arguments start, past its [options] if it has them: \\gls[hyper=false]{label}."""
    options = source.group(at, "[", "]")
    return options[1] if options else at


def _keyvals(text: str) -> dict[str, str]:
    """`name={A, B}, description=x` -> {"name": "A, B", "description": "x"}: commas inside braces stay."""
    parts, depth, start = [], 0, 0
    for at, char in enumerate(text):
        if char in "{}" and (at == 0 or text[at - 1] != "\\"):
            depth += 1 if char == "{" else -1
        elif char == "," and depth == 0:
            parts.append(text[start:at])
            start = at + 1
    parts.append(text[start:])
    found = {}
    for part in parts:
        key, sep, value = part.partition("=")
        if sep:
            value = value.strip()
            if value.startswith("{") and _Source(value).group(0) == (value[1:-1], len(value)):
                value = value[1:-1]
            found[key.strip().casefold()] = value
    return found


def _plain(latex: str, names: dict[str, str], plurals: dict[str, str], links: list[Link]) -> str:
    """The words LaTeX prints for `latex`; entries it prints by label are added to `links`."""
    source = _Source(latex)
    out, at = [], 0
    text = source.text
    while at < len(text):
        if text[at] != "\\":
            out.append(text[at])
            at += 1
            continue
        if (m := _LINKING.match(text, at)) and (label := source.group(m.end())) and (shown := source.group(label[1])):
            links.append(Link(names.get(label[0].strip(), label[0].strip()), label[0].strip()))
            out.append(_plain(shown[0], names, plurals, []))
            at = shown[1]
        elif (m := _REFERENCE.match(text, at)) and (label := source.group(_after_options(source, m.end()))):
            key = label[0].strip()
            word = names.get(key, key)
            links.append(Link(word, key))
            command = m.group(1).casefold()
            plural = command in ("glspl", "acsp", "aclp", "acp")
            printed = (plurals.get(key) or word + "s") if plural else word
            out.append(_plain(printed, names, plurals, []))
            at = label[1]
        elif m := _DROPPED.match(text, at):
            at = m.end()
            while (group := source.group(at, "[", "]") or source.group(at)) is not None:
                at = group[1]
        elif m := _SPACE.match(text, at):
            out.append(" ")
            at = m.end()
        elif text.startswith(tuple(k for k in _ESCAPED if k.startswith("\\")), at):
            out.append(_ESCAPED[text[at:at + 2]])
            at += 2
        else:  # \emph{x}, \texttt{x}, \href{url}{x}: the last argument's words; a macro for an acronym (\DDC{})
            # prints its name; \lambda, \centering print nothing here
            m = _COMMAND.match(text, at)
            if m is None:
                at += 1
                continue
            at, last = m.end(), None
            while (group := source.group(at)) is not None:
                at, last = group[1], group[0]
            if last:
                out.append(_plain(last, names, plurals, []))
            elif m.group(1).isupper() and len(m.group(1)) > 1:
                out.append(m.group(1))
    words = re.sub(r"\(\s*\)", "", "".join(out).replace("$", " ").replace("{", "").replace("}", ""))
    for written, printed in _ESCAPED.items():
        if not written.startswith("\\"):
            words = words.replace(written, printed)
    return " ".join(words.split())
