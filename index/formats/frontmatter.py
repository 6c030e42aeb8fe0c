"""Front-matter folders (Hugo, Jekyll, Docusaurus, MkDocs): one markdown page per term, the folder is the glossary.

Each page opens with YAML front matter: `title` is the term, `aka` its other names, `short_description`
(or `description`, `summary`) its short text; the page body follows, `<!--more-->` marking where the short
text ends. Hugo shortcodes are reduced to their text: `{{< glossary_tooltip text="nodes" term_id="node" >}}`
reads "nodes" and makes the page named `node` (by its `id`, else its file name) a related term; other
shortcodes and template tags are dropped. Section pages (`index.md`, `_index.md`, `README.md`) are not terms:
they are skipped with a line in the report, and their title names the glossary.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from index.formats.markdown import markdown_text
from index.formats.markup import drop_citations, drop_templates, front_matter
from index.formats.records import Record, glossary_from_records
from index.parse import Glossary, normalize, read_text
from indexformat.errors import GlossaryParseError

EXTENSIONS = (".md", ".markdown", ".mdx")
SECTION_PAGES = {"index", "_index", "readme"}
SHORT_FIELDS = ("short_description", "description", "summary")
ALIAS_FIELDS = ("aka", "aliases", "synonyms")
MOSTLY = 0.5  # a folder is a front-matter glossary when more than this share of its pages open with front matter
_ENTRY_HEADING = re.compile(r"^ {0,3}#{2,3}[ \t]+\S", re.M)
_MORE = re.compile(r"<!--\s*more\s*-->", re.I)
_TOOLTIPS = {"glossary_tooltip", "glossary_definition", "term"}  # shortcodes that name a term


@dataclass(frozen=True)
class _Page:
    path: Path
    meta: dict
    body: str


def pages(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in EXTENSIONS
                  and not p.name.startswith("."))


def is_frontmatter_folder(folder: Path) -> bool:
    """Most of the folder's markdown pages (two at least) are term pages: front matter, then no `## Term` list.

    A folder of several heading glossaries that happen to carry front matter (a Jekyll site) is not one."""
    found = pages(folder)
    if len(found) < 2:
        return False
    term_pages = 0
    for path in found:
        try:
            text = path.read_text(encoding="utf-8-sig", errors="replace")
        except OSError:
            continue
        meta, body = front_matter(text)
        term_pages += meta is not None and len(_ENTRY_HEADING.findall(body)) < 2
    return term_pages > MOSTLY * len(found)


def parse_frontmatter_folder(folder: Path) -> Glossary:
    if not folder.is_dir():
        raise GlossaryParseError(folder, None, "the frontmatter format reads a folder of pages, not one file")
    found = pages(folder)
    if not found:
        raise GlossaryParseError(folder, None, "the folder holds no markdown pages")
    skipped, title, read = [], "", []
    for path in found:
        text = read_text(path)
        meta, body = front_matter(text)
        if path.stem.casefold() in SECTION_PAGES:
            skipped.append(f"{path}:1: a section page, not a term")
            if meta and isinstance(meta.get("title"), str):
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
        read.append(_Page(path, meta, body))

    # term_id -> term, by a page's `id` or its file name, for shortcodes that name other pages.
    ids: dict[str, str] = {}
    for page in read:
        for key in (_text(page.meta.get("id")), page.path.stem):
            if key:
                ids.setdefault(normalize(key), _text(page.meta["title"]))
    records = [_record(page, ids) for page in read]
    if not records:
        raise GlossaryParseError(folder, None, "no glossary entries found (no page has front matter with a title)")
    return glossary_from_records(records, folder, title or folder.name, kind="pages", skipped=skipped,
                                 files=len(found))


def _record(page: _Page, ids: dict[str, str]) -> Record:
    term = _text(page.meta["title"])
    refs: list[str] = []

    def shortcode(name: str, attrs: dict[str, str]) -> str:
        if name not in _TOOLTIPS:
            return ""
        target = attrs.get("term_id") or attrs.get("id") or ""
        named = ids.get(normalize(target), target)
        if named:
            refs.append(named)
        return attrs.get("text") or named

    body = drop_citations(drop_templates(page.body, shortcode))
    short = next((_text(page.meta.get(f)) for f in SHORT_FIELDS if _text(page.meta.get(f))), "")
    short = drop_templates(short, shortcode).strip()
    parts = [p.strip() for p in _MORE.split(body)]
    kept = [short] if short else []
    for part in parts:
        if part and all(normalize(markdown_text(part)[0]) != normalize(markdown_text(k)[0]) for k in kept):
            kept.append(part)
    definition = "\n\n".join(kept)
    plain, links = markdown_text(definition)
    return Record(
        line=1,
        term=term,
        definition=definition,
        aliases=_names(page.meta),
        related=tuple(dict.fromkeys([*refs, *links])),
        text=plain,
        file=str(page.path),
    )


def _names(meta: dict) -> tuple[str, ...]:
    names = []
    for field in ALIAS_FIELDS:
        value = meta.get(field)
        values = value if isinstance(value, list) else [value]
        names += [name for v in values if (name := _text(v))]
    return tuple(dict.fromkeys(names))


def _text(value: object) -> str:
    return " ".join(str(value).split()) if isinstance(value, (str, int, float)) and not isinstance(value, bool) \
        else ""
