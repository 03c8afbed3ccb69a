"""Host routing and the origin-URL -> proxy-URL mapping (virtual hosting included)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from proxy import routing
from proxy.routing import Router, split_host
from proxy.settings import Origin

DEFAULT = Origin("http://127.0.0.1:8001", (), ("www.site.gov.cn", "site.gov.cn"))
COUNTY = Origin("https://www.county.gov.cn", ("county.a11y.org",), ("county.gov.cn",))
ROUTER = Router((COUNTY, DEFAULT))


@pytest.mark.parametrize(("host", "expected"), [
    ("county.a11y.org", COUNTY), ("COUNTY.a11y.org:8080", COUNTY), ("anything.else", DEFAULT),
], ids=["exact", "case-and-port", "default"])
def test_origin_for_host(host, expected):
    assert ROUTER.origin_for(host) is expected


def test_without_a_default_unknown_hosts_get_no_origin():
    assert Router((COUNTY,)).origin_for("evil.example") is None


@pytest.mark.parametrize(("url", "expected"), [
    ("http://www.site.gov.cn/a?b=1#c", "/a?b=1#c"),
    ("//www.site.gov.cn/tzb/", "/tzb/"),
    ("https://site.gov.cn", "/"),
    ("http://127.0.0.1:8001/x", "/x"),
    ("http://127.0.0.1:9999/x", None),  # same host, other port: another service
    ("http://www.county.gov.cn/y", "//county.a11y.org:8080/y"),
    ("http://www.gov.cn/", None),
    ("relative/path", None),
    ("/rooted", None),
    ("javascript:alert(1)", None),
    ("http://[::1:bad/", None),
], ids=lambda v: str(v))
def test_to_proxy(url, expected):
    assert ROUTER.mapper(DEFAULT, "proxy.local:8080").to_proxy(url) == expected


@pytest.mark.parametrize(("header", "expected"), [
    ("Example.ORG:80", ("example.org", ":80")), ("[::1]:8080", ("[::1]", ":8080")),
    ("plain", ("plain", "")),
], ids=["port", "ipv6", "bare"])
def test_split_host(header, expected):
    assert split_host(header) == expected


def test_origins_are_split_once_per_router():
    router = Router((COUNTY, DEFAULT))
    assert router._own_addresses == ((COUNTY, "www.county.gov.cn", 443),
                                     (DEFAULT, "127.0.0.1", 8001))
    assert router.target("www.county.gov.cn", None) is COUNTY
    assert router.target("127.0.0.1", 9999) is None


def test_memo_is_shared_by_mappers_and_keeps_their_own_origin_and_port():
    router = Router((COUNTY, DEFAULT))
    url = "http://www.county.gov.cn/y"
    assert router.mapper(DEFAULT, "proxy.local:8080").to_proxy(url) == "//county.a11y.org:8080/y"
    assert url in router._located  # the second mapper's answer comes from the memo
    assert router.mapper(DEFAULT, "proxy.local").to_proxy(url) == "//county.a11y.org/y"
    assert router.mapper(COUNTY, "county.a11y.org").to_proxy(url) == "/y"


def test_memo_stays_bounded(monkeypatch):
    monkeypatch.setattr(routing, "MEMO_URLS", 3)
    router = Router((DEFAULT,))
    mapper = router.mapper(DEFAULT, "proxy.local")
    for n in range(10):
        assert mapper.to_proxy(f"http://www.site.gov.cn/{n}") == f"/{n}"
        assert len(router._located) <= 3
    long_url = "http://www.site.gov.cn/" + "x" * routing.MEMO_URL_CHARS
    assert mapper.to_proxy(long_url) == long_url[len("http://www.site.gov.cn"):]
    assert long_url not in router._located  # a page's huge URL is not kept


def _mapper_without_the_shortcut(router: Router, origin: Origin, host: str):
    """A mapper of a fresh Router (empty memo) whose substring shortcut is off, as it is when a
    name is not ASCII (`_names` None): every absolute URL goes through urlsplit."""
    plain = Router(router.origins)
    plain.__dict__["_names"] = None  # the cached_property's slot
    assert plain.mentions_an_origin("http://elsewhere.example/")
    return plain.mapper(origin, host)


#: hosts as pages write them: the origins' names in any case, with a tab, CR or LF inside
#: (urlsplit deletes those), next to look-alikes (Kelvin sign and dotted capital I lowercase to
#: ASCII letters or near them; sigma lowercases by context)
_HOSTS = st.builds(
    lambda name, upper, cut, junk: (
        name[:cut] + junk + name[cut:]).upper() if upper else name[:cut] + junk + name[cut:],
    st.sampled_from(["www.site.gov.cn", "site.gov.cn", "www.county.gov.cn", "county.gov.cn",
                     "127.0.0.1", "www.gov.cn", "\u212aite.gov.cn", "s\u0130te.gov.cn",
                     "\u03a3ite.gov.cn"]),
    st.booleans(), st.integers(0, 15), st.sampled_from(["", "", "\t", "\n", "\r", "x"]))
_URLS = st.builds(
    lambda scheme, user, host, port, path: f"{scheme}{user}{host}{port}{path}",
    st.sampled_from(["http://", "HTTPS://", "//", " http://", "ftp://", ""]),
    st.sampled_from(["", "", "user@", "a:b@"]), _HOSTS,
    st.sampled_from(["", "", ":8001", ":443", ":x", ":99999"]),
    st.sampled_from(["", "/", "/a?b#c", "#f", "/[x]"]))


@settings(max_examples=500, deadline=None)
@given(_URLS)
def test_the_substring_shortcut_never_misses_an_origin(url):
    router = Router((COUNTY, DEFAULT))
    mapper = router.mapper(DEFAULT, "proxy.local:8080")
    plain = _mapper_without_the_shortcut(router, DEFAULT, "proxy.local:8080")
    assert mapper.to_proxy(url) == plain.to_proxy(url)


def test_a_non_ascii_name_turns_the_shortcut_off():
    router = Router((Origin("http://b\u00fccher.example"),))
    assert router._names is None
    assert router.mentions_an_origin("http://elsewhere.example/")


@pytest.mark.parametrize(("text", "expected"), [
    ("a { background: url(http://www.gov.cn/x.png) }", False),
    ("a { background: url(//WWW.SITE.GOV.CN/x.png) }", True),
    ("a {\n background: url(http://www.si\nte.gov.cn/x.png) }", True),  # urlsplit drops \n
    ("a { background: url(http://\u212aounty.gov.cn/x.png) }", True),  # Kelvin sign: k
], ids=["other-site", "upper-case", "newline-inside", "kelvin-sign"])
def test_mentions_an_origin(text, expected):
    router = Router((Origin("http://kounty.gov.cn"), COUNTY, DEFAULT))
    assert router.mentions_an_origin(text) is expected


def test_memo_keeps_no_lxml_result_strings():
    from lxml import etree
    tree = etree.fromstring('<a href="http://www.site.gov.cn/x"/>')
    found = tree.xpath("//@href")[0]
    router = Router((DEFAULT,))
    assert router.mapper(DEFAULT, "proxy.local").to_proxy(found) == "/x"
    assert not router._located  # it holds a reference to its tree
