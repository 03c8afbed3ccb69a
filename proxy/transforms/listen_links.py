"""指读 without JavaScript: in reading view, each paragraph of the content ends with a link to
its own audio (`/_a11y/speak?path=…&part=N`, proxy/visitor/listen.py), which the browser plays
in its own player. The paragraphs are numbered as the speak route numbers them
(proxy/reading/speech_text.py: `paragraphs`), which skips these links when it reads.

Nothing is added without the speech engine (no link to a route that can only say 503).
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

import lxml.html
from lxml import etree

from proxy.page import Page
from proxy.pipeline import Transform
from proxy.reading import speech, speech_text
from proxy.transforms.site_toolbar import page_path

LINK_CLASS = "a11y-speak"
EARLIER = etree.XPath(f"//a[@class='{LINK_CLASS}']")
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


class ListenLinks(Transform):
    name = "listen_links"

    def finish(self, page: Page) -> None:
        for old in EARLIER(page.tree):  # a page proxied twice gets its links once
            old.drop_tree()
        if page.prefs.view != "reading" or not speech.available():
            return
        mains = page.tree.xpath("//main")
        if not mains:
            return
        path = page_path(page.url)
        found = speech_text.paragraphs(mains[0])
        for number, block in enumerate(found):
            query = urlencode({"path": path, "part": str(number)}, quote_via=quote)
            link = lxml.html.Element("a", {"class": LINK_CLASS,
                                           "href": f"{page.prefix}speak?{query}"})
            link.text = f"朗读第 {number + 1} 段"
            if block.tag in HEADINGS and block is not mains[0]:
                block.addnext(link)  # after: inside, it would join the heading's name
            else:
                block.append(link)  # inside: a cell, item or paragraph keeps its structure
        page.notes.append(f"listen_links: {len(found)} paragraphs")
