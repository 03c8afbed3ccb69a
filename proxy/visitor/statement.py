"""`/_a11y/statement`: the accessibility statement of one site, in Chinese and English.

Written from what is really in force, never from claims: the site's name and who runs the
barrier-free mode (`statement:` in config.yaml, `name:` of a site), where to report a problem
(a feedback link, `mailto:` or a URL: we keep no form and store nothing), the date of the rules
in force (their `updated:`, else the rule file's modification time), the pipeline steps that
run for this host (`SiteRules.enabled` over the pipeline's transforms, so a `disable:` in the
rules shows here), what the site's rules add, and what the mode cannot do. It never calls a
site conformant.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from html import escape
from pathlib import Path
from urllib.parse import quote

from proxy.pipeline import Transform
from proxy.settings import WEB_OR_MAIL, Origin, Statement
from proxy.siterules.model import SiteRules
from proxy.visitor.pages import render_page
from proxy.visitor.prefs import Preferences
from proxy.visitor.toolbar import template

#: what each pipeline step does for a visitor (Chinese, English); keyed by Transform.name
STEPS: dict[str, tuple[str, str]] = {
    "fix_encoding": ("识别网页的真实编码，统一转为 UTF-8，避免乱码",
                     "finds the page's real character encoding and serves it as UTF-8"),
    "includes": ("在服务器上取回原来由脚本加载的内容（如菜单）",
                 "fetches on the server what scripts used to load (menus)"),
    "actions": ("按本站规则删除或修改页面中的部分内容",
                "removes or changes parts of pages as this site's rules say"),
    "script_writes": ("把页头、页脚脚本写出的内容直接写进页面",
                      "writes into the page what header and footer scripts would write"),
    "reveal": ("显示原来要靠脚本才显示的内容：选项卡的每一栏、轮播的每一张、下拉菜单",
               "shows what scripts would reveal: every tab panel, every slide, hover menus"),
    "site_toolbar": ("去掉网站原有的脚本式无障碍工具条",
                     "removes the site's own script-based accessibility toolbar"),
    "captcha": ("验证码图片放大一倍，并提供刷新链接",
                "shows verification-code images twice as large, with a reload link"),
    "script_slots": ("去掉脚本没有填上的空白项（如“浏览次数：”）",
                     "removes labels whose value a script used to fill (view counters)"),
    "script_dates": ("把脚本写出的日期直接显示为文字", "shows dates that scripts used to write"),
    "strip_scripts": ("不运行原网站的任何脚本", "runs none of the site's scripts"),
    "rewrite_urls": ("让链接留在无障碍模式中", "keeps links inside the barrier-free mode"),
    "landmarks": ("标出页头、导航、正文、页脚等区域，并加上“跳到主要内容”链接",
                  "marks banner, navigation, main content and footer, with a skip link"),
    "semantics.language": ("标明页面语言", "declares the page's language"),
    "semantics.headings": ("补上标题结构", "repairs the heading structure"),
    "semantics.document": ("补上页面标题等文档信息", "repairs the page title and document facts"),
    "semantics.lists": ("把排成列表的内容标为列表", "marks lists that look like lists"),
    "semantics.images": ("装饰图片对读屏软件隐藏；已知含义的图片加上文字说明",
                         "hides decorative images from screen readers; names known images"),
    "semantics.prompts": ("把输入框里的提示文字变成可读的提示",
                          "turns placeholder text into hints"),
    "semantics.forms": ("给表单输入框加上标签", "gives form fields labels"),
    "semantics.links": ("给只有图片或没有文字的链接加上名称", "names links without text"),
    "semantics.tables": ("区分数据表格和排版表格", "tells data tables from layout tables"),
    "semantics.aria": ("修正错误的 ARIA 属性", "repairs wrong ARIA attributes"),
    "enlarge_fonts": ("把固定像素字号改写为可放大的字号",
                      "rewrites fixed pixel font sizes so text grows"),
    "contrast_floor": ("把对比度不足的文字颜色调到至少 4.5:1",
                       "raises text colour contrast to at least 4.5:1"),
    "reading_views": ("提供纯文本和阅读模式", "offers text-only and reading views"),
    "keep_together": ("日期和短语不在中间断行", "keeps dates and short phrases on one line"),
    "reflow": ("在手机上把页面排成一栏，表格可在自身区域内横向滚动",
               "lays pages out in one column on phones; data tables scroll on their own"),
    "chinese_script": ("按需要把文字转为繁体或简体", "converts text to traditional or simplified"),
    "pinyin": ("按需要为汉字加注拼音", "adds pinyin above Chinese characters on request"),
    "listen_links": ("阅读模式中每段可单独朗读",
                     "offers listening to each paragraph in reading view"),
    "preferences": ("加入无障碍工具栏：字号、配色、行距、大鼠标等",
                    "adds our toolbar: text size, colours, spacing, large pointer"),
}
#: steps that only do something when the site's rules give them work
RULE_DRIVEN = {"includes": "include", "actions": "actions"}
LIMITS = (
    ("只在图片确有说明来源时才加文字说明，不会编造图片内容。",
     "Images are named only from a real source; their content is never invented."),
    ("图片中的文字、扫描的 PDF、视频和音频无法转换。",
     "Text inside images, scanned PDFs, video and audio cannot be converted."),
    ("依靠脚本的功能（搜索联想、脚本生成的菜单等）只显示其原有内容，不能操作。",
     "Features that need scripts (search suggestions, script-built menus) show as their markup."),
    ("本服务不能代替网站本身的改造；本页说明的是本服务所做的修改，不是对网站的评估或认证。",
     "This service is no substitute for fixing the site itself. This page says what the service "
     "changes; it is not an audit or a certification of the site."),
)


@dataclass(frozen=True)
class Facts:
    """Everything the statement says about one site, gathered from configuration and rules."""

    site_name: str
    operator: str | None
    contact: str | None
    rules_name: str
    rules_date: str | None  #: YYYY-MM-DD of the rule file in force, None for built-in rules
    steps: tuple[str, ...]  #: Transform.name of the steps that run for this host, in order
    disabled: tuple[str, ...]  #: switch names the site's rules turn off
    rule_work: tuple[tuple[str, str], ...]  #: (Chinese, English) lines about the site's rules


def rules_date(rules: SiteRules, rules_dir: str) -> str | None:
    """The rules' `updated:` date, else the modification date (UTC) of the site's rule file,
    else of default.yaml, else None."""
    if rules.updated:
        return rules.updated
    for candidate in (rules.source, str(Path(rules_dir) / "default.yaml")):
        if candidate and Path(candidate).is_file():
            stamp = Path(candidate).stat().st_mtime
            return datetime.fromtimestamp(stamp, UTC).strftime("%Y-%m-%d")
    return None


def _rule_work(rules: SiteRules) -> tuple[tuple[str, str], ...]:
    lines = []
    if rules.landmarks:
        roles = ", ".join(sorted(rules.landmarks))
        lines.append((f"本站规则指定了页面区域（{roles}）", f"page regions set by rules: {roles}"))
    if rules.heading is not None:
        lines.append(("本站规则指定了文章标题", "the article title is set by rules"))
    if rules.alt:
        lines.append((f"{len(rules.alt)} 类图片的文字说明由本站规则给出",
                      f"image names given by rules: {len(rules.alt)}"))
    if rules.labels:
        lines.append((f"{len(rules.labels)} 个输入框的标签由本站规则给出",
                      f"field labels given by rules: {len(rules.labels)}"))
    if rules.include:
        lines.append((f"{len(rules.include)} 处原由脚本加载的内容在服务器上取回",
                      f"parts once loaded by scripts, fetched: {len(rules.include)}"))
    if rules.remove or rules.actions:
        count = len(rules.remove) + len(rules.actions)
        lines.append((f"{count} 条规则删除或修改页面内容",
                      f"rules that remove or change content: {count}"))
    if rules.reading_mode is not None:
        lines.append(("阅读模式的正文区域由本站规则指定",
                      "the reading view's content is set by rules"))
    return tuple(lines)


def gather_facts(statement: Statement, origin: Origin | None, rules: SiteRules, rules_dir: str,
                 transforms: Iterable[Transform]) -> Facts:
    steps = []
    for step in transforms:
        if step.switchable and not rules.enabled(step.switch_name):
            continue
        if step.name in RULE_DRIVEN and not getattr(rules, RULE_DRIVEN[step.name]) and not (
                step.name == "actions" and rules.remove):
            continue
        steps.append(step.name)
    contact = statement.contact if (statement.contact or "").startswith(WEB_OR_MAIL) else None
    name = (origin.name if origin else None) or (origin.host if origin else "") or rules.name
    return Facts(site_name=name, operator=statement.operator, contact=contact,
                 rules_name=rules.name, rules_date=rules_date(rules, rules_dir),
                 steps=tuple(steps), disabled=tuple(sorted(rules.disable)),
                 rule_work=_rule_work(rules))


def _items(pairs: Iterable[tuple[str, str]], index: int) -> str:
    return "\n".join(f"<li>{escape(pair[index], quote=False)}</li>" for pair in pairs)


def statement_page(facts: Facts, prefs: Preferences, prefix: str, next_path: str) -> str:
    steps = [STEPS.get(name, (name, name)) for name in facts.steps]
    off = [(f"本站规则关闭了：{name}", f"turned off by this site's rules: {name}")
           for name in facts.disabled]
    if facts.contact:
        href = escape(facts.contact)
        contact_zh = f'<a href="{href}">报告无障碍问题</a>（{escape(facts.contact)}）'
        contact_en = f'<a href="{href}">Report an accessibility problem</a>'
    else:
        contact_zh = "本站尚未配置反馈方式，请通过网站主办单位联系。"
        contact_en = "No feedback address is configured yet; please contact the site's owner."
    unknown_zh, unknown_en = "（未配置）", "(not configured)"
    content = template("statement.html").substitute(
        site=escape(facts.site_name), operator_zh=escape(facts.operator or unknown_zh),
        operator_en=escape(facts.operator or unknown_en), contact_zh=contact_zh,
        contact_en=contact_en, rules=escape(facts.rules_name),
        date_zh=escape(facts.rules_date or "内置默认规则"),
        date_en=escape(facts.rules_date or "built-in default rules"),
        steps_zh=_items(steps, 0), steps_en=_items(steps, 1),
        rule_work_zh=_items(facts.rule_work, 0) or "<li>无（只用通用规则）</li>",
        rule_work_en=_items(facts.rule_work, 1) or "<li>none (general rules only)</li>",
        limits_zh=_items(LIMITS + tuple(off), 0), limits_en=_items(LIMITS + tuple(off), 1),
        prefix=prefix, next=escape(next_path), next_q=escape(quote(next_path, safe="/")))
    self_path = f"{prefix}statement?next={quote(next_path, safe='/')}"
    return render_page("无障碍声明 Accessibility statement", content, prefs, prefix, self_path)
