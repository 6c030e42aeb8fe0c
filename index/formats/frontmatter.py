"""Front-matter folders (Hugo, Jekyll, Docusaurus, MkDocs, MDN): one markdown page per term, the folder is the
glossary.

Each page opens with front matter (YAML, TOML or a JSON object): `title` is the term, `aka` its other names,
`short_description` (or `description`, `summary`, `definition`) its short text, `related_terms` names related
entries; the page body follows, `<!--more-->` marking where the short text ends, sub-headings part of the text.
Pages are flat (`node.md`) or one folder per term (`node/index.md`, MDN), nested term folders (`node/dom/`)
being entries too. Macros read as their text (`index.formats.macros`): a Hugo tooltip or a KumaScript
`{{Glossary("HTTP")}}` names another page (by its `id`, `slug` or file name), which becomes a related term, as
do links to other pages of the glossary. Section and landing pages (`index.md`, `_index.md`, `README.md` at
the top; a folder page among flat pages; `page-type: landing-page`) and disambiguation pages (a page that only
lists the meanings of a name) are not terms: they are skipped with a line in the report, and the top page's
title names the glossary.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from index.formats.macros import expand_macros
from index.formats.markdown import markdown_text
from index.formats.markup import drop_citations, front_matter
from index.formats.records import Record, glossary_from_records
from index.parse import Glossary, Link, heading_parts, normalize, read_text
from indexformat.errors import GlossaryParseError

EXTENSIONS = (".md", ".markdown", ".mdx")
SECTION_PAGES = {"index", "_index", "readme"}
FOLDER_PAGES = {"index", "_index"}  # `term/index.md`: the page of the folder's term
SHORT_FIELDS = ("short_description", "description", "summary", "definition")
MORE_FIELDS = ("alt_definition",)  # another wording of the definition, read after it
ALIAS_FIELDS = ("aka", "aliases", "synonyms")
RELATED_FIELDS = ("related_terms", "related", "see_also", "seealso", "alt_related_terms")
KIND_FIELDS = ("page-type", "page_type", "pagetype", "type", "layout")  # what the page is, when it says
NOT_TERMS = ("landing", "section", "index", "list", "home")  # kinds of page that are not a term
DISAMBIGUATION = "disambiguation"  # in a page kind or a macro name: a page listing the meanings of a name
MOSTLY = 0.5  # a folder is a front-matter glossary when more than this share of its pages open with front matter
_ENTRY_HEADING = re.compile(r"^ {0,3}#{2,3}[ \t]+\S", re.M)
_MORE = re.compile(r"<!--\s*more\s*-->", re.I)
_TOOLTIPS = {"glossary_tooltip", "glossary_definition", "term"}  # shortcodes that name a term
_SEE_ALSO = re.compile(r"^ {0,3}#{2,6}[ \t]+see also[ \t#]*$", re.I | re.M)
_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+\S", re.M)
_DISAMBIGUATION_MACRO = re.compile(r"\{\{\s*\w*disambiguation\w*\s*(?:\(|\}\})", re.I)


@dataclass(frozen=True)
class _Page:
    path: Path
    key: str  # where the page sits in the folder: "node", "node/dom"
    meta: dict
    body: str


def pages(folder: Path) -> list[Path]:
    """The folder's own pages, then the `index.md` of each term folder below it (any depth)."""
    return [*_flat_pages(folder), *_folder_pages(folder)]


def _flat_pages(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in EXTENSIONS
                  and not p.name.startswith("."))


def _folder_pages(folder: Path) -> list[Path]:
    found = []
    for sub in sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")):
        page = next((p for p in _flat_pages(sub) if p.stem.casefold() in FOLDER_PAGES), None)
        if page is not None:
            found.append(page)
            found.extend(_folder_pages(sub))
    return found


def _is_term_page(path: Path) -> bool:
    try:
        text = path.read_text(encoding="utf-8-sig", errors="replace")
    except OSError:
        return False
    meta, body = front_matter(text)
    return meta is not None and len(_ENTRY_HEADING.findall(body)) < 2 or meta is not None and _kind(meta) != ""


