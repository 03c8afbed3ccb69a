"""Site content and page rendering of the demo origin (UTF-8 templates, served as GBK)."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from functools import cache
from html import escape
from importlib import resources

ORIGIN = "http://www.xiuzhiben.com"
SITE_NAME = "常州市委统战部"
ARTICLE_PATH = "/art/2019/9/20/art_1234_5678.html"
ARTICLE_URL = ORIGIN + ARTICLE_PATH


def _gb18030_fallback(err: UnicodeError) -> tuple[bytes, int]:
    """Encode what GBK lacks (e.g. U+2022 '•') as GB18030, as Windows-era CMSes did."""
    assert isinstance(err, UnicodeEncodeError)
    return err.object[err.start : err.end].encode("gb18030"), err.end


codecs.register_error("demo-gb18030", _gb18030_fallback)


def encode_gbk(text: str) -> bytes:
    """GBK bytes of ``text``; characters outside GBK get their GB18030 four-byte form."""
    return text.encode("gbk", errors="demo-gb18030")


@dataclass(frozen=True)
class Column:
    cid: int
    name: str
    parent: int | None = None


@dataclass(frozen=True)
class Article:
    aid: int
    cid: int
    date: str  # YYYY-MM-DD
    title: str
    body: tuple[str, ...]
    source: str = "市委统战部"
    attachment: bool = False

    @property
    def path(self) -> str:
        y, m, d = (int(part) for part in self.date.split("-"))
        return f"/art/{y}/{m}/{d}/art_{self.cid}_{self.aid}.html"


COLUMNS: dict[int, Column] = {
    c.cid: c
    for c in (
        Column(1201, "机构概况"),
        Column(1230, "各领域工作"),
        Column(1234, "新阶层人士", parent=1230),
        Column(1235, "民族宗教", parent=1230),
        Column(1240, "政策法规"),
        Column(1250, "联系我们"),
    )
}

SEED_TITLE = "【统一战线70年•实践】新的社会阶层人士统战工作：大胆创新、积极探索，成效显著"


@cache
def _seed_body() -> tuple[str, ...]:
    text = resources.files(__package__).joinpath("site/content/art_5678.txt")
    paragraphs = text.read_text(encoding="utf-8").split("\n\n")
    return tuple(p.strip() for p in paragraphs if p.strip())


def articles() -> list[Article]:
    """All articles, newest first."""
    return [
        Article(
            5690,
            1230,
            "2019-09-26",
            "市委统战部召开庆祝新中国成立70周年座谈会",
            ("9月26日，市委统战部召开座谈会，各民主党派、工商联和无党派人士代表参加。",),
        ),
        Article(5678, 1234, "2019-09-20", SEED_TITLE, _seed_body(), attachment=True),
        Article(
            5671,
            1234,
            "2019-09-12",
            "我市举办新的社会阶层代表人士培训班",
            ("9月10日至12日，我市新的社会阶层代表人士培训班在市社会主义学院举办。",),
        ),
        Article(
            5665,
            1234,
            "2019-08-30",
            "网络人士“同心·网聚正能量”主题活动走进武进",
            ("8月30日，市网络人士联谊会组织会员走进武进，开展主题采风活动。",),
        ),
        Article(
            5652,
            1235,
            "2019-08-15",
            "全市民族宗教工作会议召开",
            ("8月15日，全市民族宗教工作会议召开，部署下半年重点工作。",),
        ),
        Article(
            5640,
            1240,
            "2019-07-01",
            "中国共产党统一战线工作条例（试行）",
            ("《中国共产党统一战线工作条例（试行）》全文（略）。",),
            source="新华社",
        ),
    ]


def find_article(aid: int) -> Article | None:
    return next((a for a in articles() if a.aid == aid), None)


def column_articles(cid: int) -> list[Article]:
    """Articles of a column, including those of its child columns."""
    cids = {cid} | {c.cid for c in COLUMNS.values() if c.parent == cid}
    return [a for a in articles() if a.cid in cids]


@cache
def template(name: str) -> str:
    return resources.files(__package__).joinpath("site/templates", name).read_text("utf-8")


def fill(text: str, **values: str) -> str:
    """Replace ``{{name}}`` placeholders; values must already be HTML."""
    return re.sub(r"\{\{(\w+)\}\}", lambda m: values[m.group(1)], text)


def page(page_title: str, name: str, **values: str) -> bytes:
    """A complete page: ``name`` rendered inside base.html, encoded as GBK."""
    content = fill(template(name), **values)
    return encode_gbk(fill(template("base.html"), title=escape(page_title), content=content))


def _crumbs(column: Column) -> str:
    parts = [column]
    while parts[0].parent is not None:
        parts.insert(0, COLUMNS[parts[0].parent])
    return ">>".join(f'<a href="/col/col{c.cid}/index.html">{c.name}</a>' for c in parts)


def _item_row(article: Article, absolute: bool = False) -> str:
    href = (ORIGIN if absolute else "") + article.path
    return (
        '  <tr><td height="26" class="list">&nbsp;<img src="/images/dot.gif" width="5" height="5">'
        f' <a href="{href}" target="_blank" title="{escape(article.title)}">'
        f"{escape(article.title)}</a></td>"
        f'<td width="90" class="date">{article.date}</td></tr>'
    )


def front_page() -> bytes:
    columns = "\n".join(
        f'        <tr><td height="26" class="list">&nbsp;<img src="/images/dot.gif" width="5" '
        f'height="5"> <a href="/col/col{c.cid}/index.html">{c.name}</a></td></tr>'
        for c in COLUMNS.values()
    )
    news = "\n".join(_item_row(a, absolute=i % 3 == 2) for i, a in enumerate(articles()))
    return page(SITE_NAME, "index.html", columns=columns, news=news)


def list_page(column: Column) -> bytes:
    items = column_articles(column.cid)
    rows = "\n".join(_item_row(a, absolute=i == 1) for i, a in enumerate(items))
    if not rows:
        rows = '  <tr><td colspan="2" height="60" align="center">暂无信息</td></tr>'
    return page(
        f"{column.name} - {SITE_NAME}",
        "list.html",
        crumbs=_crumbs(column),
        colname=column.name,
        items=rows,
        count=str(len(items)),
    )


def article_page(article: Article) -> bytes:
    body = "\n".join(
        '<p style="text-indent:2em"><span style="font-size:16px;font-family:仿宋_GB2312">'
        f"{escape(p)}</span></p>"
        for p in article.body
    )
    attachment = ""
    if article.attachment:
        attachment = (
            '      <p style="font-size:12px">附件：<a href="/files/report.pdf" target="_blank">'
            "2019年工作报告.pdf</a></p>"
        )
    return page(
        f"{article.title} - {SITE_NAME}",
        "article.html",
        crumbs=_crumbs(COLUMNS[article.cid]),
        heading=escape(article.title),
        date=article.date,
        source=escape(article.source),
        aid=str(article.aid),
        body=body,
        attachment=attachment,
    )


def search_page(query: str, raw_query: str) -> bytes:
    hits = [a for a in articles() if query and (query in a.title or query in "".join(a.body))]
    return page(
        f"站内搜索 - {SITE_NAME}",
        "search.html",
        echo=escape(query),
        raw=escape(raw_query),
        count=str(len(hits)),
        items="\n".join(_item_row(a) for a in hits),
    )


def not_found_page() -> bytes:
    return page(f"页面不存在 - {SITE_NAME}", "404.html")
