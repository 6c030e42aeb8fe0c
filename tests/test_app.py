import gradio as gr
import pytest


@pytest.fixture
def app(real_index, monkeypatch):
    import app as app_module

    monkeypatch.setattr(app_module.service, "index_dir", real_index)
    monkeypatch.setattr(app_module.service, "_engine", None)
    return app_module


def test_search_api_matches_cli_json(app):
    data = app.search("how do I avoid overfitting", 5)
    assert set(data) == {"query", "no_match", "hits"}
    assert "Dropout" in [h["term"] for h in data["hits"][:3]]


def test_search_api_bad_input_is_a_gradio_error(app):
    with pytest.raises(gr.Error, match="empty"):
        app.search("  ", 5)


def test_app_builds_a_missing_index(tmp_path, monkeypatch):
    import app as app_module
    from index import store

    monkeypatch.setattr(app_module.service, "index_dir", tmp_path / "fresh")
    monkeypatch.setattr(app_module.service, "_engine", None)
    assert app_module.search("what is sgd", 1)["hits"][0]["term"] == "Stochastic Gradient Descent (SGD)"
    assert store.current_marker(tmp_path / "fresh")
