"""The rule-file schema, declared once: every key, its reader, default, merge and documentation.

yamllint's ID/CONF/DEFAULT idea: `rulefile.py` reads files by walking these tables, `sites.py`
merges `default.yaml` under a site with each option's `merge`, and `rules_reference()` writes the
admin documentation (`rules/README.md`) from the same rows, so docs and behaviour cannot drift.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from proxy.siterules import fields as f
from proxy.siterules.reader import RuleReader, join
from proxy.siterules.yamlload import MarkedDict

Read = Callable[[RuleReader, MarkedDict, str, str], Any]


@dataclass(frozen=True)
class Option:
    key: str
    kind: str  #: the type, as the docs say it
    read: Read
    default: str  #: the default, as the docs say it
    merge: str  #: how default.yaml and a site file combine: replace|concat|union|by_role|group
    doc: str
    example: str = ""  #: a YAML snippet for the docs
    scope: str = "any"  #: "any", "site" (meaningless in default.yaml) or "default" (only there)


def _selectors(removes: bool = False) -> Read:
    return lambda r, d, k, p: r.selector_list(d, k, p, removes=removes)


def _selector(r: RuleReader, d: MarkedDict, k: str, p: str) -> Any:
    return r.selector(d, k, p)


def _texts(r: RuleReader, d: MarkedDict, k: str, p: str) -> Any:
    return r.text_list(d, k, p)


def _choice(*choices: str) -> Read:
    def read(r: RuleReader, d: MarkedDict, k: str, p: str) -> Any:
        if d[k] in choices:
            return d[k]
        r.at(d, k, p, f"expected one of {', '.join(choices)}, got {d[k]!r}")
        return None
    return read


def _flag(r: RuleReader, d: MarkedDict, k: str, p: str) -> Any:
    return r.expect(d, k, p, bool, "true or false")


TOOLBAR = (
    Option("enabled", "true/false", _flag, "true", "replace",
           "Insert the proxy's own toolbar (font size, contrast, reading mode) into the page."),
    Option("position", "prepend | append", _choice("prepend", "append"), "prepend", "replace",
           "Where in <body> our toolbar goes: first (reachable by the first Tab) or last."),
    Option("remove", "list of selectors", _selectors(removes=True), "[]", "concat",
           "Elements of the site's own accessibility toolbar (buttons, panels) to remove."),
    Option("script_patterns", "list of texts", _texts, "[]", "concat",
           "Substrings of a script's src or inline text that mark a vendor toolbar's loader "
           "(all scripts are removed anyway; these tell the toolbar transform a vendor is here)."),
    Option("url_patterns", "list of texts", _texts, "[]", "concat",
           "Substrings of link/frame/stylesheet URLs that belong to a vendor toolbar."),
    Option("link_texts", "list of texts", _texts, "[]", "concat",
           "Texts of the links that open a vendor toolbar (无障碍浏览, 长者模式), by which the "
           "toolbar transform finds the site's toolbar switch."),
    Option("font_functions", "list of texts", _texts, "[]", "concat",
           "Names of the site's JavaScript font-size functions (doZoom), by which the toolbar "
           "transform finds the site's own 大/中/小 font controls."),
)


RENDER = (
    Option("mode", "static | browser | auto", _choice("static", "browser", "auto"), "auto",
           "replace",
           "static: never render; browser: render every page in a headless browser on the "
           "server before rewriting it; auto: render the pages whose scripts write or reveal "
           "content, and learn per URL pattern which need it. Rendering needs `render.pool_size` "
           "in config.yaml and Chromium; without them every page is static."),
    Option("browser", "list of URL path globs", _texts, "[]", "concat",
           "Paths always rendered (`/col/*`)."),
    Option("static", "list of URL path globs", _texts, "[]", "concat",
           "Paths never rendered; they win over `browser`."),
    Option("allow_hosts", "list of host names", _texts, "[]", "concat",
           "Other hosts the renderer may load from (a CDN serving the site's jQuery). The "
           "origin and its aliases are always allowed; every other request is refused."),
)


def _render(r: RuleReader, d: MarkedDict, k: str, p: str) -> Any:
    return read_group(r, None, RENDER, p, d, k)


def read_group(r: RuleReader, data: Any, table: tuple[Option, ...], path: str,
               container: Any = None, key: str = "") -> dict[str, Any] | None:
    """Read a mapping by a table: unknown keys reported, each known key read by its reader."""
    if container is not None:
        data = r.expect(container, key, path, MarkedDict, "a mapping")
        if data is None:
            return None
    r.unknown_keys(data, [o.key for o in table], path)
    values = {}
    for option in table:
        if option.key in data:
            value = option.read(r, data, option.key, join(path, option.key))
            if value is not None:
                values[option.key] = value
    return values


def _toolbar(r: RuleReader, d: MarkedDict, k: str, p: str) -> Any:
    return read_group(r, None, TOOLBAR, p, d, k)


TOP = (
    Option("version", "1", f.read_version, "1", "replace",
           "The rule-file format version. Only 1 exists."),
    Option("hosts", "list of host names", f.read_hosts, "[]", "replace",
           "The origin's host names this file is for, without port: exact names and '*.' globs. "
           "An exact name beats a glob, a longer glob beats a shorter one, default.yaml is last. "
           "'*.example.gov.cn' matches 'a.example.gov.cn' but not 'example.gov.cn'.",
           'hosts: ["www.example.gov.cn", "*.example.gov.cn"]', scope="site"),
    Option("encoding", "auto | label", f.read_encoding, "auto", "replace",
           "The origin's real character encoding, for sites whose labels lie. 'auto' detects "
           "it. Labels are read the WHATWG way (gb2312 and gbk mean gb18030).",
           "encoding: gb18030"),
    Option("remove", "list of selectors", _selectors(removes=True), "[]", "concat",
           "Elements to delete (ads, QR-code boxes, decorative clutter).",
           'remove: ["#mobile_erweima", ".float-ad"]'),
    Option("landmarks", "mapping role -> selector(s)", f.read_landmarks, "{} (heuristics)",
           "by_role",
           "Elements that get an ARIA landmark role. A role takes one selector, a list, or "
           "{selector, label} entries; the label becomes the element's aria-label. Roles: "
           "banner, navigation, main, contentinfo, search, complementary, region. A page has "
           "one main. A role set here replaces that role from default.yaml; roles not set are "
           "found by heuristics.",
           'landmarks:\n  main: "#content"\n  navigation:\n    - "#site_top_nav_div"\n'
           '    - {selector: ".left-menu", label: "栏目导航"}'),
    Option("heading", "selector", _selector, "none (heuristics)", "replace",
           "The article title, promoted to the page's <h1>.", 'heading: ".article h2"'),
    Option("alt", "mapping selector -> text", lambda r, d, k, p: r.selector_texts(
        d, k, p, empty_ok=True), "{}", "concat",
           "Alternative text for images; an empty text marks an image as decorative.",
           'alt:\n  "img[src*=\'spacer\']": ""\n  "#logo img": "某某市人民政府"'),
    Option("labels", "mapping selector -> text", lambda r, d, k, p: r.selector_texts(
        d, k, p, empty_ok=False), "{}", "concat",
           "Accessible names (aria-label) for controls and regions without a visible text.",
           'labels:\n  "#searchform input[type=text]": "站内搜索"'),
    Option("include", "list of {selector, url, position}", f.read_include, "[]", "concat",
           "Content a script used to load: the proxy fetches the URL (a path on the same "
           "origin, never another host) and puts it into the element. position: inner "
           "(default, replaces the children), replace (the element itself) or append.",
           'include:\n  - {selector: "#site_top_nav_div", url: /images/system/sites_top.html}'),
    Option("actions", "list of actions", f.read_actions, "[]", "concat",
           "Edits in lol-html's vocabulary, one verb per item, whose value is the selector: "
           "remove, remove_and_keep_content (needs nothing else); replace, set_inner_content, "
           "before, after, prepend, append (need content; type: text (default, escaped) or "
           "html); rename (needs name: the new tag); set_attribute (needs name and value); "
           "remove_attribute (needs name). HTML may not contain scripts or handlers.",
           'actions:\n  - {rename: "div.title", name: h2}\n'
           '  - {set_attribute: "#q", name: placeholder, value: "搜索"}\n'
           '  - {after: ".date", content: "<hr>", type: html}'),
    Option("toolbar", "mapping", _toolbar, "see toolbar.*", "group",
           "The site's own (vendor) accessibility toolbar, to be removed, and ours."),
    Option("render", "mapping", _render, "see render.*", "replace",
           "Rendering in a browser on the server, for pages whose scripts write or reveal "
           "content (the site's whole `render` mapping replaces default.yaml's).",
           "render:\n  mode: auto\n  browser: [\"/index.html\"]"),
    Option("reading_mode", "selector", _selector, "none (heuristics)", "replace",
           "The element that reading mode shows alone (the article body).",
           'reading_mode: "#zoom"'),
    Option("css", "text", f.read_css, '""', "concat",
           "Extra CSS for this site, added after the proxy's stylesheet.",
           "css: |\n  .main { max-width: none; }"),
    Option("disable", "list of transform names", f.read_disable, "[]", "union",
           "Transforms to switch off for this site: " + ", ".join(f.SWITCHABLE) + ". Script "
           "removal cannot be switched off.", "disable: [enlarge_fonts]"),
    Option("tunables", "mapping name -> value", f.read_tunables, "{}", "replace",
           "Knobs of the generic heuristics (NAV_HINTS ...). Only read from default.yaml.",
           scope="default"),
)
TOP_BY_KEY = {o.key: o for o in TOP}
TOOLBAR_BY_KEY = {o.key: o for o in TOOLBAR}

_MERGE_DOC = {
    "replace": "the site's value replaces default.yaml's",
    "concat": "default.yaml's entries first, then the site's",
    "union": "default.yaml's and the site's together",
    "by_role": "per role: the site's role replaces default.yaml's",
    "group": "per key, as below",
}


def rules_reference() -> str:
    """The documentation of every option, generated from TOP and TOOLBAR (rules/README.md)."""
    lines = [
        "# Site rules", "",
        "<!-- Generated by `python -m proxy.cli.check --docs` from proxy/siterules/schema.py; "
        "edit that file, not this one. -->", "",
        "One YAML file per site in this directory, matched by the origin's host name. "
        "`default.yaml` is merged under every site. Files are checked with "
        "`python -m proxy check`, and reloaded within 2 seconds of a save; a file with an "
        "error is not applied (the last good version stays in force). Unknown keys are errors. "
        "Selectors are CSS (cssselect); `:hover`, `:focus` and the like never match here.", "",
    ]
    for option in TOP:
        lines += _option_doc(option.key, option)
        for sub in {"toolbar": TOOLBAR, "render": RENDER}.get(option.key, ()):
            lines += _option_doc(f"{option.key}.{sub.key}", sub)
    return "\n".join(lines).rstrip() + "\n"


def _option_doc(name: str, option: Option) -> list[str]:
    scope = {"site": " Site files only.", "default": " Only in default.yaml."}.get(
        option.scope, "")
    merge = {"site": "not merged (default.yaml has none)",
             "default": "only default.yaml's are used"}.get(option.scope, _MERGE_DOC[option.merge])
    lines = [f"## `{name}`", "", option.doc + scope, "",
             f"- Type: {option.kind}", f"- Default: `{option.default}`",
             f"- With default.yaml: {merge}", ""]
    if option.example:
        lines += ["```yaml", option.example, "```", ""]
    return lines
