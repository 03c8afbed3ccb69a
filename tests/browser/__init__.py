"""Browser tests (real headless Chromium).

This package shadows the helper module `tests/browser.py` (a package wins over a module of the
same name), so it loads that file and re-exports its names: `from tests.browser import chromium`
keeps working everywhere, and the helpers still live in one place.
"""

from __future__ import annotations

from importlib.util import module_from_spec, spec_from_file_location
from pathlib import Path

_HELPERS = Path(__file__).resolve().parent.parent / "browser.py"
_spec = spec_from_file_location("tests._browser_helpers", _HELPERS)
assert _spec is not None and _spec.loader is not None
_helpers = module_from_spec(_spec)
_spec.loader.exec_module(_helpers)
globals().update({k: v for k, v in vars(_helpers).items() if not k.startswith("__")})
