"""What is read aloud: the content's paragraphs without hidden notes or ours, normalised."""

from __future__ import annotations

import lxml.html
import pytest

from proxy.reading.speech_text import normalise, paragraphs, spoken_text, voice


@pytest.mark.parametrize(("text", "said"), [
    ("2019年9月20日发布", "二零一九年9月20日发布"),
    ("发布日期：2019-09-20", "发布日期：二零一九年9月20日"),
    ("2019/9/2 至今", "二零一九年9月2日 至今"),
    ("增长15%，占12.5％", "增长百分之15，占百分之12.5"),
    ("面积30km²，重5 kg，气温-3℃", "面积30平方公里，重5公斤，气温-3摄氏度"),
    ("详见 http://www.gov.cn/a.html?x=1 或 www.example.org。", "详见 或 。"),
    ("邮箱 tzb@changzhou.gov.cn 联系", "邮箱 联系"),
    ("第3-5条", "第3至5条"),
    ("  多  空\n格 ", "多 空 格"),
])
def test_normalise(text, said):
    assert normalise(text) == said


def test_paragraphs_are_innermost_blocks_with_text_to_hear():
    main = lxml.html.fromstring(
        '<main><h1>标题<span class="a11y-visually-hidden">只给读屏</span></h1>'
        '<div><p>一段<ruby>银<rt aria-hidden="true">yín</rt></ruby>'
        '<a class="a11y-speak" href="#">朗读第 1 段</a></p><p> </p>'
        '<ul><li>甲</li></ul></div><div>直接的文字</div><div hidden><p>藏</p></div>'
        '<p aria-hidden="true">不读</p><nav id="a11y-toolbar"><p>工具栏</p></nav>'
        '<p>有<script>x()</script>脚本</p></main>')
    assert [spoken_text(p) for p in paragraphs(main)] == \
        ["标题", "一段银", "甲", "直接的文字", "有脚本"]


def test_a_block_without_inner_blocks_is_itself_the_paragraph():
    main = lxml.html.fromstring("<main>只有文字<br>两行</main>")
    assert [spoken_text(p) for p in paragraphs(main)] == ["只有文字 两行"]


def test_voice_by_lang_then_text():
    assert voice("zh-CN", "abc") == "cmn" and voice("en-GB", "中文") == "en"
    assert voice("", "中文") == "cmn" and voice(None, "plain") == "en"
