"""app.py's command line: flags, environment, and a one-line error instead of a traceback."""

from __future__ import annotations

import pytest


@pytest.fixture
def app(monkeypatch):
    """app.py with launch() recording its arguments instead of serving (the server itself is tested in
    tests/web/test_api.py and tests/test_security.py)."""
    import app as app_module

    for name in ("GLOSSARY_HOST", "GLOSSARY_PORT", "GLOSSARY_INDEX_DIR"):
        monkeypatch.delenv(name, raising=False)
    launched: list[dict] = []
    monkeypatch.setattr(app_module.demo, "launch", lambda **kw: launched.append(kw))
    monkeypatch.setattr(app_module.service, "index_dir", app_module.service.index_dir)
    monkeypatch.setattr(app_module.service, "_engine", None)
    app_module.launched = launched
    return app_module


@pytest.mark.real_model
def test_defaults_flags_and_environment(app, real_index, monkeypatch):
    app.main(["--index-dir", str(real_index)])
    first = app.launched[-1]
    assert (first["server_name"], first["server_port"], first["share"]) == ("127.0.0.1", 7860, False)
    assert app.service.index_dir == real_index

    monkeypatch.setenv("GLOSSARY_HOST", "0.0.0.0")
    monkeypatch.setenv("GLOSSARY_PORT", "8123")
    app.main(["--index-dir", str(real_index)])
    assert (app.launched[-1]["server_name"], app.launched[-1]["server_port"]) == ("0.0.0.0", 8123)
    app.main(["--host", "127.0.0.2", "--port", "9000", "--index-dir", str(real_index)])
    assert (app.launched[-1]["server_name"], app.launched[-1]["server_port"]) == ("127.0.0.2", 9000)


@pytest.mark.parametrize("argv, env", [(["--port", "web"], {}), ([], {"GLOSSARY_PORT": "web"})])
def test_a_bad_port_is_a_usage_error(app, monkeypatch, capsys, argv, env):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(SystemExit) as exit_info:
        app.main(argv)
    assert exit_info.value.code == 2
    assert "invalid int value: 'web'" in capsys.readouterr().err
    assert app.launched == []


def test_a_damaged_index_is_a_one_line_error(app, tmp_path, capsys):
    (tmp_path / "v-1").mkdir()
    (tmp_path / "v-1" / "manifest.json").write_text("{not json")
    (tmp_path / "CURRENT").write_text("v-1")
    with pytest.raises(SystemExit) as exit_info:
        app.main(["--index-dir", str(tmp_path)])
    err = capsys.readouterr().err
    assert exit_info.value.code == 1
    assert err.startswith("app.py: error: ") and err.count("\n") == 1 and "rebuild-index" in err
    assert app.launched == []
