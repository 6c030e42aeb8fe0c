"""The glossary web app: the Gradio page, a REST API and an MCP server, in one process on one port.

`create_app(service)` builds the page (gr.Blocks) over one SearchService; `demo` is that page over the default
index, so `gradio app.py` and Spaces-style hosting find it. `python app.py` (main) serves the page with the
REST routes (web/api.py) and the MCP server (web/mcp.py) beside it, through web/server.py.
"""

from __future__ import annotations

import argparse
import os
import sys
from functools import lru_cache
from html import escape
from pathlib import Path

# Set before gradio imports huggingface_hub, which reads them once: models load from disk only
# (this machine reaches no model hub) and the app sends no usage analytics.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

from web.service import SearchService  # noqa: E402


def early_service(argv: list[str]) -> tuple[Path | None, SearchService, object] | None:
    """`python app.py`: the service for --index-dir, already opening its index in a thread, so the index loads
    while gradio imports (1-2 s of the start). None when the flags need main's parser to say what is wrong."""
    p = argparse.ArgumentParser(add_help=False, exit_on_error=False)
    p.add_argument("--index-dir")
    try:
        known, _ = p.parse_known_args(argv)
    except argparse.ArgumentError:
        return None
    index_dir = Path(known.index_dir).expanduser() if known.index_dir else None
    service = SearchService(index_dir)
    return index_dir, service, service.open_in_background()


_EARLY = early_service(sys.argv[1:]) if __name__ == "__main__" else None

from web import gradio_import  # noqa: E402

gr = gradio_import.load()  # gradio without the type stubs it rewrites at every import (40% of importing it)

from indexformat.errors import GlossarySearchError  # noqa: E402
from search.engine import Engine  # noqa: E402
from search.filters import find_source  # noqa: E402
from search.query import MAX_QUERY_CHARS  # noqa: E402
from web import render  # noqa: E402
from web.lens_view import MAX_LENS_CHARS, lens_html  # noqa: E402
from web.markdown import SafeMarkdown  # noqa: E402

EXAMPLES = ["how do I avoid overfitting", "what is sgd", "cost function", "encoder vs decoder",
            "skip connection"]
LENS_EXAMPLE = ("Our convolutional network overfits after a few epochs, so we add dropout and lower the "
                "learning rate; the bias of each neuron is still trained with SGD.")
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
CSS_FILES = ("page.css", "lens.css")
DEFAULT_HOST, DEFAULT_PORT = "127.0.0.1", 7860


def page_css() -> str:
    return "\n".join((WEB / name).read_text() for name in CSS_FILES)


@lru_cache(maxsize=4)
def _markdown(anchors: tuple[tuple[str, str], ...]) -> SafeMarkdown:
    return SafeMarkdown(dict(anchors))


def markdown_for(engine: Engine) -> SafeMarkdown:
    return _markdown(engine.loaded.anchors)


def several_sources(engine: Engine) -> bool:
    return len(engine.sources) > 1


