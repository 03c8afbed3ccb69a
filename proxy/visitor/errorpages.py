"""Clear, accessible pages for what went wrong: Chinese first, English second, never a traceback.

Everything taken from the request is escaped; the page carries `lang`, a `<title>`, a `<main>`
and a link to the original URL, so a screen-reader user knows what happened and where to go.
"""

from __future__ import annotations

from html import escape

from aiohttp import web

from proxy.http.headers import CSP

#: status -> (Chinese title, Chinese explanation, English title, English explanation)
MESSAGES = {
    400: ("请求无效", "这个地址无法通过无障碍服务打开。", "Bad request",
          "This address cannot be opened through the barrier-free service."),
    404: ("找不到页面", "无障碍服务没有这个页面。", "Not found",
          "The barrier-free service has no page at this address."),
    408: ("提交太慢", "您的内容发送得太慢，连接已中断，没有发送给网站。", "Too slow",
          "What you sent arrived too slowly; it was not passed on to the site."),
    413: ("提交的内容太大", "您提交的内容超过了允许的大小，没有发送给网站。", "Too large",
          "What you sent is larger than allowed; it was not passed on to the site."),
    414: ("网址太长", "这个网址太长，无障碍服务无法打开。请检查网址，或从网站首页进入。",
          "Address too long", "This address is too long for the barrier-free service. Check "
          "it, or start again from the site's home page."),
    421: ("未配置的网站", "本服务不为这个网站提供无障碍浏览。", "Unknown site",
          "This service does not provide a barrier-free mode for this site."),
    429: ("连接太多", "您同时打开的连接太多，请稍后再试。", "Too many connections",
          "You have too many connections open at once. Please try again shortly."),
    431: ("请求信息太多", "您的浏览器随请求发送的信息（例如 Cookie）太多，无法处理。"
          "请清除这个网站的 Cookie 后再试。", "Request headers too large",
          "Your browser sent too much information with the request (cookies, for example). "
          "Clear this site's cookies and try again."),
    502: ("网站暂时无法访问", "原网站没有正常回应。请稍后再试。", "The site is not answering",
          "The original site did not give a valid answer. Please try again later."),
    503: ("服务繁忙", "无障碍服务现在太忙，请稍后再试。", "Busy",
          "The barrier-free service is too busy right now. Please try again shortly."),
    504: ("网站响应超时", "原网站回应太慢。请稍后再试。", "The site took too long",
          "The original site took too long to answer. Please try again later."),
}
POST_NOT_SENT = ("您提交的内容没有送达网站，请稍后重新提交。",
                 "What you submitted did not reach the site. Please submit it again later.")


def error_page(status: int, *, original_url: str | None = None, detail: str | None = None,
               method: str = "GET") -> web.Response:
    zh_title, zh_text, en_title, en_text = MESSAGES.get(status, MESSAGES[502])
    extra_zh, extra_en = POST_NOT_SENT if method not in ("GET", "HEAD") and status >= 500 \
        else ("", "")
    link = ""
    if original_url and original_url.startswith(("http://", "https://")):
        href = escape(original_url, quote=True)
        link = (f'<p><a href="{href}">打开原网站的这个页面 / Open this page on the original '
                f"site</a></p>")
    detail_html = f"<p><small>{escape(detail)}</small></p>" if detail else ""
    html = f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{status} {zh_title} - {en_title}</title>
<style>body{{font:20px/1.6 sans-serif;max-width:40em;margin:2em auto;padding:0 1em;
color:#111;background:#fff}}a{{color:#0645ad}}a:focus{{outline:3px solid #000}}</style>
</head><body><main>
<h1>{zh_title}</h1><p>{zh_text} {extra_zh}</p>
<section lang="en"><h2>{en_title}</h2><p>{en_text} {extra_en}</p></section>
{detail_html}{link}<p><a href="/">返回首页 / Home</a></p>
</main></body></html>"""
    return web.Response(status=status, text=html, content_type="text/html", charset="utf-8",
                        headers={"Content-Security-Policy": CSP,
                                 "X-Content-Type-Options": "nosniff",
                                 "Cache-Control": "no-store"})
