"""HTML glossary pages, as Sphinx, MkDocs, Docusaurus, Wikipedia and most site generators publish them:

    <dl class="glossary">
      <dt id="term-loss">Loss</dt><dt id="term-cost">Cost</dt>
      <dd><p>What training minimises; see <a href="#term-gradient">gradient</a>.</p></dd>
    </dl>

A saved or exported page is read without its chrome: navigation, headers, footers, sidebars, scripts and styles
are left out, and the entries come from the main content (`<main>`, `[role=main]`, `<article>`, else `<body>`).
There, the definition lists (those marked `glossary` when some are) give the entries: the first `<dt>` of a group
is the entry, the other `<dt>`s its aliases, the `<dd>`s its text. With no definition list, a table with a term
and a definition column gives one entry a row. In-page links (`href="#term-x"`) to an entry's
anchor (an `id` on or inside its `<dt>`) are related entries. A page with no definition list is read by its
headings: each `<h2>`-`<h4>` of the most common level and the paragraphs under it.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlparse

import lxml.html
from lxml import etree

from index.formats.lenient import glossary_with_notes
from index.formats.records import Record, field_of, split_names
from index.parse import Glossary, read_text
from indexformat.errors import GlossaryParseError

_CHROME = ("nav", "header", "footer", "aside", "script", "style", "noscript", "template", "form", "button", "svg",
           "iframe")
_CHROME_ROLES = ("navigation", "banner", "contentinfo", "complementary", "search")
# Marks that are no words of the entry: Sphinx's ¶ links, Wikipedia's [edit] links and [1] citations.
_NOISE_CLASSES = ("headerlink", "mw-editsection", "noprint", "anchorjs-link", "hash-link", "toclink", "sr-only",
                  "visually-hidden", "mw-cite-backlink")
_CITATION_CLASSES = ("reference", "footnote-ref")  # on <sup>: a citation mark such as [1]
_BLOCKS = {"p", "div", "ul", "ol", "li", "pre", "blockquote", "table", "tr", "dl", "dt", "dd", "section",
           "h1", "h2", "h3", "h4", "h5", "h6", "figure", "figcaption"}
_HEADINGS = ("h2", "h3", "h4")
MIN_HEADING_ENTRIES = 2  # a page read by headings needs at least this many under one level
MIN_TABLE_ROWS = 3  # a two-column table with no telling header is a glossary from this many rows


def is_html(text: str) -> bool:
    head = text[:4096].lstrip().casefold()
    return head.startswith(("<!doctype html", "<html")) or ("<dl" in text.casefold() and "<dt" in text.casefold()
                                                            and "<body" in text.casefold())


def parse_html(path: Path) -> Glossary:
    text = read_text(path)
    try:
        root = lxml.html.document_fromstring(text.encode("utf-8"), parser=lxml.html.HTMLParser(
            encoding="utf-8", remove_comments=True, remove_pis=True, no_network=True))
    except (etree.ParserError, ValueError) as err:
        raise GlossaryParseError(path, None, f"not readable as HTML: {err}") from None
    body = root.find("body")
    _drop_chrome(body if body is not None else root)
    title = _title(root) or path.stem
    main = _main(root)
    groups, kind = _dl_groups(main), "terms"
    if not groups:
        groups, kind = _table_groups(main), "rows"
    if not groups:
        groups, kind = _heading_groups(main), "headings"
    if not groups:
        raise GlossaryParseError(path, None, "no glossary entries found (expected <dl> with <dt>/<dd>, a "
                                 "term/definition table, or headings with paragraphs)")
    anchors: dict[str, str] = {}  # id -> the entry it names
    for names, ids, _, _ in groups:
        for key in ids if names else ():
            anchors.setdefault(key, names[0])
    records = []
    for names, ids, bodies, line in groups:
        related: list[str] = []
        rendered = [_render(body, anchors, related) for body in bodies]
        markdown = "\n\n".join(m for m, _ in rendered if m)
        plain = " ".join(p for _, p in rendered)
        term = names[0] if names else ""
        records.append(Record(line=line, term=term, definition=markdown.strip(), aliases=tuple(names[1:]),
                              related=tuple(r for r in dict.fromkeys(related) if r != term),
                              text=" ".join(plain.split()), anchor=ids[0] if ids else ""))
    return glossary_with_notes(records, path, title, kind, [])


def _title(root) -> str:
    for query in ("//main//h1", "//article//h1", "//h1", "//title"):
        found = root.xpath(query)
        if found and (text := _words(found[0])):
            return re.split(r"\s+[|—–-]\s+", text)[0].strip() or text  # "Glossary — Project docs" -> "Glossary"
    return ""


def _main(root):
    """The page's main content: the first of <main>, [role=main], the <article> with most <dt>, <body>."""
    for query in ("//main", "//*[@role='main']"):
        found = root.xpath(query)
        if found:
            return max(found, key=lambda el: len(el.xpath(".//dt")))
    articles = root.xpath("//article")
    if articles:
        best = max(articles, key=lambda el: len(el.xpath(".//dt")) + len(el.xpath(".//p")) / 100)
        return best
    body = root.find("body")
    return body if body is not None else root