class Page:
    """The page's handlers over one service. Each request reads the engine once and uses that one."""

    def __init__(self, service: SearchService):
        self.service = service

    def search(self, query: str, k: int = 5, source: str | None = None) -> dict:
        """Same JSON object as `glossary-search --json`: {"query", "no_match", "hits": [...]}.

        `source` keeps only the terms of one glossary (a hit's "source"), like `glossary-search --source`.
        """
        try:
            return self.service.engine().search(query, k, source=source or None).to_json()
        except GlossarySearchError as err:
            raise gr.Error(str(err)) from None

    def search_view(self, query: str, source: str | None = None, engine: Engine | None = None) -> str:
        if not query or not query.strip():
            return render.welcome_html()
        try:
            engine = engine or self.service.engine()
            result = engine.search(query, PAGE_K, source=source or None)
        except GlossarySearchError as err:
            return render.message_html(str(err))
        return render.results_html(result, markdown_for(engine), source or None,
                                   show_source=several_sources(engine))

    def live_view(self, query: str, source: str | None = None):
        if len(query.strip()) < LIVE_MIN_CHARS:
            return gr.skip()
        return self.search_view(query, source)

    def refine_view(self, query: str, source: str | None = None):
        """The glossary filter changed: search again if there is a question."""
        return self.search_view(query, source) if query and query.strip() else gr.skip()

    def term_view(self, term: str, engine: Engine | None = None) -> str:
        try:
            engine = engine or self.service.engine()
        except GlossarySearchError as err:
            return render.message_html(str(err))
        entry = engine.lookup(term)
        if entry is None:
            return render.message_html(f"There is no term called “{term}” in this glossary.")
        return render.term_html(entry, engine.mentioned_in(entry.term), markdown_for(engine),
                                show_source=several_sources(engine))

    def all_view(self, source: str | None = None, engine: Engine | None = None) -> str:
        try:
            entries = (engine or self.service.engine()).entries
        except GlossarySearchError as err:
            return render.message_html(str(err))
        if source:
            entries = [e for e in entries if e.source == source]
        return render.all_terms_html(entries, source or None)

    def open_view(self, source: str | None, event: gr.EventData) -> str:
        """A click on a term or "all terms" link in the results (sent by web/results.js)."""
        data = getattr(event, "_data", None) or {}
        if data.get("view") == "all":
            return self.all_view(source)
        if data.get("view") == "term" and isinstance(data.get("term"), str):
            return self.term_view(data["term"])
        return gr.skip()

    def lens_view(self, text: str, source: str | None = None) -> str:
        """The pasted text with every glossary term in it marked (web/lens_view.py)."""
        if not text or not text.strip():
            return lens_html("", ())
        try:
            engine = self.service.engine()
            result = engine.lens.read(text, source=source or None)
        except GlossarySearchError as err:
            return render.message_html(str(err))
        return lens_html(text[:MAX_LENS_CHARS], result.spans, cut=result.truncated)

    def on_load(self, request: gr.Request):
        """Deep links: /?q=question[&source=Glossary], /?term=Dropout, /?view=all."""
        params = request.query_params if request is not None else {}
        query, term, wanted = params.get("q", ""), params.get("term", ""), params.get("source", "")
        try:
            engine = self.service.engine()
        except GlossarySearchError as err:
            message = render.message_html(str(err))
            return query, message, f'<div class="facts">{escape(str(err))}</div>', source_filter([], "")[0]
        choices, source = source_filter(list(engine.sources), wanted)
        if query.strip():
            view = self.search_view(query, source, engine)
        elif term.strip():
            view = self.term_view(term, engine)
        elif params.get("view") == "all":
            view = self.all_view(source, engine)
        else:
            view = render.welcome_html()
        return query, view, render.footer_html(engine.manifest, engine.stale()), choices


def source_filter(labels: list[str], wanted: str) -> tuple[gr.Dropdown, str]:
    """The glossary filter, shown only when the index holds more than one glossary, and the choice in it."""
    chosen = find_source(labels, wanted) or ""
    dropdown = gr.Dropdown(choices=[(ALL_SOURCES, "")] + [(s, s) for s in labels], value=chosen,
                           visible=len(labels) > 1)
    return dropdown, chosen


