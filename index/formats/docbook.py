"""DocBook glossaries, XML (DocBook 4 and 5, any namespace) or SGML:

    <glossentry id="glossary-acid">
      <glossterm>ACID</glossterm> <acronym>...</acronym>
      <glossdef><para>... <glossterm linkend="glossary-atomicity">Atomicity</glossterm> ...</para>
        <glossseealso otherterm="glossary-transaction"/></glossdef>
    </glossentry>
    <glossentry><glossterm>Analytic function</glossterm><glosssee otherterm="glossary-window-function"/></glossentry>

Every `<glossentry>` (in a `<glossary>`, `<glossdiv>` or `<glosslist>`) is an entry: `<glossterm>` names it,
`<acronym>` and `<abbrev>` beside it are aliases, `<glossdef>` is its text (paragraphs joined, inline markup read
as text). `<glosssee>` makes the entry an alias of its target; `<glossseealso>` and inline `<glossterm linkend>`,
`<link linkend>`, `<xref linkend>` and `<firstterm linkend>` are related entries, found by the target's id (the
element's text is used only when there is no target). SGML is read leniently: named entities come from the
document's own `<!ENTITY>` declarations or the HTML table, unquoted attributes are quoted, omitted end tags are
recovered by lxml; no DTD is loaded and nothing is fetched.
"""

from __future__ import annotations

import html.entities
import re
from pathlib import Path

from lxml import etree

from index.formats.lenient import glossary_with_notes
from index.formats.records import Record
from index.parse import Glossary, normalize, read_text
from indexformat.errors import GlossaryParseError

_XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
_XML_ENTITIES = {"amp", "lt", "gt", "quot", "apos"}
_DECLARED_ENTITY = re.compile(r"""<!ENTITY\s+(?P<name>[\w.-]+)\s+(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)')\s*>""")
_ENTITY = re.compile(r"&(?P<name>[A-Za-z][\w.-]*);")
_DOCTYPE = re.compile(r"<!DOCTYPE[^\[>]*(?:\[.*?\]\s*)?>", re.S)
_UNQUOTED = re.compile(r"""(<[A-Za-z][^<>]*?\s[\w:.-]+\s*=\s*)(?P<value>[^\s"'<>/=][^\s"'<>]*)""")
_TAG = re.compile(r"(?P<skip><!--.*?-->|<!\[CDATA\[.*?\]\]>)"
                  r"|<(?P<close>/)?(?P<name>[A-Za-z][\w.:-]*)(?P<rest>(?:\s[^<>]*?)?)(?P<empty>/)?>", re.S)
# DocBook's EMPTY elements, which SGML writes without an end tag; and elements that never hold themselves.
_EMPTY = {"xref", "anchor", "footnoteref", "co", "colspec", "spanspec", "sbr", "imagedata", "area", "void",
          "varargs", "textdata", "videodata", "audiodata", "coref", "synopfragmentref"}
_NO_SELF_NESTING = {"para", "simpara", "glossentry", "glossdef", "glossterm", "listitem", "term", "varlistentry",
                    "row", "entry", "member", "title", "acronym", "abbrev"}
# SGML marked sections: `<![ %cond; [ ... ]]>` and INCLUDE keep their text, IGNORE drops it (CDATA stays CDATA).
_MARKED_SECTION = re.compile(r"<!\[\s*(?P<kind>%[\w.-]+;|INCLUDE|IGNORE)\s*\[(?P<body>.*?)\]\]>", re.S)
_BLOCKS = {"para", "simpara", "formalpara", "itemizedlist", "orderedlist", "variablelist", "varlistentry",
           "listitem", "note", "tip", "warning", "caution", "important", "blockquote", "example", "informalexample",
           "table", "informaltable", "row", "simplelist", "member", "glossdef", "term"}
_CODE_BLOCKS = {"programlisting", "screen", "synopsis", "literallayout", "cmdsynopsis", "funcsynopsis"}
_CODE_INLINE = {"literal", "command", "filename", "function", "parameter", "varname", "type", "structname",
                "option", "envar", "code", "userinput", "computeroutput", "replaceable", "classname", "constant",
                "systemitem", "sgmltag", "tag", "token", "symbol", "methodname", "property"}
_LEFT_OUT = {"indexterm", "remark", "footnote", "glossseealso", "glosssee", "title", "titleabbrev", "anchor"}
_LINKS = {"glossterm", "link", "xref", "firstterm", "olink"}
_NAMES = ("acronym", "abbrev")


def is_docbook(text: str) -> bool:
    """The text has DocBook glossary entries."""
    return re.search(r"<glossentry[\s>]", text, re.I) is not None and re.search(r"<glossterm[\s>]", text, re.I) \
        is not None


