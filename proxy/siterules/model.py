"""The site-rule model: what one `rules/<site>.yaml` means once it is validated and compiled.

Frozen dataclasses holding already-compiled selectors (compiled once when rules load, never per
request). Reading and validating YAML into these lives in `rulefile.py`; choosing the rules for a
host and reloading them lives in `sites.py`. Transforms only ever see these objects.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal

from lxml.cssselect import CSSSelector

ContentType = Literal["text", "html"]
#: lol-html's vocabulary of rule actions (plus `rename` for a tag name)
ACTION_VERBS = ("remove", "remove_and_keep_content", "replace", "set_inner_content", "rename",
                "set_attribute", "remove_attribute", "before", "after", "prepend", "append")
LANDMARK_ROLES = ("banner", "navigation", "main", "contentinfo", "search", "complementary",
                  "region")
#: names of transforms that a rule file may switch off with `disable:` (script removal is not one)
SWITCHABLE = ("fix_encoding", "rewrite_urls", "includes", "enlarge_fonts", "contrast_floor",
              "landmarks", "semantics", "site_toolbar", "script_dates", "preferences", "actions")


@dataclass(frozen=True)
class Selector:
    """A CSS selector compiled once, with where the admin wrote it."""

    text: str
    compiled: CSSSelector = field(repr=False, compare=False)
    source: str = ""  #: "file:line:col" for --explain and warnings

    def __call__(self, root: Any) -> list[Any]:
        return self.compiled(root)

    @classmethod
    def compile(cls, text: str, source: str = "") -> Selector:
        """Compile `text`; raises cssselect.SelectorError for a bad selector."""
        return cls(text, CSSSelector(text, translator="html"), source)


@dataclass(frozen=True)
class Action:
    verb: str  #: one of ACTION_VERBS
    selector: Selector
    content: str | None = None  #: inserted content (replace/before/after/prepend/append/...)
    content_type: ContentType = "text"  #: inserted content is escaped text unless "html"
    name: str | None = None  #: attribute name (set/remove_attribute) or tag name (rename)
    value: str | None = None  #: attribute value for set_attribute


@dataclass(frozen=True)
class Include:
    """Fetch a same-origin URL on the server and insert it where a script used to load it."""

    selector: Selector
    url: str  #: a path on the origin (validated: never another host)
    position: Literal["inner", "replace", "append"] = "inner"


@dataclass(frozen=True)
class ToolbarRules:
    """The site's own (vendor) accessibility toolbar, to be removed, and ours, to be inserted."""

    remove: tuple[Selector, ...] = ()  #: elements of the site's toolbar
    script_patterns: tuple[str, ...] = ()  #: substrings of script src/text that load a toolbar
    url_patterns: tuple[str, ...] = ()  #: substrings of URLs (links, frames) of a toolbar
    link_texts: tuple[str, ...] = ()  #: link texts that open a toolbar (无障碍浏览, 长者模式 ...)
    font_functions: tuple[str, ...] = ()  #: JS functions that set font size (czfxfontzoom)
    enabled: bool = True  #: insert our toolbar
    position: Literal["prepend", "append"] = "prepend"


@dataclass(frozen=True)
class RenderRules:
    """Whether pages are rendered in a browser on the server first (proxy/render/)."""

    mode: Literal["static", "browser", "auto"] = "auto"
    browser: tuple[str, ...] = ()  #: URL path globs always rendered
    static: tuple[str, ...] = ()  #: URL path globs never rendered
    #: other hosts the renderer may load from (a CDN serving the site's jQuery); the
    #: configured origin and its aliases are always allowed, everything else is refused
    allow_hosts: tuple[str, ...] = ()


@dataclass(frozen=True)
class SiteRules:
    """The effective rules for one origin host: rules/default.yaml merged with its site file."""

    name: str = "default"  #: file stem, e.g. "demo"
    source: str = ""  #: path of the site file ("" for built-in defaults)
    hosts: tuple[str, ...] = ()
    encoding: str | None = None  #: override of the origin's charset ("auto"/None: detect)
    remove: tuple[Selector, ...] = ()
    landmarks: Mapping[str, tuple[Selector, ...]] = field(
        default_factory=lambda: MappingProxyType({}))
    landmark_labels: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    heading: Selector | None = None  #: the article title to promote to <h1>
    alt: tuple[tuple[Selector, str], ...] = ()
    labels: tuple[tuple[Selector, str], ...] = ()
    include: tuple[Include, ...] = ()
    actions: tuple[Action, ...] = ()
    toolbar: ToolbarRules = field(default_factory=ToolbarRules)
    reading_mode: Selector | None = None
    render: RenderRules = field(default_factory=RenderRules)
    css: str = ""  #: extra CSS appended to our stylesheet for this site
    disable: frozenset[str] = frozenset()  #: names from SWITCHABLE
    tunables: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))

    def enabled(self, transform_name: str) -> bool:
        return transform_name not in self.disable


DEFAULT_RULES = SiteRules()
