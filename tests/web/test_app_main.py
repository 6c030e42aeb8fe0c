"""app.py's command line: flags, environment (with its precedence), and a one-line error instead of a traceback."""

from __future__ import annotations

import pytest

ENV = ("GLOSSARY_HOST", "GLOSSARY_PORT", "GLOSSARY_INDEX_DIR", "GRADIO_SERVER_NAME", "GRADIO_SERVER_PORT")


@pytest.fixture
def app(monkeypatch):
    """app.py with the server recording where it would listen instead of serving (the server itself is tested
    in tests/web/test_rest.py, tests/web/test_api.py and tests/test_security.py)."""
    import app as app_module

    for name in ENV:
        monkeypatch.delenv(name, raising=False)
    served: list[tuple] = []
    app_module.served = served
    app_module.start = lambda argv: app_module.main(argv, serve=lambda a, host, port: served.append((a, host, port)))
    return app_module


def where(app) -> tuple[str, int]:
    return app.served[-1][1:]


@pytest.mark.real_model
def test_defaults_flags_and_environment(app, real_index, monkeypatch):
    index = ["--index-dir", str(real_index)]
    app.start(index)
    assert where(app) == ("127.0.0.1", 7860)

    monkeypatch.setenv("GRADIO_SERVER_NAME", "127.0.0.3")
    monkeypatch.setenv("GRADIO_SERVER_PORT", "8200")
    app.start(index)
    assert where(app) == ("127.0.0.3", 8200)  # Gradio's variables when the app's own are not set

    monkeypatch.setenv("GLOSSARY_HOST", "0.0.0.0")
    monkeypatch.setenv("GLOSSARY_PORT", "8123")
    app.start(index)
    assert where(app) == ("0.0.0.0", 8123)  # the app's own variables win over Gradio's
    app.start(["--host", "127.0.0.2", "--port", "9000", *index])
    assert where(app) == ("127.0.0.2", 9000)  # and a flag over both


@pytest.mark.parametrize("argv, env", [(["--port", "web"], {}), ([], {"GLOSSARY_PORT": "web"}),
                                       ([], {"GRADIO_SERVER_PORT": "web"})])
def test_a_bad_port_is_a_usage_error(app, monkeypatch, capsys, argv, env):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(SystemExit) as exit_info:
        app.start(argv)
    assert exit_info.value.code == 2
    assert "invalid int value: 'web'" in capsys.readouterr().err
    assert app.served == []


def test_a_damaged_index_is_a_one_line_error(app, tmp_path, capsys):
    (tmp_path / "v-1").mkdir()
    (tmp_path / "v-1" / "manifest.json").write_text("{not json")
    (tmp_path / "CURRENT").write_text("v-1")
    with pytest.raises(SystemExit) as exit_info:
        app.start(["--index-dir", str(tmp_path)])
    err = capsys.readouterr().err
    assert exit_info.value.code == 1
    assert err.startswith("app.py: error: ") and err.count("\n") == 1 and "rebuild-index" in err
    assert app.served == []
