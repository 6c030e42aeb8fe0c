"""The Gradio web demo: ask a question, get the glossary terms that answer it."""

from __future__ import annotations

import argparse
import html
import os

import gradio as gr

from index.errors import GlossarySearchError
from search.service import SearchService

EXAMPLES = ["how do I avoid overfitting", "what is sgd", "cost function", "encoder vs decoder", "skip connection"]

service = SearchService(os.environ.get("GLOSSARY_INDEX_DIR"))


def search(query: str, k: int = 5) -> dict:
    """Same JSON object as `glossary-search --json`."""
    try:
        return service.search(query, k).to_json()
    except GlossarySearchError as err:
        raise gr.Error(str(err)) from None


def render(query: str) -> str:
    try:
        result = service.search(query, 5)
    except GlossarySearchError as err:
        return f'<p class="error">{html.escape(str(err))}</p>'
    parts = []
    if result.no_match:
        parts.append("<p><strong>Nothing in the glossary answers this.</strong> Nearest terms:</p>")
    for hit in result.hits:
        related = ", ".join(html.escape(r) for r in hit.related)
        parts.append(
            f'<article class="card"><h3>{html.escape(hit.term)}</h3>'
            f"<p>{html.escape(hit.definition)}</p>"
            f"<p><small>score {hit.score:.2f} · {html.escape(hit.why)}</small></p>"
            + (f"<p><small>Related: {related}</small></p>" if related else "")
            + "</article>"
        )
    return "\n".join(parts)


with gr.Blocks(title="Glossary search") as demo:
    gr.Markdown("# Glossary search\nAsk a question in plain English.")
    box = gr.Textbox(label="Question", placeholder="how do I avoid overfitting", autofocus=True)
    results = gr.HTML()
    gr.Examples(EXAMPLES, inputs=box)
    box.submit(render, box, results, api_visibility="private")
    gr.api(search, api_name="search")


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description="Run the glossary search web demo.")
    p.add_argument("--host", default=os.environ.get("GLOSSARY_HOST", "127.0.0.1"))
    p.add_argument("--port", type=int, default=int(os.environ.get("GLOSSARY_PORT", "7860")))
    p.add_argument("--index-dir", help="index folder (default: $GLOSSARY_INDEX_DIR or the user cache)")
    args = p.parse_args(argv)
    if args.index_dir:
        service.index_dir = __import__("pathlib").Path(args.index_dir)
    service.engine()  # build or load before the first visitor
    demo.launch(server_name=args.host, server_port=args.port, share=False)


if __name__ == "__main__":
    main()