def create_app(service: SearchService) -> gr.Blocks:
    """The page over `service`: a Search tab (question, cards, A-Z) and a Lens tab; the `search` API endpoint."""
    page = Page(service)
    with gr.Blocks(title="Glossary search") as blocks:
        gr.HTML("<h1>Glossary search</h1>"
                "<p>Ask a question in plain English; get the glossary terms that answer it.</p>",
                elem_id="page-head", js_on_load=None)
        with gr.Tabs(elem_id="tabs"):
            with gr.Tab("Search", id="search-tab", elem_id="search-tab"):
                with gr.Row(equal_height=True):
                    box = gr.Textbox(label="Question", placeholder="e.g. how do I avoid overfitting",
                                     autofocus=True, elem_id="question", submit_btn="Search",
                                     max_length=MAX_QUERY_CHARS, max_lines=1, scale=3, min_width=240)
                    source = gr.Dropdown(label="Glossary", choices=[(ALL_SOURCES, "")], value="",
                                         elem_id="source", visible=False, scale=1, min_width=160)
                results = gr.HTML(render.welcome_html(), elem_id="results",
                                  js_on_load=(WEB / "results.js").read_text(), render=False)
                with gr.Row(elem_id="helpers"):
                    examples = gr.Examples(EXAMPLES, inputs=box, label="Examples", elem_id="examples",
                                           api_visibility="private")
                    all_terms = gr.Button("All terms A–Z", elem_id="all-terms", variant="secondary", size="sm",
                                          scale=0, min_width=120)
                results.render()
            with gr.Tab("Lens", id="lens-tab", elem_id="lens-tab"):
                gr.HTML("<p>Paste a text: every glossary term in it is marked. Hover, tap or Tab to a "
                        "marked term to read its definition.</p>", elem_id="lens-intro", js_on_load=None)
                lens_box = gr.Textbox(label="Text to read", lines=6, max_lines=20, max_length=MAX_LENS_CHARS,
                                      placeholder=LENS_EXAMPLE, elem_id="lens-text")
                lens_go = gr.Button("Mark the terms", elem_id="lens-go", variant="primary", size="sm")
                lens_out = gr.HTML(lens_html("", ()), elem_id="lens-out",
                                   js_on_load=(WEB / "lens.js").read_text())
        facts = gr.HTML("", elem_id="index-facts", js_on_load=None)

        examples.load_input_event.then(page.search_view, [box, source], results, api_visibility="private")
        box.submit(page.search_view, [box, source], results, api_visibility="private")
        box.input(page.live_view, [box, source], results, trigger_mode="always_last", show_progress="hidden",
                  api_visibility="private")
        source.input(page.refine_view, [box, source], results, api_visibility="private")
        all_terms.click(page.all_view, source, results, api_visibility="private")
        results.click(page.open_view, source, results, api_visibility="private")
        lens_go.click(page.lens_view, [lens_box, source], lens_out, api_visibility="private")
        lens_box.submit(page.lens_view, [lens_box, source], lens_out, api_visibility="private")
        blocks.load(page.on_load, None, [box, results, facts, source], api_visibility="private")
        gr.api(page.search, api_name="search")
    blocks.state_session_capacity = SESSIONS
    return blocks


def __getattr__(name: str):
    """`demo`: the page over the default index ($GLOSSARY_INDEX_DIR or the user cache, opened on the first
    request), built when first asked for (`gradio app.py`, `from app import demo`), never by `python app.py`,
    which builds its own page over the index it was given."""
    if name == "demo":
        global demo
        demo = create_app(SearchService())
        return demo
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _env(name: str) -> str | None:
    value = os.environ.get(name)
    return None if value is None or not value.strip() else value


def address(host: str | None, port: str | int | None) -> tuple[str, str | int]:
    """Where to listen: the flag, else $GLOSSARY_HOST/PORT, else $GRADIO_SERVER_NAME/PORT, else loopback:7860."""
    host = host or os.environ.get("GLOSSARY_HOST") or os.environ.get("GRADIO_SERVER_NAME") or DEFAULT_HOST
    if port is None:
        port = _env("GLOSSARY_PORT") or _env("GRADIO_SERVER_PORT") or DEFAULT_PORT
    return host, port


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description="Run the glossary search web page, REST API and MCP server.")
    p.add_argument("--host", help="address to listen on (default: $GLOSSARY_HOST, $GRADIO_SERVER_NAME or 127.0.0.1)")
    p.add_argument("--port", help="port (default: $GLOSSARY_PORT, $GRADIO_SERVER_PORT or 7860)")
    p.add_argument("--index-dir", help="index folder (default: $GLOSSARY_INDEX_DIR or the user cache)")
    return p


def main(argv: list[str] | None = None, serve=None) -> None:
    """Parse the flags, open (or build) the index, then serve. `serve(app, host, port)` defaults to uvicorn."""
    p = parser()
    args = p.parse_args(argv)
    host, port = address(args.host, args.port)
    try:
        port = int(port)
    except ValueError:
        p.error(f"argument --port: invalid int value: {port!r}")
    index_dir = Path(args.index_dir).expanduser() if args.index_dir else None
    if argv is None and _EARLY is not None and _EARLY[0] == index_dir:
        _, service, opening = _EARLY  # opened while gradio imported
        ready = opening.result
    else:
        service = SearchService(index_dir)
        ready = service.engine
    try:
        ready()  # build or load before the first visitor
    except GlossarySearchError as err:
        p.exit(1, f"app.py: error: {err}\n")
    from web.server import build_server, run

    app = build_server(service, create_app(service), host=host, port=port, theme=THEME, css=page_css())
    (serve or run)(app, host, port)


if __name__ == "__main__":
    main()
