"""What several semantic repairs share: the visually hidden style of notes that are read but
not shown, XPath's white space, and the first-heading query."""

from __future__ import annotations

from lxml import etree

#: inline style of text that is read but not shown (our stylesheet has the same class; the
#: inline style keeps it hidden on a page whose stylesheet was not inserted)
SR_ONLY = ("position:absolute;width:1px;height:1px;margin:-1px;padding:0;border:0;"
           "overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap")
SR_ONLY_CLASS = "a11y-visually-hidden"
#: what XPath's normalize-space() strips (Python's strip() and split() also drop U+3000 and the
#: like); the semantics steps test blankness as XPath did with it
XML_SPACE = " \t\r\n"
#: the first heading at or inside an element (names an in-page link's target, a dialog)
FIRST_HEADING = etree.XPath("(descendant-or-self::*[self::h1 or self::h2 or self::h3 or "
                            "self::h4 or self::h5 or self::h6 or @role='heading'])[1]")
