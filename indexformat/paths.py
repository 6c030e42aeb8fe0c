"""Default locations, in one place. `GLOSSARY_INDEX_DIR` overrides the index folder everywhere."""

from __future__ import annotations

import os
from pathlib import Path

INDEX_DIR_ENV = "GLOSSARY_INDEX_DIR"
MODEL_CACHE_ENV = "GLOSSARY_MODEL_CACHE"
WORDS_CACHE_ENV = "GLOSSARY_WORDS_CACHE"


def _user_cache(env: str, name: str) -> Path:
    """$env if set, else `glossary-search/<name>` in the user cache folder ($XDG_CACHE_HOME is honoured)."""
    if value := os.environ.get(env):
        return Path(value).expanduser()
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "glossary-search" / name


def default_index_dir() -> Path:
    return _user_cache(INDEX_DIR_ENV, "index")


def model_cache_dir() -> Path:
    """Where each model's ONNX export is kept once, for every index on this machine (index/export_cache.py)."""
    return _user_cache(MODEL_CACHE_ENV, "models")


def words_cache_dir() -> Path:
    """Where the speller's English word list is kept as a plain file, once per machine (ranking/wordlist.py)."""
    return _user_cache(WORDS_CACHE_ENV, "words")


def prepared_models_dir() -> Path:
    """Where each export is kept a second time with its weights in a file of their own, which onnxruntime maps
    instead of parsing (indexformat/onnx_encoder.py): beside the exports, once per machine."""
    return model_cache_dir() / "prepared"
