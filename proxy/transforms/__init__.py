"""The pipeline's one order. Each transform does one job; this tuple is the only place the
order lives (mitmproxy's `default_addons()`), and each step runs isolated: a step that fails is
logged and skipped alone (proxy/pipeline.py), except script removal, which is critical."""

from __future__ import annotations

from proxy.pipeline import Pipeline, Transform
from proxy.transforms.captcha import Captcha
from proxy.transforms.chinese_script import ChineseScript
from proxy.transforms.contrast_floor import ContrastFloor
from proxy.transforms.enlarge_fonts import EnlargeFonts
from proxy.transforms.fix_encoding import FixEncoding
from proxy.transforms.includes import Includes
from proxy.transforms.keep_together import KeepTogether
from proxy.transforms.landmarks.mark import Landmarks
from proxy.transforms.listen_links import ListenLinks
from proxy.transforms.our_toolbar import OurToolbar
from proxy.transforms.pinyin_ruby import PinyinRuby
from proxy.transforms.reading_views import ReadingViews
from proxy.transforms.reflow import Reflow
from proxy.transforms.reveal import Reveal
from proxy.transforms.rewrite_urls import RewriteUrls
from proxy.transforms.rule_actions import RuleActions
from proxy.transforms.scripts.dates import ScriptDates
from proxy.transforms.scripts.emptied import EmptiedSlots
from proxy.transforms.scripts.strip import StripScripts
from proxy.transforms.scripts.written import ScriptWrites
from proxy.transforms.semantics.aria import Aria
from proxy.transforms.semantics.document import Document
from proxy.transforms.semantics.forms import Forms
from proxy.transforms.semantics.headings import Headings
from proxy.transforms.semantics.images import Images
from proxy.transforms.semantics.language import Language
from proxy.transforms.semantics.links import Links
from proxy.transforms.semantics.lists import Lists
from proxy.transforms.semantics.prompts import Prompts
from proxy.transforms.semantics.tables import Tables
from proxy.transforms.site_toolbar import SiteToolbar


def default_transforms() -> tuple[Transform, ...]:
    return (
        FixEncoding(),  # first: <meta charset>, forms answer in the origin's charset
        Includes(),  # what scripts loaded, fetched on the server, so later steps see it
        ScriptWrites(),  # what scripts wrote for certain (header.js), before rules see the page
        RuleActions(),  # the site file's remove + actions, before any heuristic
        SiteToolbar(),  # the site's own toolbar out, while its markup is still recognisable
        Reveal(),  # what scripts would reveal (tabs, pre-hidden body), before they go
        ScriptDates(),  # a date line a script wrote, rendered before the scripts go
        Captcha(),  # CAPTCHA images 2x; a refresh link where a script refreshed them
        EmptiedSlots(),  # a label whose value a script wrote goes with its empty slot
        StripScripts(),  # critical: no origin script survives
        RewriteUrls(),  # origin URLs point at the proxy
        Landmarks(),  # banner, navigation, main, contentinfo
        # semantic repairs, each its own step (`disable: [semantics]` switches all of them);
        # headings need the landmarks (a hidden h1 goes at the start of main)
        Language(),
        Headings(),
        Document(),
        Lists(),
        Images(),
        Prompts(),  # before Forms: a placeholder can name a field
        Forms(),
        Links(),
        Tables(),
        Aria(),
        EnlargeFonts(),  # the text step, after every repair that inserts text
        ContrastFloor(),  # site colours >= 4.5:1 in the default scheme; reads EnlargeFonts' CSS
        ReadingViews(),  # text-only / reading view of the repaired page
        KeepTogether(),  # dates and short link phrases never break inside
        Reflow(),  # phones: a viewport, one column below 640 px, data tables scroll alone
        # reading aids, in finish: on the text the visitor will see, after every step that
        # inserts text; 简/繁 first, so pinyin reads the characters shown
        ChineseScript(),
        PinyinRuby(),
        ListenLinks(),  # reading view: one audio link per paragraph (not annotated: ours)
        OurToolbar(),  # last: inserts our toolbar and preference styles in finish
    )


def default_pipeline() -> Pipeline:
    return Pipeline(default_transforms())
