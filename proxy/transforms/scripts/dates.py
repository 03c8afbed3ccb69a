"""Today's date, written on the server where a site's script wrote it in the visitor's browser.

Chinese government templates put a date line in the header ("2026年11月27日 星期五") with an
inline script: `new Date()` + `document.write(y + "年" + m + "月" + d + "日")`, often with the
weekday from a `switch` or an array of 日一二三四五六. Script removal would leave a blank where
every visitor used to read the date, so the line is rendered here instead, as a `<time>`.

A `<script>showDate();</script>` calling a date-line function declared in one of the page's
scripts (an external `showdate.js` as ScriptWrites fetched it) is replaced the same way.
Only a script that is nothing but a date line is replaced: it must create a Date, write, and
spell the 年/月/日 of the date; anything that also loads, navigates or writes markup is left to
script removal. The date is China's (UTC+8, no daylight saving): these lines are on Chinese
sites and the figure is the one their visitors' clocks showed. A page cached past midnight
keeps yesterday's line until it is rewritten again (the cache honours the origin's lifetime).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from typing import Any

import lxml.html

from proxy.page import Page
from proxy.pipeline import Transform
from proxy.transforms.scripts.jswrites import top_level_functions

#: what a date line's code holds (a first filter; `is_date_line` is the test)
_CANDIDATE_WORDS = ("Date(", "write", "年")
#: a date line does nothing else: no URL, no markup, no navigation, no loading, no timers
_ELSEWHERE = re.compile(r"https?:|//|<[a-zA-Z/!]|location|\.src\b|ajax|\$\(|getJSON|setInterval|"
                        r"setTimeout|innerHTML|eval\(|XMLHttpRequest|fetch\(")
#: a whole-line `//` comment (a line that starts so holds no string a URL could be in)
_LINE_COMMENT = re.compile(r"^[ \t]*//.*$", re.M)
_WRITES = re.compile(r"document\s*\.\s*write(?:ln)?\s*\(")
_PARTS = re.compile(r"getDate\s*\(|getMonth\s*\(|get(?:Full)?Year\s*\(")
WEEKDAYS = "一二三四五六日"  # Monday first, as datetime.weekday() counts
CHINA = timezone(timedelta(hours=8), "CST")


def date_line(now: datetime, with_weekday: bool) -> str:
    line = f"{now.year}年{now.month}月{now.day}日"
    return f"{line} 星期{WEEKDAYS[now.weekday()]}" if with_weekday else line


def is_date_line(code: str) -> bool:
    code = _LINE_COMMENT.sub("", code)
    return bool(_WRITES.search(code)) and len(_PARTS.findall(code)) >= 3 \
        and all(ch in code for ch in "年月日") and not _ELSEWHERE.search(code)


def candidates(root: Any) -> list[Any]:
    """The inline scripts in <body> that could be a date line, in document order. lxml's
    tag-filtered walk in C and substring tests on the few inline scripts' code, not the
    XPath `//body//script[not(@src)][contains(., ...)]`, whose predicates
    turned each script into a string once per word."""
    found = []
    for script in root.iter("script"):
        if script.get("src") is not None:
            continue
        # the XPath string value: the text, or all text inside when a transform nested nodes
        code = (script.text or "") if len(script) == 0 else script.xpath("string()")
        if all(word in code for word in _CANDIDATE_WORDS) \
                and next(script.iterancestors("body"), None) is not None:
            found.append(script)  # listed first: the caller replaces them
    return found


#: an inline script that only calls a function: `showDate();`
_CALL_ONLY = re.compile(r"\s*([\w$]+)\s*\(\s*\)\s*;?\s*\Z")
#: where ScriptWrites keeps the page's external scripts it fetched (element -> (path, text))
FETCHED_SCRIPTS = "script_writes"


def called_date_lines(page: Page) -> list[tuple[Any, str]]:
    """(inline script, the code it runs) for each `<script>name();</script>` in <body> whose
    function, declared in one of the page's scripts (external ones as ScriptWrites fetched
    them), is a date line."""
    calls = []
    for script in page.body.iter("script"):
        if script.get("src") is None and len(script) == 0 \
                and (match := _CALL_ONLY.match(script.text or "")):
            calls.append((script, match.group(1)))
    if not calls:
        return []
    sources = [text for _, text in page.includes.get(FETCHED_SCRIPTS, {}).values()]
    sources += [s.text for s in page.tree.iter("script") if s.get("src") is None and s.text]
    functions: dict[str, str] = {}
    for source in sources:
        if "Date(" in source:
            functions.update(top_level_functions(source))
    return [(script, functions[name]) for script, name in calls
            if name in functions and is_date_line(functions[name])]


class ScriptDates(Transform):
    name = "script_dates"

    def __init__(self, clock: Any = None) -> None:
        self._clock = clock or (lambda: datetime.now(CHINA))

    def prepare(self, page: Page) -> None:
        found = [(script, script.text or "") for script in candidates(page.tree)]
        for script, code in found + called_date_lines(page):
            if not is_date_line(code):
                continue
            now = self._clock()
            time = lxml.html.Element("time", datetime=now.date().isoformat())
            time.text = date_line(now, with_weekday="星期" in code or "getDay" in code)
            time.tail = script.tail
            script.getparent().replace(script, time)
