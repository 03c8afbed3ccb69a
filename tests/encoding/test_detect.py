"""The decoder on real files with known true encodings, and its rules in isolation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from proxy.encoding import detect as encoding
from proxy.encoding import mojibake
from proxy.encoding.detect import (
    charset_from_content_type,
    decode_html,
    decode_text_resource,
    form_charset,
    normalize_label,
)
from tests.conftest import SHARED
from tests.encoding.samples import ZH

DATA = Path(__file__).parents[1] / "data" / "encoding"
PAGES = SHARED / "corpus" / "pages"
#: chardet directory name -> the codec its bytes are really in
TRUE_CODECS = {"ascii": "ascii", "iso-8859-5-russian": "iso8859-5",
               "iso-8859-6-arabic": "iso8859-6", "iso-8859-7-greek": "iso8859-7",
               "windows-1251-russian": "cp1251", "windows-1254-turkish": "cp1254",
               "windows-1255-hebrew": "cp1255", "windows-1256-arabic": "cp1256"}
#: files no decoder can get right: EUC-TW has no codec in Python; 4 kana that are just as
#: plausible (and strictly valid) as Big5
UNDECIDABLE = {"EUC-TW/_ude_euc-tw1.txt": "no EUC-TW codec",
               "no-declaration-html/EUC-JP___mozilla_bug431054_text.html":
                   "39 bytes: ログイン decodes as plausible Big5 too"}
CHARDET = json.loads((DATA / "chardet" / "labels.json").read_text())["files"]


def true_text(data: bytes, label: str) -> str:
    codec = TRUE_CODECS.get(label) or normalize_label(label)
    return data.decode(codec)


@pytest.mark.parametrize("entry", CHARDET, ids=[e["file"] for e in CHARDET])
def test_chardet_files_decode_to_their_true_encoding(entry: dict):
    if entry["file"] in UNDECIDABLE:
        pytest.xfail(UNDECIDABLE[entry["file"]])
    data = (DATA / "chardet" / entry["file"]).read_bytes()
    decoded = decode_html(data)
    expected = true_text(data, entry["true_encoding"])
    assert decoded.text == expected.lstrip("\ufeff"), decoded.evidence


JSOUP = {"bom_utf16be.html": "utf-16-be", "bom_utf16le.html": "utf-16-le",
         "bom_utf32be.html": "utf-32-be", "bom_utf32le.html": "utf-32-le",
         "bom_utf8.html": "utf-8", "meta-charset-1.html": "gb18030",
         "meta-charset-2.html": "gb18030", "meta-charset-3.html": "utf-8"}


@pytest.mark.parametrize(("name", "codec"), JSOUP.items(), ids=list(JSOUP))
def test_jsoup_files(name: str, codec: str):
    assert decode_html((DATA / "jsoup" / name).read_bytes()).encoding == codec


def _corpus() -> list[dict]:
    index = PAGES / "index.json"
    return json.loads(index.read_text())["pages"] if index.exists() else []


@pytest.mark.parametrize("entry", _corpus(), ids=[p["file"] for p in _corpus()])
def test_corpus_pages_decode_to_their_known_encoding(entry: dict):
    data = (PAGES / entry["file"]).read_bytes()
    decoded = decode_html(data)
    guess = entry["true_encoding_guess"]
    if guess == "ascii":
        assert decoded.text == data.decode("ascii")
    else:
        assert decoded.encoding == normalize_label(guess), decoded.evidence
        # "mostly valid UTF-8" pages lose only their few broken bytes, never the page
        assert decoded.text.count("\ufffd") <= data.count("\ufffd".encode()) + 4


@pytest.mark.parametrize(("label", "codec"), [
    ("gb2312", "gb18030"), ("GBK", "gb18030"), ("x-gbk", "gb18030"), ("gb18030", "gb18030"),
    ("big5", "big5hkscs"), ("x-sjis", "cp932"), ("iso-8859-1", "cp1252"), ("utf8", "utf-8"),
    ("'GB2312'", "gb18030"), ("no-such", None), ("", None), ("iso-2022-kr", None),
], ids=lambda v: repr(v))
def test_normalize_label(label: str, codec: str | None):
    assert normalize_label(label) == codec


def test_charset_from_content_type():
    assert charset_from_content_type('text/html; Charset="GB2312"') == "GB2312"
    assert charset_from_content_type("text/html") is None


def test_form_charset_is_only_for_legacy_pages():
    assert form_charset("gb18030") == "gbk"
    assert form_charset("utf-8") is None


def test_override_beats_a_lying_header():
    data = ZH.encode("gbk")
    assert decode_html(data, "text/html; charset=big5", "gb18030").text == ZH


def test_ascii_page_keeps_its_label_for_forms():
    assert decode_html(b"<meta charset=gb2312><p>hi</p>").encoding == "gb18030"


def test_css_charset_rule_is_dropped_and_bom_wins():
    css = b"\xef\xbb\xbf@charset \"gbk\";\np{content:\"" + "提示".encode() + b"\"}"
    decoded = decode_text_resource(css, "text/css")
    assert decoded.text == 'p{content:"提示"}'
    assert decoded.encoding == "utf-8"


@pytest.mark.parametrize("data", [b"", b"\xff" * 10, bytes(range(256)) * 3, b"\x00\x81" * 50],
                         ids=["empty", "ff", "all-bytes", "nul-pairs"])
def test_garbage_never_raises(data: bytes):
    assert isinstance(decode_html(data, "text/html; charset=utf-16").text, str)


@pytest.mark.parametrize("body", ["通知".encode() * 40, "𠮷".encode() * 70, b"\xed\xa0\x80" * 70,
                                  b"\xf0\x9f\x98" * 70, "é".encode() * 100, b"a\xff" * 90])
def test_extra_utf8_bytes_bound_the_non_ascii_characters_short_label_counts(body: bytes):
    # _short_utf8_label skips its count when the bytes outnumber the characters by
    # 3 * SHORT_UTF8_CHARS: sound only while no character takes more than 3 extra bytes
    text = body.decode("utf-8", "replace")
    non_ascii = len(text) - len(text.encode("ascii", "ignore"))
    assert len(body) - len(text) <= 3 * non_ascii


#: UTF-8 bodies the text is the whole, unreplaced reading of (plain, GBK mojibake, Latin one)
WHOLE_UTF8 = ("<p>正常的中文</p>".encode(), "文章".encode().decode("gbk").encode(), "Ã©té".encode())


@pytest.mark.parametrize("body", [*WHOLE_UTF8, b"\xef\xbb\xbf<p>\xc3\xa9</p>",
                                  "<p>锟斤拷\ufffd</p>".encode(), b"<p>\xe6\x96\x87\xff</p>" * 20])
def test_decoding_hands_the_body_to_the_repair_only_when_it_is_the_texts_utf8(body, monkeypatch):
    handed = []

    def spy(text: str, utf8: bytes | None = None) -> tuple[str, list[str]]:
        assert utf8 is None or utf8 == text.encode("utf-8", "surrogatepass")
        handed.append(utf8 is not None)
        assert mojibake.repair_mojibake(text, utf8) == mojibake.repair_mojibake(text)
        return mojibake.repair_mojibake(text, utf8)
    monkeypatch.setattr(encoding, "repair_mojibake", spy)
    decode_html(body, "text/html; charset=utf-8")
    assert handed == [body in WHOLE_UTF8]
