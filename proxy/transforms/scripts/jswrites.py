"""What a script writes for certain: `document.write`/`writeln` of string literals at its top
level, read from the source without running it.

Legacy portals build their header, menu and footer in `header.js`/`footer.js` files made of
hundreds of `document.writeln("<div ...>");` lines. Those calls, outside any function, block or
condition, run exactly once when the script loads, and their argument is a constant: the markup
they produce is known without executing anything. Calls inside a function or a condition, and
calls whose argument is not made of literals only, are left out (they may never run, or write
something only a browser knows).

The reader is a small tokenizer, not a JavaScript parser: it knows strings, template literals
without substitutions, comments and regular-expression literals well enough to keep its depth
count of `( [ {` right. Anything it cannot follow (an unterminated string) makes it give up on
the whole script: nothing is better than half a header.
"""

from __future__ import annotations

import re

_WRITE = re.compile(r"document\s*\.\s*write(ln)?\s*\(")
_IDENT = re.compile(r"[\w$]")
_IDENT_RUN = re.compile(r"[\w$]+")
_SPACE_RUN = re.compile(r"[ \t\r\n\ufeff]+")
#: characters with no meaning to the scan, taken as one run (never empty: the caller's
#: character is one of them)
_OTHER_RUN = re.compile(r"[^\w$'\"`/(){}\[\]<\s]+|.", re.S)
_DECLARATION = re.compile(r"function\s+([\w$]+)\s*\(\s*\)\s*\{")
_CALL = re.compile(r"\s*\(\s*\)")
MAX_CALLS = 3  #: nested calls followed (a function writing through another)
#: after these a `/` starts a regular expression, not a division
_REGEX_AFTER = set("(,=:[!&|?{};+-*%<>~^") | {""}
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}


class Unreadable(Exception):
    """The tokenizer lost its way: the script is not used."""


def top_level_writes(source: str) -> str:
    """The markup `source` writes unconditionally with literal `document.write` calls, in order
    (`writeln` adds its newline); "" when there is none or the script cannot be followed."""
    if not _WRITE.search(source):
        return ""
    try:
        return "".join(_scan(source, {}, 0))
    except Unreadable:
        return ""


def top_level_functions(source: str) -> dict[str, str]:
    """The bodies of the parameterless functions `source` declares at its top level, by name
    (for a call elsewhere on the page: `<script>showDate();</script>`)."""
    functions: dict[str, str] = {}
    if "function" in source:
        try:
            _scan(source, functions, MAX_CALLS)  # level MAX_CALLS: declarations only, no calls
        except Unreadable:
            return {}
    return functions


def _scan(src: str, functions: dict[str, str], level: int) -> list[str]:
    """`functions`: the bodies of the parameterless functions declared so far at top level; a
    top-level call `name()` of one writes what its body writes at its own top level."""
    out: list[str] = []
    depth = 0
    declaring: tuple[str, int] | None = None  # a function whose body is being read
    i, n = 0, len(src)
    last = ""  # the last significant character, to tell a regex from a division
    while i < n:
        c = src[i]
        if c in " \t\r\n\ufeff":
            i = _SPACE_RUN.match(src, i).end()
        elif src.startswith("//", i) or src.startswith("<!--", i):
            i = _line_end(src, i)
        elif src.startswith("/*", i):
            end = src.find("*/", i + 2)
            if end < 0:
                raise Unreadable("comment")
            i = end + 2
        elif c in "'\"`":
            _, i = _string(src, i)
            last = "a"
        elif c == "/" and last in _REGEX_AFTER:
            i = _regex(src, i)
            last = "a"
        elif c in "([{":
            depth += 1
            i += 1
            last = c
        elif c in ")]}":
            depth = max(0, depth - 1)
            if depth == 0 and declaring and c == "}":
                functions[declaring[0]] = src[declaring[1]:i]
                declaring = None
            i += 1
            last = c
        elif depth == 0 and c == "f" and (m := _DECLARATION.match(src, i)) \
                and (i == 0 or not _IDENT.match(src[i - 1])):
            declaring = (m.group(1), m.end())
            i, last = m.end() - 1, ")"
        elif depth == 0 and c == "d" and (m := _WRITE.match(src, i)) \
                and (i == 0 or not _IDENT.match(src[i - 1])) and (i == 0 or src[i - 1] != "."):
            written, end = _literal_argument(src, m.end())
            if written is not None:
                out.append(written + ("\n" if m.group(1) else ""))
                i, last = end, ")"
            else:  # not a literal: walk on through its argument like any code
                i, last = m.end() - 1, "a"
        else:
            if _IDENT.match(c):
                start = i
                i = _IDENT_RUN.match(src, i).end()
                name = src[start:i]
                if depth == 0 and name in functions and last != "." and level < MAX_CALLS \
                        and (call := _CALL.match(src, i)):
                    out += _scan(functions[name], functions, level + 1)
                    i = call.end()
                last = "a"
            else:  # operators and punctuation that change no depth
                i = _OTHER_RUN.match(src, i).end()
                last = src[i - 1]
    return out


