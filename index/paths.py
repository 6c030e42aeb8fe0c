"""Where the build finds its bundled glossary."""

from __future__ import annotations

from pathlib import Path

DEFAULT_GLOSSARY_NAME = "deep_learning_glossary.md"


def default_glossary() -> Path:
    """The bundled Deep Learning Glossary: `data/` in a checkout, package data when installed."""
    checkout = Path(__file__).resolve().parent.parent / "data" / DEFAULT_GLOSSARY_NAME
    if checkout.is_file():
        return checkout
    return Path(__file__).resolve().parent / "data" / DEFAULT_GLOSSARY_NAME
