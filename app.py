"""The Gradio web demo: ask a question, get the glossary terms that answer it.

The page's views are HTML from web/render.py; `search` is also a public API endpoint returning the
same JSON object as `glossary-search --json`.
"""

from __future__ import annotations

import argparse
import os
from functools import lru_cache
from html import escape
from pathlib import Path

# Set before gradio imports huggingface_hub, which reads them once: models load from disk only
# (this machine reaches no model hub) and the app sends no usage analytics.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

import gradio as gr  # noqa: E402

from index.entry import Entry
from index.errors import GlossarySearchError
from search.engine import Engine
from search.filters import sources
from search.query import MAX_QUERY_CHARS
from search.service import SearchService
from web import render
from web.markdown import SafeMarkdown

EXAMPLES = ["how do I avoid overfitting", "what is sgd", "cost function", "encoder vs decoder",
            "skip connection"]
PAGE_K = 5  # cards per search on the page
LIVE_MIN_CHARS = 3  # search as the user types once the question is this long
ALL_SOURCES = "All glossaries"
WEB = Path(__file__).resolve().parent / "web"
# Gradio keeps ~30 KB of state per session and every API call is a new session: 10,000 (its default) let
# memory grow by ~300 MB under load (benchmarks/load_test.py); older sessions are dropped first.
SESSIONS = 500
# Bold from the bundled Source Sans Bold: the default theme's SemiBold file lacks most glyphs, so
# bold text fell back to another font letter by letter.
THEME = gr.themes.Default(font=[gr.themes.LocalFont("Source Sans Pro", weights=(400, 700)),
                                "ui-sans-serif", "system-ui", "sans-serif"])

service = SearchService()  # $GLOSSARY_INDEX_DIR or the user cache; --index-dir replaces it in main()


def search(query: str, k: int = 5, source: str | None = None) -> dict:
    """Same JSON object as `glossary-search --json`: {"query", "no_match", "hits": [...]}.

    `source` keeps only the terms of one glossary (a hit's "source"), like `glossary-search --source`.
    """
    try:
        return service.engine().search(query, k, source=source or None).to_json()
    except GlossarySearchError as err:
        raise gr.Error(str(err)) from None


@lru_cache(maxsize=4)
def _markdown(anchors: tuple[tuple[str, str], ...]) -> SafeMarkdown:
    return SafeMarkdown(dict(anchors))


def markdown_for(engine: Engine) -> SafeMarkdown:
    return _markdown(tuple((e.anchor, e.term) for e in engine.entries if e.anchor))


def several_sources(engine: Engine) -> bool:
    return len(sources(engine.entries)) > 1


def find_entry(entries: list[Entry], term: str) -> Entry | None:
    """The entry with this heading; else one whose heading or alias matches ignoring case."""
    exact = next((e for e in entries if e.term == term), None)
    if exact is not None:
        return exact
    folded = term.casefold().strip()
    return next((e for e in entries if e.term.casefold() == folded
                 or any(a.casefold() == folded for a in e.aliases)), None)


def search_view(query: str, source: str | None = None) -> str:
    if not query or not query.strip():
        return render.welcome_html()
    try:
        engine = service.engine()
        result = engine.search(query, PAGE_K, source=source or None)
    except GlossarySearchError as err:
        return render.message_html(str(err))
    return render.results_html(result, markdown_for(engine), source or None,
                               show_source=several_sources(engine))


def live_view(query: str, source: str | None = None):
    if len(query.strip()) < LIVE_MIN_CHARS:
        return gr.skip()
    return search_view(query, source)


def refine_view(query: str, source: str | None = None):
    """The glossary filter changed: search again if there is a question."""
    return search_view(query, source) if query and query.strip() else gr.skip()


def term_view(term: str) -> str:
    try:
        engine = service.engine()
    except GlossarySearchError as err:
        return render.message_html(str(err))
    entry = find_entry(engine.entries, term)
    if entry is None:
        return render.message_html(f"There is no term called “{term}” in this glossary.")
    return render.term_html(entry, engine.entries, markdown_for(engine), show_source=several_sources(engine))


def all_view(source: str | None = None) -> str:
    try:
        entries = service.engine().entries
    except GlossarySearchError as err:
        return render.message_html(str(err))
    if source:
        entries = [e for e in entries if e.source == source]
    return render.all_terms_html(entries, source or None)


