"""reStructuredText glossaries: the Sphinx `.. glossary::` directive, read with docutils.

Docutils does not know Sphinx, so this module teaches it just enough: a `glossary` directive that splits its
content into items the way Sphinx does (one or more term lines, then an indented definition), an `index`
directive that produces nothing, and a generic role for every Sphinx role the file uses. `:term:` roles are
references to other entries; other roles (`:class:`~a.B``, `:func:`f``, `:ref:`text <label>``) become their
displayed text. The first term line of an item is the entry, the others are its aliases.
"""

from __future__ import annotations

import re
from pathlib import Path

from docutils import nodes
from docutils.core import publish_doctree
from docutils.parsers.rst import Directive, directives, roles
from docutils.parsers.rst.languages import en
from docutils.statemachine import StringList

from index.formats.records import Record, glossary_from_records
from index.parse import Glossary, read_text
from indexformat.errors import GlossaryParseError

_ROLE_NAME = re.compile(r"(?<![\w`]):((?:[A-Za-z][\w+.-]*:)?[A-Za-z][\w+.-]*):`")
_INTERSPHINX = re.compile(r"^[\w-]+:\S")  # `:term:`python:slice``: another project's glossary, not this one
_TITLE_TARGET = re.compile(r"^(?P<title>.+?)\s*<(?P<target>[^<>]+)>$", re.S)
# Roles whose text Sphinx shows as code; functions and methods get "()" as Sphinx adds them by default.
_CODE_ROLES = {"attr", "class", "const", "data", "exc", "func", "meth", "mod", "obj", "keyword", "file", "samp",
               "option", "envvar", "program", "command", "kbd", "makevar", "mailheader", "type", "member",
               "macro", "var", "enum", "struct", "expr", "cfunc", "cmacro", "ctype", "cdata"}
_CALLABLE_ROLES = {"func", "meth", "cfunc"}
_TEXT_ROLES = {"ref", "doc", "numref", "abbr", "dfn", "term", "manpage", "guilabel", "menuselection"}
_SETTINGS = {
    "report_level": 5,  # problems in the text do not stop the read; unknown markup is dropped below
    "halt_level": 5,
    "file_insertion_enabled": False,  # `.. include::` and `.. raw:: file` never read other files
    "raw_enabled": False,
    "_disable_config": True,
    "input_encoding": "unicode",
    "warning_stream": False,
}


class glossary_item(nodes.Element):  # noqa: N801 - docutils names node classes in lowercase
    """One item of a glossary directive: `terms` and `line` attributes, the parsed definition as children."""


class term_ref(nodes.Inline, nodes.TextElement):  # noqa: N801
    """A `:term:` reference; `target` is the term it names."""


class _Glossary(Directive):
    has_content = True
    option_spec = {"sorted": directives.flag}

    def run(self) -> list[nodes.Node]:
        items, content = [], self.content
        base = min((_indent(line) for line in content if line.strip()), default=0)
        i = 0
        while i < len(content):
            if not content[i].strip() or _indent(content[i]) > base or content[i].strip().startswith(".."):
                i += 1  # blank lines, comments, stray indented text
                continue
            terms, line = [], content.offset(i) + 1
            while i < len(content) and content[i].strip() and _indent(content[i]) == base:
                terms.append(self._inline(content[i].strip(), content.offset(i) + 1))
                i += 1
            start = i
            while i < len(content) and (not content[i].strip() or _indent(content[i]) > base):
                i += 1
            body = StringList([text[base:] for text in content[start:i]], items=content.items[start:i])
            body.disconnect()
            item = glossary_item(terms=terms, line=line)
            self.state.nested_parse(_dedent(body), content.offset(start) if start < i else 0, item)
            items.append(item)
        return items

    def _inline(self, text: str, line: int) -> str:
        parsed, _ = self.state.inline_text(text, line)
        return " ".join("".join(n.astext() for n in parsed).split())


class _Nothing(Directive):
    """`.. index::` and similar: entries for a generated index, not glossary text."""

    has_content = True
    optional_arguments = 1
    final_argument_whitespace = True
    option_spec = {"name": directives.unchanged}

    def run(self) -> list[nodes.Node]:
        return []


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _dedent(lines: StringList) -> StringList:
    depth = min((_indent(line) for line in lines if line.strip()), default=0)
    return StringList([line[depth:] for line in lines], items=lines.items)


