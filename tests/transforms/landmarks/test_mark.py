"""Landmarks: rules first, heuristics second, every piece of content inside a landmark."""

from __future__ import annotations

import pytest
from lxml import etree

from proxy.heuristics.hints import Hints
from proxy.page import Page, parse_html
from proxy.siterules.model import DEFAULT_RULES
from proxy.transforms.landmarks.cover import HAS_CONTENT
from proxy.transforms.landmarks.dom import (
    IN_LANDMARK,
    IS_OURS,
    LANDMARK_SELF,
    OURS_CLASS,
    OURS_ID,
    OURS_SELF,
    in_document_order,
    is_landmark,
    landmarks_and_tagged,
    role_of,
)
from proxy.transforms.landmarks.find import BodyText, control_count, outermost
from proxy.transforms.landmarks.mark import MAIN_ID, Landmarks, _Order, _Ours
from tests.factories import load_rules_text

#: the page's landmarks, as the plain predicate query (the oracle for landmarks_and_tagged)
ALL_LANDMARKS = etree.XPath(f"//body//*[{LANDMARK_SELF}]")
URL = "http://www.example.gov.cn/art/1.html"
TEXT = "正文内容。" * 60  # enough text to be the main content
NAV = "".join(f'<li><a href="/col{i}">栏目{i}</a></li>' for i in range(6))

DIV_PAGE = f"""<html><body>
<div id="header"><img src="/logo.png" alt="某某市人民政府"></div>
<div class="topnav"><ul>{NAV}</ul></div>
<div class="position">当前位置：<a href="/">首页</a> &gt; 新闻</div>
<div id="content"><h2>标题</h2><p>{TEXT}</p></div>
<div class="footer">版权所有：某某市人民政府 京ICP备12345678号</div>
</body></html>"""

TABLE_PAGE = f"""<html><body>
<table><tr><td><img src="/banner.png" alt="某某局"></td></tr></table>
<table><tr><td class="crumb">您的位置：<a href="/">首页</a></td></tr></table>
<table><tr><td width="200">{NAV.replace('li>', 'p>')}</td><td>{TEXT}</td></tr></table>
<table><tr><td>主办单位：某某局 苏公网安备32041102000483号</td></tr></table>
</body></html>"""


def run(html: str, rules_yaml: str | None = None, url: str = URL) -> Page:
    rules = load_rules_text(rules_yaml, "site") if rules_yaml else None
    page = Page(url=url, tree=parse_html(html), **({"rules": rules} if rules else {}))
    Landmarks().finish(page)
    return page


def roles(page: Page) -> list[str]:
    return [role_of(el) for el in ALL_LANDMARKS(page.tree)]


def uncovered(page: Page) -> list[str]:
    texts = page.tree.xpath("//body//text()[normalize-space()]")
    return [t.strip() for t in texts if not IN_LANDMARK(t.getparent())]


@pytest.mark.parametrize("html", [DIV_PAGE, TABLE_PAGE], ids=["div-layout", "table-layout"])
def test_heuristics_find_one_of_each_and_cover_all_text(html):
    page = run(html)
    found = roles(page)
    assert found.count("main") == 1
    assert found.count("banner") == 1
    assert found.count("contentinfo") == 1
    assert uncovered(page) == []
    main = page.tree.xpath("//main | //*[@role='main']")[0]
    assert main.get("id") in (MAIN_ID, "content")  # its own id, else ours: the skip target
    assert TEXT[:20] in main.text_content()


def test_div_page_landmarks_use_roles_on_divs_and_name_the_navigations():
    page = run(DIV_PAGE)
    header = page.tree.get_element_by_id("header")
    assert header.tag == "div" and header.get("role") == "banner"
    assert page.tree.get_element_by_id("content").get("role") == "main"
    names = {el.get("aria-label") for el in ALL_LANDMARKS(page.tree)
             if role_of(el) == "navigation"}
    assert names == {"主菜单", "当前位置"}


