"""URLs inside CSS text (`url(...)`, `@import`), pointed at the proxy.

Used for `style` attributes and `<style>` elements (transforms/rewrite_urls.py) and for linked
stylesheets (http/resources.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable

#: CSS `url(...)` and `@import "..."`. A regular expression is enough here because only the
#: URL token is replaced, never CSS structure (font sizes are rewritten with tinycss2 elsewhere).
CSS_URL = re.compile(r"""(url\(\s*['"]?|@import\s+['"])([^'")\s]+)""", re.I)


def rewrite_css_urls(css: str, to_proxy: Callable[[str], str | None]) -> str:
    """Rewrite every url()/@import in a CSS text; unchanged text if nothing matches."""
    if "//" not in css:
        return css
    return CSS_URL.sub(lambda m: m.group(1) + (to_proxy(m.group(2)) or m.group(2)), css)
