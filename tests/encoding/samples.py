"""Texts of the encoding tests, long enough for the plausibility checks of real pages."""

from __future__ import annotations

#: Simplified Chinese, the demo's seed article (GB2312 characters only)
ZH = ("新的社会阶层人士统战工作：大胆创新、积极探索，成效显著。近年来，常州市委统战部坚持"
      "把新的社会阶层人士统战工作作为重要任务，搭建平台，凝聚共识。")
#: Traditional Chinese (Big5)
ZH_HANT = ("新的社會階層人士統戰工作：大膽創新、積極探索，成效顯著。近年來，常州市委統戰部堅持"
           "把新的社會階層人士統戰工作作為重要任務，搭建平台，凝聚共識。")
#: Japanese (Shift_JIS)
JA = ("日本語のテキストです。東京都の天気は晴れでしょう。明日は雨が降るかもしれませんので、"
      "傘を持って出かけてください。")
#: characters only GB18030 has (CJK Ext A, Ext B) and the GBK euro at byte 0x80
GB18030_ONLY = "䶮𠮷"
EURO = "€"


def page(body: str, head: str = "", title: str = "测试页面") -> str:
    return (f"<!DOCTYPE html><html><head>{head}<title>{title}</title></head>"
            f"<body><h1>{title}</h1><p id='text'>{body}</p></body></html>")


def meta(charset: str) -> str:
    return f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">'