def is_frontmatter_folder(folder: Path) -> bool:
    """Most of the folder's markdown pages (two at least) are term pages: front matter, then no `## Term` list;
    or most of its sub-folders are term folders (`term/index.md` with front matter, MDN).

    A folder of several heading glossaries that happen to carry front matter (a Jekyll site) is not one."""
    flat = _flat_pages(folder)
    if len(flat) >= 2 and sum(_is_term_page(p) for p in flat) > MOSTLY * len(flat):
        return True
    subfolders = [p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")]
    term_folders = sum(1 for sub in subfolders
                       if any(p.stem.casefold() in FOLDER_PAGES and _is_term_page(p) for p in _flat_pages(sub)))
    return term_folders >= 2 and term_folders > MOSTLY * len(subfolders)


def parse_frontmatter_folder(folder: Path) -> Glossary:
    if not folder.is_dir():
        raise GlossaryParseError(folder, None, "the frontmatter format reads a folder of pages, not one file")
    found = pages(folder)
    if not found:
        raise GlossaryParseError(folder, None, "the folder holds no markdown pages")
    flat = [p for p in found if p.parent == folder and p.stem.casefold() not in SECTION_PAGES]
    per_folder = len(found) - len(flat) > len(flat)  # MDN: one folder per term
    skipped, title, read = [], "", []
    for path in found:
        text = read_text(path)
        meta, body = front_matter(text)
        top = path.parent == folder and path.stem.casefold() in SECTION_PAGES
        kind = _kind(meta) if meta else ""
        if top or (not per_folder and path.parent != folder) or any(k in kind for k in NOT_TERMS):
            skipped.append(f"{path}:1: a {'landing' if 'landing' in kind else 'section'} page, not a term")
            if top and meta and isinstance(meta.get("title"), str):
                title = title or meta["title"].strip()
            continue
        if meta is None:
            why = "the front matter is not a YAML mapping" if text.lstrip("\ufeff").startswith("---") else \
                "no YAML front matter"
            skipped.append(f"{path}:1: {why}")
            continue
        if not _text(meta.get("title")):
            skipped.append(f"{path}:1: the front matter has no 'title'")
            continue
        key = path.parent.relative_to(folder).as_posix() if path.parent != folder else path.stem
        read.append(_Page(path, key, meta, body))

    # term_id -> term, by a page's `id`, `slug`, place in the folder or file name, for macros naming other pages.
    terms, disambiguations = [], []
    for page in read:
        (disambiguations if _is_disambiguation(page) else terms).append(page)
    ids: dict[str, str] = {}
    for page in terms:
        for key in _keys(page):
            ids.setdefault(key, _text(page.meta["title"]))
    for page in disambiguations:  # a link to a disambiguation page names no one entry: its text is kept, no link
        for key in _keys(page):
            ids.setdefault(key, "")
    for page in disambiguations:
        meanings = [_text(p.meta["title"]) for p in terms if p.key.startswith(page.key + "/")]
        listed = f"; its meanings are entries: {', '.join(repr(m) for m in meanings)}" if meanings else ""
        skipped.append(f"{page.path}:1: '{_text(page.meta['title'])}' is a disambiguation page, not a term{listed}")
    records = [_record(page, ids, sense="/" in page.key) for page in terms]
    if not records:
        raise GlossaryParseError(folder, None, "no glossary entries found (no page has front matter with a title)")
    return glossary_from_records(records, folder, title or folder.name, kind="pages", skipped=skipped,
                                 files=len(found))


def _kind(meta: dict) -> str:
    return next((_text(meta.get(f)).casefold() for f in KIND_FIELDS if _text(meta.get(f))), "")


def _is_disambiguation(page: _Page) -> bool:
    return DISAMBIGUATION in _kind(page.meta) or bool(_DISAMBIGUATION_MACRO.search(page.body))


def _keys(page: _Page) -> list[str]:
    """The names other pages use for this one: `id`, `slug` (without its section, `Glossary/Node/DOM` ->
    "node/dom"), its place in the folder, its file name; compared as `_target` writes them."""
    keys = [_text(page.meta.get("id")), page.key, page.path.stem if page.path.stem.casefold() not in FOLDER_PAGES
            else ""]
    if slug_value := _text(page.meta.get("slug")):
        parts = slug_value.strip("/").split("/")
        keys += ["/".join(parts[i:]) for i in range(len(parts))]
    return [_target(k) for k in keys if k]


def _target(name: str) -> str:
    """How page names are compared: `World Wide Web`, `world_wide_web`, `/en-US/docs/Glossary/World_Wide_Web`
    all read "world_wide_web"."""
    name = re.sub(r"^/?(?:[a-z]{2}(?:-[A-Za-z]{2})?/)?docs/", "", name.split("#", 1)[0].strip().strip("/"))
    name = re.sub(r"^glossary/", "", name, flags=re.I)
    return "_".join(name.casefold().split())


def _record(page: _Page, ids: dict[str, str], sense: bool = False) -> Record:
    """One page's entry. `sense`: the page is one meaning of a name (`node/dom/`, titled `Node (DOM)`), so a
    trailing parenthesis is its qualifier, not another name."""
    term = _text(page.meta["title"])
    refs: list[str | Link] = []

    def shortcode(name: str, attrs: dict[str, str]) -> str:
        if name not in _TOOLTIPS:
            return ""
        target = attrs.get("term_id") or attrs.get("id") or ""
        named = ids.get(_target(target), target)
        if named:  # "" for a disambiguation page
            refs.append(named)
        return attrs.get("text") or named

    def glossary_link(target: str) -> None:
        named = ids.get(_target(target))
        if named != "":
            refs.append(named or Link(target.replace("_", " "), target=target))

    def page_link(href: str) -> str | None:
        if "://" not in href and not href.startswith("#") and (named := ids.get(_target(href))):
            refs.append(named)
        return None  # the link is taken here, by the page it points at

    body, see_also = _split_see_also(page.body)
    expand = lambda text: drop_citations(expand_macros(text, glossary_link, shortcode))  # noqa: E731
    body = expand(body)
    short = next((_text(page.meta.get(f)) for f in SHORT_FIELDS if _text(page.meta.get(f))), "")
    short = expand(short).strip()
    parts = [p.strip() for p in _MORE.split(body)]
    parts += [expand(_text(page.meta.get(f))) for f in MORE_FIELDS if _text(page.meta.get(f))]
    kept = [short] if short else []
    for part in parts:
        if part and all(normalize(markdown_text(part)[0]) != normalize(markdown_text(k)[0]) for k in kept):
            kept.append(part)
    definition = "\n\n".join(kept)
    plain, links = markdown_text(definition, page_link)
    markdown_text(expand(see_also), page_link)  # `## See also`: its links to other entries are related terms
    qualifier = heading_parts(term).alias or heading_parts(term).qualifier if sense else ""
    # Listed related terms are often topics the glossary has no entry for: links only where they name one.
    listed = [Link(name, mention=True) for name in _listed(page.meta, RELATED_FIELDS)]
    return Record(
        line=1,
        term=term,
        definition=definition,
        aliases=_names(page.meta),
        related=tuple(dict.fromkeys([*refs, *links, *listed])),
        text=plain,
        file=str(page.path),
        qualifier=qualifier,
    )


def _split_see_also(body: str) -> tuple[str, str]:
    """(the body without its `## See also` section, that section): a list of links, not text to embed."""
    match = _SEE_ALSO.search(body)
    if match is None:
        return body, ""
    level = len(match.group(0).strip().split()[0])
    rest = body[match.end():]
    end = next((m.start() for m in _HEADING.finditer(rest) if len(m[1]) <= level), len(rest))
    section = body[match.start():match.end() + end]
    return body[:match.start()] + "\n" * section.count("\n") + rest[end:], section


def _listed(meta: dict, fields: tuple[str, ...]) -> list[str]:
    names = []
    for field in fields:
        value = meta.get(field)
        values = value if isinstance(value, list) else [value]
        names += [name for v in values if (name := _text(v))]
    return list(dict.fromkeys(names))


def _names(meta: dict) -> tuple[str, ...]:
    return tuple(_listed(meta, ALIAS_FIELDS))


def _text(value: object) -> str:
    return " ".join(str(value).split()) if isinstance(value, (str, int, float)) and not isinstance(value, bool) \
        else ""
