"""OpenCC conversion: phrase-level, regional variants, and joined calls equal to single calls."""

from __future__ import annotations

import opencc

from proxy.reading.script_convert import TARGETS, convert, lang_tag


def test_phrase_level_and_regional_variants():
    assert convert(["头发", "发展"], "traditional") == ["頭髮", "發展"]
    assert convert(["软件", "鼠标"], "tw") == ["軟體", "滑鼠"]
    assert convert(["頭髮", "漢字"], "simplified") == ["头发", "汉字"]
    assert lang_tag("traditional") == "zh-Hant" and lang_tag("simplified") == "zh-Hans"


def test_one_call_for_many_texts_equals_one_call_each():
    texts = ["头", "发展", "", "  ", "后来的皇后", "面条", "干部 干净", "a\nb"]
    for target, (config, _) in TARGETS.items():
        own = opencc.OpenCC(config)
        assert convert(texts, target) == [own.convert(t) for t in texts]
    assert convert([], "traditional") == []
