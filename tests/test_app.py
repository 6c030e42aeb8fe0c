import gradio as gr
import pytest

from web.service import SearchService


@pytest.fixture
def page(real_index):
    import app as app_module

    return app_module.Page(SearchService(real_index))


def test_search_api_matches_cli_json(page):
    data = page.search("how do I avoid overfitting", 5)
    assert set(data) == {"query", "no_match", "hits"}
    assert "Dropout" in [h["term"] for h in data["hits"][:3]]


def test_search_api_bad_input_is_a_gradio_error(page):
    with pytest.raises(gr.Error, match="empty"):
        page.search("  ", 5)


def test_app_builds_a_missing_index(tmp_path):
    import app as app_module
    from indexformat import store

    page = app_module.Page(SearchService(tmp_path / "fresh"))
    assert page.search("what is sgd", 1)["hits"][0]["term"] == "Stochastic Gradient Descent (SGD)"
    assert store.current_marker(tmp_path / "fresh")


def test_create_app_serves_the_service_it_is_given(real_index):
    import app as app_module

    blocks = app_module.create_app(SearchService(real_index))
    assert isinstance(blocks, gr.Blocks) and blocks is not app_module.demo
    assert isinstance(app_module.demo, gr.Blocks)  # `gradio app.py` finds it