def parse_docbook(path: Path) -> Glossary:
    root = _parse(path)
    entries = [el for el in root.iter() if _name(el) == "glossentry"]
    if not entries:
        raise GlossaryParseError(path, None, "no glossary entries found (expected <glossentry> elements)")
    terms = {}  # id -> the entry's name, for every id inside an entry (the entry's, its glossterm's)
    for entry in entries:
        name = _term(entry)
        for el in (entry, *_children(entry, "glossterm")):
            if (key := el.get("id") or el.get(_XML_ID)) and name:
                terms.setdefault(key, name)
    defined = {_term(e) for e in entries if _children(e, "glossdef")}
    known = {normalize(name) for name in terms.values()} | {normalize(n) for n in defined}
    records, notes = [], []
    for entry in entries:
        records.append(_record(entry, terms, defined, known, path, notes))
    kept = [r for r in records if r is not None]
    return glossary_with_notes(kept, path, _title(root) or path.stem, "entries", notes,
                               left_out=len(records) - len(kept))


def _parse(path: Path):
    text = read_text(path)
    declared = {m["name"]: m["dq"] if m["dq"] is not None else m["sq"] for m in _DECLARED_ENTITY.finditer(text)}
    text = _DOCTYPE.sub(lambda m: "\n" * m.group(0).count("\n"), text)
    text = _MARKED_SECTION.sub(lambda m: "\n" * m["body"].count("\n") if m["kind"] == "IGNORE" else m["body"], text)
    text = _ENTITY.sub(lambda m: _entity(m["name"], declared), text)
    text = _UNQUOTED.sub(lambda m: f'{m[1]}"{m["value"]}"', text)
    text = _balance(text)
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, load_dtd=False,
                             remove_comments=True, remove_pis=True, huge_tree=True)
    try:
        root = etree.fromstring(text.encode("utf-8"), parser)
    except etree.XMLSyntaxError as err:
        raise GlossaryParseError(path, err.lineno or None, f"not readable as DocBook: {err.msg}") from None
    if root is None:
        raise GlossaryParseError(path, None, "not readable as DocBook XML or SGML")
    return root


def _balance(text: str) -> str:
    """SGML's omitted tags made explicit, so that an XML parser nests what SGML means: EMPTY elements
    (`<xref linkend=x>`) close themselves, an element that cannot hold itself (`<para>` after `<para>`) closes
    the one before, an end tag closes what is still open inside it, and a stray end tag is dropped. Well-formed
    XML passes unchanged."""
    out: list[str] = []
    stack: list[str] = []
    last = 0
    for match in _TAG.finditer(text):
        out.append(text[last:match.start()])
        last = match.end()
        if match["skip"]:
            out.append(match["skip"])
            continue
        closing, name, rest, empty = match["close"], match["name"], match["rest"], match["empty"]
        key = name.lower().rsplit(":", 1)[-1]
        if closing:
            if name in stack:
                while stack:
                    top = stack.pop()
                    out.append(f"</{top}>")
                    if top == name:
                        break
            continue  # a stray end tag: nothing is open to close
        if stack and stack[-1].lower().rsplit(":", 1)[-1] == key and key in _NO_SELF_NESTING:
            out.append(f"</{stack.pop()}>")
        if empty or key in _EMPTY:
            out.append(f"<{name}{rest.rstrip()}/>")
        else:
            out.append(match.group(0))
            stack.append(name)
    out.append(text[last:])
    out.extend(f"</{name}>" for name in reversed(stack))
    return "".join(out)


def _entity(name: str, declared: dict[str, str]) -> str:
    if name in _XML_ENTITIES:
        return f"&{name};"
    value = declared.get(name)
    if value is None:
        value = html.entities.html5.get(f"{name};", html.entities.html5.get(name.lower() + ";", ""))
    return value.replace("&", "&amp;").replace("<", "&lt;")


def _record(entry, terms: dict[str, str], defined: set[str], known: set[str], path: Path,
            notes: list[str]) -> Record | None:
    line = entry.sourceline or 0
    name = _term(entry)
    aliases = [a for a in (_clean(_text(el)) for k in _NAMES for el in _children(entry, k)) if a and a != name]
    see = _children(entry, "glosssee")
    definitions = _children(entry, "glossdef")
    if see and not definitions:
        target = terms.get(see[0].get("otherterm") or "") or _clean(_text(see[0]))
        if target not in defined:
            notes.append(f"{path}:{line}: '{name}' says see '{see[0].get('otherterm') or target}', which is no "
                         "entry with a definition here; left out")
            return None
        return Record(line=line, term=name, definition=f"See {target}.", aliases=tuple(aliases), redirect=target,
                      anchor=entry.get("id") or entry.get(_XML_ID) or "")
    related: list[str] = []
    markdown, plain = [], []
    for definition in definitions:
        md, text = _render(definition, terms, known, related)
        markdown.append(md)
        plain.append(text)
        for also in definition.iter():
            if _name(also) == "glossseealso":
                target = terms.get(also.get("otherterm") or "") or _clean(_text(also))
                if target:
                    related.append(target)
    return Record(line=line, term=name, definition="\n\n".join(m for m in markdown if m).strip(),
                  aliases=tuple(dict.fromkeys(aliases)),
                  related=tuple(r for r in dict.fromkeys(related) if r != name),
                  text=_clean(" ".join(plain)), anchor=entry.get("id") or entry.get(_XML_ID) or "")


