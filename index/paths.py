"""Default locations, in one place. `GLOSSARY_INDEX_DIR` overrides the index folder everywhere."""

from __future__ import annotations

import os
from pathlib import Path

INDEX_DIR_ENV = "GLOSSARY_INDEX_DIR"
DEFAULT_GLOSSARY_NAME = "deep_learning_glossary.md"


def default_index_dir() -> Path:
    if value := os.environ.get(INDEX_DIR_ENV):
        return Path(value).expanduser()
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "glossary-search" / "index"


def default_glossary() -> Path:
    """The bundled Deep Learning Glossary: `data/` in a checkout, package data when installed."""
    checkout = Path(__file__).resolve().parent.parent / "data" / DEFAULT_GLOSSARY_NAME
    if checkout.is_file():
        return checkout
    return Path(__file__).resolve().parent / "data" / DEFAULT_GLOSSARY_NAME


MODEL_CACHE_ENV = "GLOSSARY_MODEL_CACHE"


def model_cache_dir() -> Path:
    """Where each model's ONNX export is kept once, for every index on this machine (index/export_cache.py)."""
    if value := os.environ.get(MODEL_CACHE_ENV):
        return Path(value).expanduser()
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "glossary-search" / "models"