def _drop_chrome(main) -> None:
    doomed = [el for el in main.iter(*_CHROME) if el is not main and not el.xpath(".//dl[dt]")]
    doomed += [el for el in main.iter() if isinstance(el.tag, str) and el.get("role") in _CHROME_ROLES]
    for el in main.iter():
        classes = set((el.get("class") or "").split()) if isinstance(el.tag, str) else set()
        if el.tag in ("span", "a", "sup", "div") and classes & set(_NOISE_CLASSES) and not el.xpath(".//dt|.//p") \
                or el.tag == "sup" and classes & set(_CITATION_CLASSES):
            doomed.append(el)
    for el in doomed:
        _remove(el)


def _remove(el) -> None:
    """Take `el` out of the tree, keeping the text that follows it."""
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail or ""
    previous = el.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(el)


def _dl_groups(main):
    """(names, anchors, bodies, line) per entry of the page's glossary lists."""
    lists = [dl for dl in main.iter("dl") if not any(a.tag == "dd" for a in dl.iterancestors())]
    marked = [dl for dl in lists if "glossary" in (dl.get("class") or "").casefold()]
    lists = marked or [dl for dl in lists if dl.find(".//dt") is not None]
    groups = []
    for dl in lists:
        names: list[str] = []
        ids: list[str] = []
        bodies: list = []
        line = 0
        for el in _items(dl):
            if el.tag == "dt":
                if bodies:  # a new term after a definition: the previous entry is complete
                    groups.append((names, ids, bodies, line))
                    names, ids, bodies = [], [], []
                if not names:
                    line = el.sourceline or 0
                if (name := _words(el)):
                    names.append(name)
                ids.extend(_ids(el))
            else:
                bodies.append(el)
        if names or bodies:
            groups.append((names, ids, bodies, line))
    return groups


def _items(dl):
    """The dt/dd children of a list, also those HTML5 lets a page wrap in <div>s."""
    for child in dl:
        if child.tag in ("dt", "dd"):
            yield child
        elif child.tag == "div":
            yield from (c for c in child if c.tag in ("dt", "dd"))


def _table_groups(main):
    """Rows of the page's glossary tables: a header that names a term and a definition column (`Term` |
    `Definition`, `Name` | `Description`, ...), or two columns with no header that says otherwise."""
    groups = []
    for table in main.iter("table"):
        rows = [[c for c in row if c.tag in ("td", "th")] for row in table.iter("tr")]
        rows = [row for row in rows if row]
        if not rows:
            continue
        header = [field_of(_words(cell)) for cell in rows[0]]
        if "term" in header and "definition" in header:
            term, definition = header.index("term"), header.index("definition")
            others = [n for n, f in enumerate(header) if f == "aliases"]
            rows = rows[1:]
        elif all(len(row) == 2 for row in rows) and len(rows) >= MIN_TABLE_ROWS:
            term, definition, others = 0, 1, []
            rows = rows[1:] if all(cell.tag == "th" for cell in rows[0]) else rows
        else:
            continue
        for row in rows:
            if len(row) <= max(term, definition):
                continue
            names = [_words(row[term]), *(n for k in others if k < len(row) for n in split_names(_words(row[k])))]
            groups.append(([n for n in names if n], _ids(row[term]) or ([row[term].getparent().get("id")]
                           if row[term].getparent().get("id") else []), [row[definition]], row[term].sourceline or 0))
    return groups