def _sphinx_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    kind = name.rsplit(":", 1)[-1]
    title, target = text, text
    if (match := _TITLE_TARGET.match(text)) is not None:
        title, target = match["title"], match["target"]
    elif kind not in _TEXT_ROLES:
        title = title.lstrip("!")
        if title.startswith("~"):  # `~a.b.C` shows as `C`
            title = title[1:].rsplit(".", 1)[-1]
    if kind == "term":
        return [term_ref(rawtext, " ".join(title.split()), target=" ".join(target.lstrip("!").split()))], []
    if kind in _CALLABLE_ROLES and not title.endswith(")") and match is None:
        title += "()"
    if kind == "pep":
        return [nodes.Text(f"PEP {title}")], []
    node = nodes.literal if kind in _CODE_ROLES else nodes.emphasis if kind == "dfn" else nodes.inline
    return [node(rawtext, title)], []


def _register(text: str) -> None:
    """Directives once; a generic role for each role name the text uses that docutils does not define."""
    directives.register_directive("glossary", _Glossary)
    for name in ("index", "highlight", "versionadded", "versionchanged", "deprecated", "only", "toctree"):
        directives.register_directive(name, _Nothing)
    known = set(en.roles) | set(en.roles.values())
    for name in set(_ROLE_NAME.findall(text)):
        if name not in known or name == "pep":  # docutils' own :pep: makes a link; Sphinx shows "PEP 8"
            roles.register_local_role(name, _sphinx_role)


def parse_rst(path: Path) -> Glossary:
    text = read_text(path)
    _register(text)
    doctree = publish_doctree(text, source_path=str(path), settings_overrides=_SETTINGS)
    records = []
    for item in doctree.findall(glossary_item):
        names = [t for t in item["terms"] if t]
        if not names:
            continue
        body = [child for child in item.children if not isinstance(child, nodes.system_message)]
        records.append(
            Record(
                line=item["line"],
                term=names[0],
                definition=_markdown(body).strip(),
                aliases=tuple(names[1:]),
                related=tuple(dict.fromkeys(ref["target"] for ref in item.findall(term_ref)
                                            if not _INTERSPHINX.match(ref["target"]))),
                text=" ".join(_plain(body).split()),
            )
        )
    if not any(True for _ in doctree.findall(glossary_item)):
        raise GlossaryParseError(path, None, "no glossary entries found (expected a '.. glossary::' directive)")
    title = doctree.get("title") or next((t.astext() for t in doctree.findall(nodes.title)), "") or path.stem
    return glossary_from_records(records, path, title, kind="items")


_SKIP = (nodes.system_message, nodes.comment, nodes.target, nodes.substitution_definition, nodes.raw)


def _plain(children) -> str:
    """Text for matching: paragraphs and lists, without code blocks or markup."""
    parts = []
    for node in children:
        if isinstance(node, (*_SKIP, nodes.literal_block, nodes.doctest_block)):
            continue
        if isinstance(node, nodes.Text):
            parts.append(str(node))
        elif isinstance(node, nodes.TextElement) and not isinstance(node, nodes.paragraph):
            parts.append(node.astext())
        else:
            parts.append(" " + _plain(node.children) + " ")
    return "".join(parts)


def _markdown(children, indent: str = "") -> str:
    """The definition as markdown, which is what entries display."""
    out = []
    for node in children:
        if isinstance(node, _SKIP):
            continue
        if isinstance(node, nodes.paragraph):
            out.append(_inline(node) + "\n\n")
        elif isinstance(node, (nodes.bullet_list, nodes.enumerated_list)):
            for n, item in enumerate(node.children, 1):
                marker = "- " if isinstance(node, nodes.bullet_list) else f"{n}. "
                body = _markdown(item.children).strip().replace("\n", "\n" + " " * len(marker))
                out.append(marker + body + "\n")
            out.append("\n")
        elif isinstance(node, (nodes.literal_block, nodes.doctest_block)):
            out.append("```\n" + node.astext() + "\n```\n\n")
        elif isinstance(node, nodes.definition_list):
            for item in node.children:
                term = next((c for c in item.children if isinstance(c, nodes.term)), None)
                definition = next((c for c in item.children if isinstance(c, nodes.definition)), None)
                out.append(f"**{_inline(term) if term else ''}**: {_markdown(definition or []).strip()}\n\n")
        elif isinstance(node, nodes.Element):
            out.append(_markdown(node.children))
    return "".join(out)


def _inline(node: nodes.Node) -> str:
    if isinstance(node, nodes.Text):
        return str(node).replace("\n", " ")
    text = "".join(_inline(child) for child in node.children)
    if isinstance(node, nodes.literal):
        fence = "``" if "`" in text else "`"
        return f"{fence}{text}{fence}"
    if isinstance(node, nodes.emphasis):
        return f"*{text}*"
    if isinstance(node, nodes.strong):
        return f"**{text}**"
    if isinstance(node, nodes.reference) and str(node.get("refuri", "")).startswith(("http://", "https://")):
        return f"[{text}]({node['refuri']})"
    return text