def _render(el, terms: dict[str, str], known: set[str], related: list[str]) -> tuple[str, str]:
    """An element -> (markdown: paragraphs, list items, code; plain text without code blocks)."""
    def inline(node) -> tuple[str, str]:
        """Inline content of `node` (its text and children, not its tail)."""
        md, plain = [node.text or ""], [node.text or ""]
        for child in node:
            kind = _name(child)
            if kind in _LEFT_OUT or not kind:
                pass
            elif kind in _BLOCKS or kind in _CODE_BLOCKS:
                m, p = block(child)
                md.append(f" {m} ")
                plain.append(f" {p} ")
            else:
                m, p = link(child) if kind in _LINKS else inline(child)
                if kind in _CODE_INLINE and m.strip():
                    m = f"`{m.strip()}`"
                elif kind == "quote":
                    m, p = f"“{m}”", f"“{p}”"
                md.append(m)
                plain.append(p)
            md.append(child.tail or "")
            plain.append(child.tail or "")
        return _clean("".join(md)), _clean("".join(plain))

    def link(node) -> tuple[str, str]:
        target = node.get("linkend") or node.get("otherterm") or ""
        m, p = inline(node)
        name = terms.get(target)
        if name is not None:
            related.append(name)
            return (f"[{p or name}](#{target})", p or name)
        if not target and _name(node) in ("glossterm", "firstterm"):
            base = node.get("baseform") or p
            if normalize(base) in known:
                related.append(base)
        if not p and target:  # an xref to another part of the manual: its id is all there is to show
            p = m = target
        return m, p

    def block(node) -> tuple[str, str]:
        kind = _name(node)
        if kind in _CODE_BLOCKS:
            code = "".join(node.itertext()).strip("\n")
            return f"\n```\n{code}\n```\n", ""
        if kind in ("itemizedlist", "orderedlist", "simplelist"):
            items = [block(child) for child in node if _name(child) in ("listitem", "member")]
            return "\n" + "\n".join(f"- {m.strip()}" for m, _ in items) + "\n", " ".join(p for _, p in items)
        children_are_blocks = any(_name(c) in _BLOCKS or _name(c) in _CODE_BLOCKS for c in node)
        if not children_are_blocks:
            return inline(node)
        mds, plains = [], []
        if _clean(node.text):
            mds.append(_clean(node.text))
            plains.append(_clean(node.text))
        for child in node:
            kind = _name(child)
            if kind in _BLOCKS or kind in _CODE_BLOCKS:
                m, p = block(child)
            elif kind and kind not in _LEFT_OUT:
                m, p = link(child) if kind in _LINKS else inline(child)
            else:
                m, p = "", ""
            tail = _clean(child.tail)
            mds.append(m.strip() + (f" {tail}" if tail else ""))
            plains.append(p + (f" {tail}" if tail else ""))
        return "\n\n".join(x.strip() for x in mds if x.strip()), " ".join(plains)

    md, plain = block(el)
    return md.strip(), _clean(plain)


def _children(el, kind: str) -> list:
    return [child for child in el if _name(child) == kind]


def _term(entry) -> str:
    terms = _children(entry, "glossterm")
    return _clean(_text(terms[0])) if terms else ""


def _title(root) -> str:
    for el in root.iter():
        if _name(el) == "glossary":
            titles = _children(el, "title") or [t for info in _children(el, "info") for t in _children(info, "title")]
            if titles and _clean(_text(titles[0])):
                return _clean(_text(titles[0]))
    titles = _children(root, "title")
    return _clean(_text(titles[0])) if titles else ""


def _text(el) -> str:
    """The element's text without what is left out (index terms, remarks)."""
    parts = [el.text or ""]
    for child in el:
        if _name(child) not in _LEFT_OUT and _name(child):
            parts.append(_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _name(el) -> str:
    return etree.QName(el).localname.lower() if isinstance(el.tag, str) else ""


def _clean(text: str | None) -> str:
    return " ".join((text or "").split())