def _heading_groups(main):
    counts = {h: len(main.xpath(f".//{h}")) for h in _HEADINGS}
    level = max(_HEADINGS, key=lambda h: counts[h])
    if counts[level] < MIN_HEADING_ENTRIES:
        return []
    groups = []
    for heading in main.iter(level):
        bodies = []
        for sibling in heading.itersiblings():
            if sibling.tag in ("h1", "h2", "h3", "h4")[: _HEADINGS.index(level) + 2]:
                break
            if isinstance(sibling.tag, str):
                bodies.append(sibling)
        name = _words(heading)
        groups.append(([name] if name else [], _ids(heading) or ([heading.get("id")] if heading.get("id") else []),
                       bodies, heading.sourceline or 0))
    return groups


def _ids(el) -> list[str]:
    return [key for node in el.iter() if isinstance(node.tag, str) and (key := node.get("id") or node.get("name"))
            and (node is el or node.tag in ("a", "span", "dfn", "b", "strong"))]


def _render(el, anchors: dict[str, str], related: list[str]) -> tuple[str, str]:
    """An element -> (markdown: paragraphs, items, code; plain text without code blocks)."""
    if el.tag == "pre":
        code = el.text_content().strip("\n")
        return f"```\n{code}\n```", ""
    if el.tag in ("ul", "ol"):
        items = [_render(li, anchors, related) for li in el if li.tag == "li"]
        return "\n".join(f"- {m}" for m, _ in items), " ".join(p for _, p in items)
    if any(isinstance(c.tag, str) and c.tag in _BLOCKS for c in el):
        mds, plains = [], []
        inline_md, inline_plain = [el.text or ""], [el.text or ""]
        for child in el:
            if isinstance(child.tag, str) and child.tag in _BLOCKS:
                if "".join(inline_plain).strip():
                    mds.append(" ".join("".join(inline_md).split()))
                    plains.append("".join(inline_plain))
                inline_md, inline_plain = [], []
                m, p = _render(child, anchors, related)
                mds.append(m)
                plains.append(p)
            else:
                m, p = _inline(child, anchors, related)
                inline_md.append(m)
                inline_plain.append(p)
            inline_md.append(child.tail or "")
            inline_plain.append(child.tail or "")
        if "".join(inline_plain).strip():
            mds.append(" ".join("".join(inline_md).split()))
            plains.append("".join(inline_plain))
        return "\n\n".join(m.strip() for m in mds if m.strip()), " ".join(" ".join(plains).split())
    md, plain = [el.text or ""], [el.text or ""]
    for child in el:
        m, p = _inline(child, anchors, related)
        md.extend((m, child.tail or ""))
        plain.extend((p, child.tail or ""))
    return " ".join("".join(md).split()), " ".join("".join(plain).split())


def _inline(el, anchors: dict[str, str], related: list[str]) -> tuple[str, str]:
    if not isinstance(el.tag, str):
        return "", ""
    if el.tag == "br":
        return " ", " "
    text = " ".join(el.text_content().split())
    if el.tag in ("code", "kbd", "samp", "tt") and text:
        return f"`{text}`", text
    if el.tag == "a" and (target := _fragment(el.get("href") or "")) in anchors:
        related.append(anchors[target])
        return f"[{text or anchors[target]}](#{target})", text or anchors[target]
    if el.tag == "img":
        alt = el.get("alt") or ""
        return alt, alt
    return _render(el, anchors, related)


def _fragment(href: str) -> str:
    """The anchor a link points at: `#term-x`, `glossary.html#term-x` (a page saved under another name)."""
    parsed = urlparse(href)
    if not parsed.fragment:
        return ""
    return "" if parsed.netloc else unquote(parsed.fragment)  # another site's anchor is no entry of this page


def _words(el) -> str:
    return " ".join(el.text_content().split()).strip(" :")