def _line_end(src: str, i: int) -> int:
    end = src.find("\n", i)
    return len(src) if end < 0 else end + 1


def _skip_space(src: str, i: int) -> int:
    n = len(src)
    while i < n:
        if src[i] in " \t\r\n":
            i += 1
        elif src.startswith("//", i):
            i = _line_end(src, i)
        elif src.startswith("/*", i):
            end = src.find("*/", i + 2)
            if end < 0:
                raise Unreadable("comment")
            i = end + 2
        else:
            break
    return i


def _literal_argument(src: str, i: int) -> tuple[str | None, int]:
    """After `write(`: the argument's value when it is literals joined by `+`, and the index
    after the closing `)`; (None, i) otherwise."""
    parts = []
    while True:
        i = _skip_space(src, i)
        if i >= len(src) or src[i] not in "'\"`":
            return None, i
        value, i = _string(src, i)
        if value is None:
            return None, i
        parts.append(value)
        i = _skip_space(src, i)
        if i < len(src) and src[i] == "+":
            i += 1
            continue
        if i < len(src) and src[i] == ")":
            return "".join(parts), i + 1
        return None, i


def _string(src: str, i: int) -> tuple[str | None, int]:
    """The literal starting at `i` (its value; None for a template with `${}`) and the index
    after it."""
    quote = src[i]
    out: list[str] = []
    i += 1
    n = len(src)
    substituted = False
    while i < n:
        c = src[i]
        if c == quote:
            return (None if substituted else "".join(out)), i + 1
        if c == "\\":
            value, i = _escape(src, i + 1)
            out.append(value)
            continue
        if c == "\n" and quote != "`":
            raise Unreadable("newline in string")
        if quote == "`" and src.startswith("${", i):
            substituted = True
        out.append(c)
        i += 1
    raise Unreadable("unterminated string")


def _escape(src: str, i: int) -> tuple[str, int]:
    if i >= len(src):
        raise Unreadable("escape")
    c = src[i]
    if c in _ESCAPES and not (c == "0" and i + 1 < len(src) and src[i + 1].isdigit()):
        return _ESCAPES[c], i + 1
    if c == "x" and re.fullmatch(r"[0-9a-fA-F]{2}", src[i + 1:i + 3]):
        return chr(int(src[i + 1:i + 3], 16)), i + 3
    if c == "u":
        if src.startswith("{", i + 1):
            end = src.find("}", i)
            if end > 0 and re.fullmatch(r"[0-9a-fA-F]{1,6}", src[i + 2:end]):
                return chr(min(int(src[i + 2:end], 16), 0x10FFFF)), end + 1
        elif re.fullmatch(r"[0-9a-fA-F]{4}", src[i + 1:i + 5]):
            return chr(int(src[i + 1:i + 5], 16)), i + 5
    if c == "\r":  # line continuation
        return "", i + (2 if src.startswith("\r\n", i) else 1)
    if c in "\n\u2028\u2029":
        return "", i + 1
    return c, i + 1


def _regex(src: str, i: int) -> int:
    i += 1
    n = len(src)
    in_class = False
    while i < n:
        c = src[i]
        if c == "\\":
            i += 2
            continue
        if c == "\n":
            raise Unreadable("newline in regex")
        if c == "[":
            in_class = True
        elif c == "]":
            in_class = False
        elif c == "/" and not in_class:
            i += 1
            while i < n and _IDENT.match(src[i]):
                i += 1
            return i
        i += 1
    raise Unreadable("unterminated regex")