def test_table_cells_are_wrapped_inside_never_given_a_role():
    page = run(TABLE_PAGE)
    assert not page.tree.xpath("//td[@role] | //tr[@role] | //table[@role='main']")
    main = page.tree.xpath("//main")[0]
    assert main.getparent().tag == "td"
    assert page.tree.xpath("//td[@class='crumb']/nav/@aria-label") == ["当前位置"]


def test_site_rules_place_landmarks_and_labels():
    rules = """
hosts: [www.example.gov.cn]
landmarks:
  main: "#zw"
  navigation:
    - {selector: "#menu", label: 主菜单}
    - {selector: "td.left", label: 栏目导航}
"""
    html = f"""<html><body><div id="menu">{NAV}</div>
    <table><tr><td class="left">{NAV}</td><td><div id="zw">短文</div></td></tr></table>
    </body></html>"""
    page = run(html, rules)
    assert page.tree.get_element_by_id("zw").get("role") == "main"
    assert page.tree.get_element_by_id("menu").get("aria-label") == "主菜单"
    assert page.tree.xpath("//td[@class='left']/nav/@aria-label") == ["栏目导航"]


def test_search_form_becomes_a_named_search_landmark():
    html = f"""<html><body><form action="/search.jsp"><input name="q"><input type="submit"
    value="搜索"></form><div id="content">{TEXT}</div></body></html>"""
    form = run(html).tree.find(".//form")
    assert (form.get("role"), form.get("aria-label")) == ("search", "站内搜索")


def test_existing_landmarks_are_kept_and_a_second_main_is_demoted():
    html = f"""<html><body><header>站点</header><main id="m1">{TEXT}</main>
    <main id="m2">又一个</main><footer>版权所有</footer></body></html>"""
    page = run(html)
    assert roles(page).count("main") == 1
    assert page.tree.get_element_by_id("m1").tag == "main"
    assert page.tree.get_element_by_id("m2").tag == "div"
    assert page.tree.get_element_by_id("m1").get("id") == "m1"  # its own id: the skip target


def test_a_main_element_with_another_role_after_the_main_is_demoted_too():
    html = f"""<html><body><div role="main" id="m1">{TEXT}</div>
    <main role="navigation" id="m2">{NAV}</main></body></html>"""
    page = run(html)
    assert page.tree.get_element_by_id("m1").get("role") == "main"
    m2 = page.tree.get_element_by_id("m2")
    assert (m2.tag, m2.get("role")) == ("div", "navigation")


def test_loose_text_between_landmarks_gets_a_region_named_by_its_first_words():
    html = f"""<html><body><div id="header">站点</div><div id="content">{TEXT}</div>
    <div class="links">友情链接 <a href="http://a.example">甲</a></div>
    <div id="footer">版权所有</div></body></html>"""
    page = run(html)
    assert uncovered(page) == []
    assert page.tree.xpath("//section/@aria-label") == ["友情链接"]


def test_running_twice_changes_nothing():
    page = run(DIV_PAGE)
    once = page.tree.xpath("string(count(//*))"), roles(page)
    Landmarks().finish(page)
    assert (page.tree.xpath("string(count(//*))"), roles(page)) == once


@pytest.mark.parametrize(("html", "expected"), [
    ("<p>文字</p>", True), ("<p> </p>", False), ('<img src="a.png" width="1">', False),
    ('<img src="a.png">', True), ("<input type=hidden>", False), ("<select></select>", True),
    ("<script>x()</script>", False)],
    ids=["text", "blank", "spacer-image", "image", "hidden-input", "select", "script"])
def test_what_counts_as_content(html, expected):
    body = parse_html(f"<html><body><div>{html}</div></body></html>").find("body")
    assert HAS_CONTENT(body[0]) is expected


def _second_pass(html: str, rules_yaml: str | None = None) -> tuple[str, str]:
    from lxml import etree
    first = run(html, rules_yaml)
    skip = etree.SubElement(first.body, "a", {"class": "a11y-skip", "href": f"#{MAIN_ID}"})
    skip.text = "跳到主要内容"
    first.body.insert(0, skip)
    once = etree.tostring(first.tree, encoding="unicode")
    twice = etree.tostring(run(once, rules_yaml).tree, encoding="unicode")
    return once, twice


