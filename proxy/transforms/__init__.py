"""The pipeline's one order. Each transform does one job; this tuple is the only place the
order lives (mitmproxy's `default_addons()`)."""

from __future__ import annotations

from ..pipeline import Pipeline, Transform
from .contrast_floor import ContrastFloor
from .enlarge_fonts import EnlargeFonts
from .fix_encoding import FixEncoding
from .includes import Includes
from .landmarks import Landmarks
from .our_toolbar import OurToolbar
from .reading_views import ReadingViews
from .rewrite_urls import RewriteUrls
from .rule_actions import RuleActions
from .script_dates import ScriptDates
from .semantics import Semantics
from .site_toolbar import SiteToolbar
from .strip_scripts import StripScripts


def default_transforms() -> tuple[Transform, ...]:
    return (
        FixEncoding(),  # 1 encoding (first: meta charset, forms back in the origin's charset)
        Includes(),  # 2 scripts
        RuleActions(),  # 3 rules: the site file's remove + actions
        SiteToolbar(),  # 4 toolbar
        ScriptDates(),  # 4b scripts: a header's date line written here, before removal
        StripScripts(),  # 5 scripts (critical)
        RewriteUrls(),
        Landmarks(),  # 7 landmarks
        Semantics(),  # 8 landmarks
        EnlargeFonts(),  # 9 fonts
        ContrastFloor(),  # 9b contrast: site colours >= 4.5:1 in the default scheme
        ReadingViews(),  # 10 toolbar
        OurToolbar(),  # 11 toolbar (last: inserts in finish)
    )


def default_pipeline() -> Pipeline:
    return Pipeline(default_transforms())
