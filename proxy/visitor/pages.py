"""Our own pages: the settings form and the help page (Chinese, with English in help).

Rendered from proxy/templates/ with `string.Template`; everything that comes from the request
(the `next` path) is escaped. Both pages carry the skip link, our toolbar and the visitor's
preference stylesheet, so they look the way the proxied pages do.
"""

from __future__ import annotations

from html import escape
from urllib.parse import quote

from proxy.visitor.prefs import Preferences
from proxy.visitor.schemes import SCHEMES
from proxy.visitor.style import preference_css
from proxy.visitor.toolbar import (
    GROUPS,
    current_value,
    render_skip_link,
    render_toolbar,
    set_url,
    template,
)

MAIN_ID = "a11y-main"


def _fieldset(group_index: int, prefs: Preferences) -> str:
    group = GROUPS[group_index]
    chosen = current_value(prefs, group.key)
    inputs = "\n".join(
        f'<label><input type="radio" name="{group.key}" value="{escape(value)}"'
        f'{" checked" if value == chosen else ""}> {escape(label)}</label>'
        for value, label in group.options)
    return f"<fieldset><legend>{group.label}</legend>\n{inputs}\n</fieldset>"


def render_page(title: str, content: str, prefs: Preferences, prefix: str,
                self_path: str) -> str:
    """A whole page of ours around `content` (already HTML)."""
    return template("page.html").substitute(
        title=escape(title), prefix=prefix, percent=str(prefs.text),
        prefs_css=preference_css(prefs, prefix), skip=render_skip_link(MAIN_ID),
        toolbar=render_toolbar(prefs, self_path, prefix), content=content)


def settings_page(prefs: Preferences, prefix: str, next_path: str, share_base: str) -> str:
    """The settings form (GET to /_a11y/set, so it needs no script and no CSRF token: every
    change it can make is one a shared link can make too)."""
    content = template("settings.html").substitute(
        prefix=prefix, next=escape(next_path), next_q=escape(quote(next_path, safe="/")),
        fieldsets="\n".join(_fieldset(i, prefs) for i in range(len(GROUPS))),
        quick_elder=escape(set_url(prefix, {"preset": "elder"}, next_path)),
        reset=escape(set_url(prefix, {"reset": "1"}, next_path)),
        share=escape(share_base + set_url(prefix, _changed_keys(prefs), next_path)))
    self_path = f"{prefix}settings?next={quote(next_path, safe='/')}"
    return render_page("无障碍设置", content, prefs, prefix, self_path)


def help_page(prefs: Preferences, prefix: str, next_path: str) -> str:
    content = template("help.html").substitute(
        prefix=prefix, next=escape(next_path), next_q=escape(quote(next_path, safe="/")),
        scheme_labels=escape("、".join(s.label for s in SCHEMES)),
        scheme_labels_en=escape(", ".join(s.label_en for s in SCHEMES)),
        scheme_keys=escape("|".join(s.key for s in SCHEMES)))
    self_path = f"{prefix}help?next={quote(next_path, safe='/')}"
    return render_page("帮助 Help", content, prefs, prefix, self_path)


def _changed_keys(prefs: Preferences) -> dict[str, str]:
    """Only the keys that differ from the defaults (a short link); reset=1 when none do."""
    default = Preferences().to_query()
    changed = {k: v for k, v in prefs.to_query().items() if default[k] != v}
    return {"reset": "1", **changed}