POSITIONAL_RULES = """
landmarks:
  banner: "body > table:first-of-type"
  main: "table:has(td.crumb) + table"
  contentinfo: "table:last-of-type"
"""


@pytest.mark.parametrize("rules_yaml", [None, POSITIONAL_RULES], ids=["heuristics", "rules"])
@pytest.mark.parametrize("html", [DIV_PAGE, TABLE_PAGE], ids=["divs", "tables"])
def test_a_second_pass_adds_nothing(html, rules_yaml):
    """A proxy behind a proxy: our skip link is ours (never wrapped in a region), and the
    landmarks of the first pass are recognised (a positional rule selector does not make a
    second banner out of the next table)."""
    once, twice = _second_pass(html, rules_yaml)
    assert twice == once


#: every way an element is (or is not) a landmark, nested, and on <body> itself
LANDMARK_KINDS = """<html><body role="main"><div role="banner">b</div><main>m<nav>n</nav>
<div role="navigation search">not a landmark role token</div><section>no name</section>
<section aria-label="s">named</section><aside><header>h</header></aside></main>
<div role="contentinfo"><footer>f</footer><search>q</search></div><p role="note">x</p>
<div id="a11y-toolbar"><span class="x a11y-skip y">ours</span></div>
<span class="a11y-skipped">not ours</span></body></html>"""


def test_is_landmark_answers_what_the_predicate_selects() -> None:
    root = parse_html(LANDMARK_KINDS)
    body = root.find("body")
    expected = ALL_LANDMARKS(root)
    assert len(expected) == 9
    assert [el for el in root.iter(etree.Element) if is_landmark(el)] == [body, *expected]
    ours = etree.XPath(f".//*[{OURS_SELF}]")(body)
    named = Hints.of(DEFAULT_RULES).on(root, frozenset({OURS_ID}), frozenset({OURS_CLASS}))
    assert len(ours) == 2 and named.named() == ours


@pytest.mark.parametrize("html", [
    LANDMARK_KINDS, DIV_PAGE,
    '<html><body><div role="main"><form role="search"></form></div></body></html>',
    '<html><body><form><nav><form></form></nav></form><section aria-label="">s</section>'
    '<main></main></body></html>'],
    ids=["kinds", "none", "roles-only", "names-only"])
def test_landmarks_and_forms_are_what_the_queries_select(html) -> None:
    root = parse_html(html)
    assert landmarks_and_tagged(root.find("body"), "form") == \
        (ALL_LANDMARKS(root), root.xpath("//body//form"))


MARKER_PAGE = """<html><body>x<div>当前位置：<b>首页</b>版权所有</div>tail 版权所有
<p>ICP备 <i>a</i>当前位置</p><script>var s = "ICP备";</script></body></html>"""


@pytest.mark.parametrize("markers", [
    ("当前位置",), ("版权所有", "ICP备"), ("无",), ("", "无"), ("首页", "当前位置"),
    ("位置：首页",), ("位置：首页", "ICP备"),
], ids=["one", "two", "absent", "empty-marker", "both-in-one-element", "across-text-nodes",
        "across-and-in-one"])
@pytest.mark.parametrize("last", [False, True], ids=["first", "last"])
def test_body_text_finds_the_marker_text_node_the_xpath_finds(markers, last) -> None:
    body = parse_html(MARKER_PAGE).find("body")
    condition = " or ".join(f'contains(., "{m}")' for m in markers)
    hits = etree.XPath(f".//text()[{condition}]")(body)
    expected = (hits[-1] if last else hits[0]) if hits else None
    found = BodyText(body).containing(markers, last=last)
    if expected is None:
        assert found is None
    else:
        assert (found, found.getparent(), found.is_tail) == \
            (expected, expected.getparent(), expected.is_tail)


