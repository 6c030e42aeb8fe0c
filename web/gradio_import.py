"""`import gradio` without the stub files it rewrites at every import.

For each of its ~80 component classes, gradio's `ComponentMeta` reads the class's source file, parses it (and
its `.pyi`) with `ast`, renders a Jinja template and rewrites the `.pyi` type stub in site-packages when it
differs (`gradio.component_meta.create_or_modify_pyi`). That is for editors, never for serving, and it was 40% of
importing gradio (measured: 2.5 -> 1.45 s of CPU, load 4), the largest part of the app's start. Importing through
`load()` installs a one-shot import hook that swaps that function for a no-op as soon as gradio defines it, before
any component class exists; the components, the page and the API are unchanged. If gradio is already imported,
or a version no longer has the function, this is a plain import.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys
from types import ModuleType

STUB_MODULE = "gradio.component_meta"
STUB_WRITER = "create_or_modify_pyi"


def _write_no_stub(*args, **kwargs) -> None:
    return None


class _SkipStubs(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name != STUB_MODULE:
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path, target)
        loader = getattr(spec, "loader", None)
        if loader is None or not hasattr(loader, "exec_module"):
            return spec
        run = loader.exec_module

        def exec_module(module: ModuleType) -> None:
            run(module)
            if hasattr(module, STUB_WRITER):
                setattr(module, STUB_WRITER, _write_no_stub)

        loader.exec_module = exec_module  # this one loader object, for this one module
        return spec


def load() -> ModuleType:
    """The gradio module, imported without rewriting its type stubs."""
    if "gradio" in sys.modules:
        return sys.modules["gradio"]
    hook = _SkipStubs()
    sys.meta_path.insert(0, hook)
    try:
        import gradio
    finally:
        sys.meta_path.remove(hook)
    return gradio