def open_view(source: str | None, event: gr.EventData) -> str:
    """A click on a term or "all terms" link in the results (sent by web/results.js)."""
    data = getattr(event, "_data", None) or {}
    if data.get("view") == "all":
        return all_view(source)
    if data.get("view") == "term" and isinstance(data.get("term"), str):
        return term_view(data["term"])
    return gr.skip()


def footer() -> str:
    try:
        engine = service.engine()
        return render.footer_html(engine.manifest, engine.stale())
    except GlossarySearchError as err:
        return f'<div class="facts">{escape(str(err))}</div>'


def source_filter(wanted: str) -> tuple[gr.Dropdown, str]:
    """The glossary filter, shown only when the index holds more than one glossary, and the choice in it."""
    try:
        labels = sources(service.engine().entries)
    except GlossarySearchError:
        labels = []
    chosen = wanted if wanted in labels else ""
    dropdown = gr.Dropdown(choices=[(ALL_SOURCES, "")] + [(s, s) for s in labels], value=chosen,
                           visible=len(labels) > 1)
    return dropdown, chosen


def on_load(request: gr.Request):
    """Deep links: /?q=question[&source=Glossary], /?term=Dropout, /?view=all."""
    params = request.query_params if request is not None else {}
    query, term, source = params.get("q", ""), params.get("term", ""), params.get("source", "")
    choices, source = source_filter(source)
    if query.strip():
        view = search_view(query, source)
    elif term.strip():
        view = term_view(term)
    elif params.get("view") == "all":
        view = all_view(source)
    else:
        view = render.welcome_html()
    return query, view, footer(), choices


with gr.Blocks(title="Glossary search") as demo:
    gr.HTML("<h1>Glossary search</h1>"
            "<p>Ask a question in plain English; get the glossary terms that answer it.</p>",
            elem_id="page-head", js_on_load=None)
    with gr.Row(equal_height=True):
        box = gr.Textbox(label="Question", placeholder="e.g. how do I avoid overfitting", autofocus=True,
                         elem_id="question", submit_btn="Search", max_length=MAX_QUERY_CHARS, max_lines=1,
                         scale=3, min_width=240)
        source = gr.Dropdown(label="Glossary", choices=[(ALL_SOURCES, "")], value="", elem_id="source",
                             visible=False, scale=1, min_width=160)
    results = gr.HTML(render.welcome_html(), elem_id="results", js_on_load=(WEB / "results.js").read_text(),
                      render=False)
    with gr.Row(elem_id="helpers"):
        examples = gr.Examples(EXAMPLES, inputs=box, label="Examples", elem_id="examples",
                               api_visibility="private")
        all_terms = gr.Button("All terms A–Z", elem_id="all-terms", variant="secondary", size="sm", scale=0,
                              min_width=120)
    results.render()
    facts = gr.HTML("", elem_id="index-facts", js_on_load=None)

    examples.load_input_event.then(search_view, [box, source], results, api_visibility="private")
    box.submit(search_view, [box, source], results, api_visibility="private")
    box.input(live_view, [box, source], results, trigger_mode="always_last", show_progress="hidden",
              api_visibility="private")
    source.input(refine_view, [box, source], results, api_visibility="private")
    all_terms.click(all_view, source, results, api_visibility="private")
    results.click(open_view, source, results, api_visibility="private")
    demo.load(on_load, None, [box, results, facts, source], api_visibility="private")
    gr.api(search, api_name="search")


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description="Run the glossary search web demo.")
    p.add_argument("--host", default=os.environ.get("GLOSSARY_HOST", "127.0.0.1"),
                   help="address to listen on (default: $GLOSSARY_HOST or 127.0.0.1)")
    p.add_argument("--port", type=int, default=os.environ.get("GLOSSARY_PORT", "7860"),
                   help="port (default: $GLOSSARY_PORT or 7860)")
    p.add_argument("--index-dir", help="index folder (default: $GLOSSARY_INDEX_DIR or the user cache)")
    args = p.parse_args(argv)
    if args.index_dir:
        service.index_dir = Path(args.index_dir).expanduser()
    try:
        service.engine()  # build or load before the first visitor
    except GlossarySearchError as err:
        p.exit(1, f"app.py: error: {err}\n")
    demo.launch(server_name=args.host, server_port=args.port, share=False, ssr_mode=False, theme=THEME,
                css=(WEB / "page.css").read_text(), footer_links=["api"], state_session_capacity=SESSIONS)


if __name__ == "__main__":
    main()