@pytest.mark.parametrize("html", [
    LANDMARK_KINDS, LANDMARK_KINDS.replace('<body role="main">', '<body class="a11y-skip">'),
    LANDMARK_KINDS.replace("<html>", '<html id="a11y-toolbar"><head><title>t</title></head>'),
    DIV_PAGE], ids=["below-body", "body", "html", "none"])
def test_ours_answers_what_is_ours_answers(html) -> None:
    root = parse_html(html)
    body = root.find("body")
    hints = Hints.of(DEFAULT_RULES).on(root, frozenset({OURS_ID}), frozenset({OURS_CLASS}))
    ours = _Ours(body, hints.named())
    elements = list(root.iter(etree.Element))
    assert [ours(el) for el in elements] == [IS_OURS(el) for el in elements]


def test_outermost_keeps_the_elements_no_other_one_holds() -> None:
    elements = list(parse_html(LANDMARK_KINDS).find("body").iter(etree.Element))
    for step in range(1, 5):
        for start in range(step):
            picked = elements[start::step]
            expected = [el for el in picked
                        if not any(a in set(picked) for a in el.iterancestors())]
            assert outermost(picked) == expected


def test_order_is_the_index_in_body_iter() -> None:
    root = parse_html("<html><head><title>t</title><!--c--></head><body><!--x--><div><p>a<b>b"
                      "</b></p><?pi x?></div><span></span>t<i>z</i></body></html>")
    body = root.find("body")
    order = _Order(body)
    expected = {el: i for i, el in enumerate(body.iter())}
    assert len(expected) == 8
    assert [order.of(el) for el in [*root.iter(), None]] == \
        [expected.get(el, 0) for el in [*root.iter(), None]]


def test_in_document_order_sorts_and_drops_repeats() -> None:
    root = parse_html(LANDMARK_KINDS)
    elements = list(root.iter(etree.Element))
    shuffled = elements[::-1][::2] + elements[::3] + [elements[5]]
    expected = [el for el in elements if el in set(shuffled)]
    assert in_document_order(root, shuffled) == expected
    assert in_document_order(root, []) == []


#: a rule's element that `role_of` reads as navigation but no landmark query selects, and a
#: body that is the rule's main: both are hosted as they are, and neither is a landmark below
#: the body
ODD_HOSTS = f"""<html><body role="main"><div class="multi" role="navigation search">{NAV}</div>
<div id="content">{TEXT}</div><p>loose</p></body></html>"""
ODD_RULES = """
landmarks:
  main: "body"
  navigation: ".multi"
"""


@pytest.mark.parametrize(("html", "rules_yaml"), [
    (DIV_PAGE, None), (TABLE_PAGE, None), (TABLE_PAGE, POSITIONAL_RULES),
    (LANDMARK_KINDS, None), (ODD_HOSTS, None), (ODD_HOSTS, ODD_RULES),
    (_second_pass(DIV_PAGE)[0], None)],
    ids=["divs", "tables", "rules", "kinds", "odd", "odd-rules", "second-pass"])
def test_the_landmarks_known_after_hosting_are_the_page_landmarks(html, rules_yaml) -> None:
    """Finish does not query the page for its landmarks after hosting: it keeps the page's
    own and the hosted ones (and the covering wrappers). Its note lists them; it must list
    what the query finds on the finished page, in document order."""
    page = run(html, rules_yaml)
    expected = ", ".join(f"{role_of(el)}={el.get('aria-label') or el.tag}"
                         for el in ALL_LANDMARKS(page.tree))
    assert page.notes == [f"landmarks: {expected}"]


def test_control_count_is_what_the_count_query_counts():
    root = parse_html(
        '<html><body><form id="f"><input type="hidden" name="a"><input name="b">'
        '<input type="HIDDEN"><div><select><option>x</select><textarea></textarea>'
        '<input type="text"></div></form><div id="none"><p>text</p></div></body></html>')
    query = etree.XPath("count(.//input[not(@type='hidden')] | .//select | .//textarea)")
    for el in root.iter():
        assert control_count(el) == int(query(el)), el.tag
    assert control_count(root.get_element_by_id("f")) == 5
