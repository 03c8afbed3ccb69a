"""The report as one self-contained, accessible HTML file, and the one-screen summary.

No script, no external file: screenshots are embedded as data: URLs with alt text, every table
has a caption and header cells with scope, the document has a language and one h1. Every figure
shown is read from the same dict that is written to report.json.
"""

from __future__ import annotations

import base64
from html import escape
from pathlib import Path
from typing import Any

IMPACTS = ("critical", "serious", "moderate", "minor")
STYLE = """body { font: 1rem/1.6 "Noto Sans CJK SC", sans-serif; color: #1a1a1a;
  background: #fff; margin: 0 auto; max-width: 72em; padding: 0 1em 3em; }
table { border-collapse: collapse; margin: 1em 0; } caption { text-align: left;
  font-weight: bold; padding: 0.3em 0; } th, td { border: 1px solid #1a1a1a;
  padding: 0.25em 0.6em; text-align: left; vertical-align: top; }
td.n { text-align: right; } a { color: #0000cc; }
.shots { display: flex; flex-wrap: wrap; gap: 1em; } figure { margin: 0; }
figure img { display: block; border: 1px solid #1a1a1a; width: 16em; height: auto; }
figure.phone img { width: 8em; }"""
SHOTS = (("original", "The original page", "the page as the site serves it, 1280 px wide"),
         ("barrier-free", "Barrier-free mode", "the page through the proxy, 1280 px wide"),
         ("200", "Barrier-free, text 200 %", "the page through the proxy at the 200 % text step"),
         ("phone", "Barrier-free, phone", "the page through the proxy, 320 px wide"))


def _pages(n: int) -> str:
    return f"{n} page" if n == 1 else f"{n} pages"


def yes_no(value: bool) -> str:
    return "yes" if value else "no"


def page_rows(page: dict) -> list[tuple[str, str, str]]:
    """(figure, original, barrier-free) for one page: the rows of its main table."""
    o, b = page["original"], page["barrier_free"]

    def landmarks(side: dict) -> str:
        return ", ".join(f"{role} {n}" for role, n in side["landmarks"].items()) or "none"

    def font(px: Any) -> str:
        return f"{px:g} px" if isinstance(px, int | float) else "-"

    return [
        ("HTTP status", str(o["status"]), str(b["status"])),
        ("axe violations: rules", str(o["axe"]["rules"]), str(b["axe"]["rules"])),
        ("axe violations: elements", str(o["axe"]["nodes"]), str(b["axe"]["nodes"])),
        *[(f"axe elements, impact {i}", str(o["axe"]["by_impact"].get(i, 0)),
           str(b["axe"]["by_impact"].get(i, 0))) for i in IMPACTS],
        ("visible characters", str(o["visible_chars"]), str(b["visible_chars"])),
        ("share of the original's visible text kept", "-", f"{page['text_kept']:.1%}"),
        ("landmarks", landmarks(o), landmarks(b)),
        ("headings (of them h1)", f"{o['headings']} ({o['h1']})", f"{b['headings']} ({b['h1']})"),
        ("contrast failures (axe color-contrast elements)",
         str(o["axe"]["by_rule"].get("color-contrast", {}).get("nodes", 0)),
         str(b["axe"]["by_rule"].get("color-contrast", {}).get("nodes", 0))),
        ("images without a name", str(o["images_without_name"]), str(b["images_without_name"])),
        ("form fields without a label", str(o["fields_without_label"]),
         str(b["fields_without_label"])),
        ("median font size at 100 %", font(o["font_median_px"]), font(b["font_median_px"])),
        ("median font size at the 200 % step", "-", font(b["font_median_px_200"])),
        ("horizontal scrolling at 320 px", yes_no(o["horizontal_scroll_320"]),
         yes_no(b["horizontal_scroll_320"])),
        ("scripts of the page that ran", str(o["scripts_ran"]), str(b["scripts_ran"])),
        ("the site's own accessibility toolbar", "; ".join(o["site_toolbar"]) or "not found",
         "; ".join(b["site_toolbar"]) or "gone"),
    ]


def _table(caption: str, head: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    th = "".join(f'<th scope="col">{escape(h)}</th>' for h in head)
    body = "\n".join(
        "<tr>" + f'<th scope="row">{escape(r[0])}</th>' +
        "".join(f'<td class="n">{escape(c)}</td>' for c in r[1:]) + "</tr>" for r in rows)
    return (f"<table>\n<caption>{escape(caption)}</caption>\n<thead><tr>{th}</tr></thead>\n"
            f"<tbody>\n{body}\n</tbody>\n</table>")


def _rules_table(n: int, page: dict) -> str:
    before, after = page["original"]["axe"]["by_rule"], page["barrier_free"]["axe"]["by_rule"]
    rows = [(rule, (before.get(rule) or after.get(rule))["impact"] or "-",
             str(before.get(rule, {}).get("nodes", 0)), str(after.get(rule, {}).get("nodes", 0)))
            for rule in sorted(set(before) | set(after))]
    if not rows:
        return "<p>axe found no violation on either side.</p>"
    return _table(f"Page {n}: axe-core violations by rule (elements)",
                  ("rule", "impact", "original", "barrier-free"), rows)


def _shots(n: int, page: dict, out_dir: Path) -> str:
    figures = []
    for key, label, alt in SHOTS:
        path = out_dir / page["screenshots"][key]
        if not path.is_file():
            continue
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        cls = ' class="phone"' if key == "phone" else ""
        figures.append(f'<figure{cls}><img src="data:image/jpeg;base64,{data}" '
                       f'alt="Screenshot of page {n}: {escape(alt)}">'
                       f"<figcaption>{escape(label)}</figcaption></figure>")
    return '<div class="shots">' + "\n".join(figures) + "</div>"


def overview_rows(report: dict) -> list[tuple[str, ...]]:
    rows = []
    for n, page in enumerate(report["pages"], 1):
        o, b = page["original"], page["barrier_free"]
        rows.append((f"{n}. {page['path']}", f"{o['axe']['nodes']} → {b['axe']['nodes']}",
                     f"{o['axe']['severe_nodes']} → {b['axe']['severe_nodes']}",
                     f"{page['text_kept']:.1%}", f"{sum(o['landmarks'].values())} → "
                     f"{sum(b['landmarks'].values())}", str(b["scripts_ran"]),
                     "gone" if not b["site_toolbar"] else "still there"))
    return rows


def html_report(report: dict, out_dir: Path) -> str:
    tool = report["tool"]
    parts = [
        "<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Barrier-free mode: measured report for {escape(report['origin'])}</title>",
        f"<style>{STYLE}</style>", "</head>", "<body>", "<main>",
        f"<h1>Barrier-free mode: measured report for {escape(report['origin'])}</h1>",
        f"<p>{_pages(len(report['pages']))}, each measured as the site serves it and through the "
        f"barrier-free proxy (rules: {escape(report['rules'])}), on {escape(report['generated'])}"
        ". These are measurements, not a certification: the pages are not declared to meet "
        "any standard.</p>",
        "<h2>Overview</h2>",
        _table("All pages: original → barrier-free",
               ("page", "axe elements", "critical + serious", "text kept", "landmarks",
                "page scripts run (barrier-free)", "site toolbar"), overview_rows(report)),
        "<h2>How it was measured</h2>", "<ul>",
        f"<li>axe-core {escape(tool['axe_core'])} (rules tagged wcag2a, wcag2aa, wcag21aa and "
        "best-practice), in headless Chromium "
        f"{escape(tool['chromium'])} driven by Playwright {escape(tool['playwright'])}.</li>",
        "<li>Desktop views are 1280 × 800 CSS px, phone views 320 × 640; each view is a new "
        "browser profile. Only the origin and the proxy were reachable: requests to other hosts "
        "were blocked.</li>",
        "<li>Visible text: characters painted on screen, our own toolbar left out; “kept” is the "
        "share of the original's characters still visible. Scripts: scripts of the page itself "
        "compiled by Chromium (DevTools protocol), counted before any measuring code ran.</li>",
        "<li>Images without a name: images not hidden from assistive technology with no alt, "
        "aria-label, aria-labelledby or title. Fields without a label: visible inputs, lists "
        "and text areas with no label, aria-label, aria-labelledby or title. Font size: the "
        "median computed size of the visible text, weighted by characters. The site's toolbar: "
        "what the site rules' toolbar patterns recognise in the rendered page.</li>",
        f"<li>Report made by {escape(tool['name'])} {escape(tool['version'])}.</li>", "</ul>",
        "<h2>What automated checks cannot judge</h2>", "<ul>",
        *[f"<li>{escape(item)}</li>" for item in report["not_judged"]], "</ul>",
    ]
    for n, page in enumerate(report["pages"], 1):
        parts += [f"<h2>Page {n}: {escape(page['path'])}</h2>",
                  f"<p>Title: {escape(page['title'] or '(none)')}. Original: "
                  f"<a href=\"{escape(page['original_url'])}\">{escape(page['original_url'])}"
                  "</a></p>",
                  _table(f"Page {n}: original and barrier-free",
                         ("figure", "original", "barrier-free"), page_rows(page)),
                  _rules_table(n, page), f"<h3>Page {n}: screenshots</h3>",
                  _shots(n, page, out_dir)]
    if report.get("failed"):
        parts += ["<h2>Pages that could not be measured</h2>", "<ul>",
                  *[f"<li>{escape(f['path'])}: {escape(f['error'])}</li>"
                    for f in report["failed"]], "</ul>"]
    parts += ["</main>", "</body>", "</html>", ""]
    return "\n".join(parts)


def summary(report: dict) -> str:
    """The one-screen summary printed at the end of a run."""
    tool = report["tool"]
    lines = [f"Barrier-free report for {report['origin']}: {_pages(len(report['pages']))}, "
             f"axe-core {tool['axe_core']}, Chromium {tool['chromium']}",
             f"{'page':<40} {'axe elements':>13} {'crit+serious':>13} {'text kept':>9} "
             f"{'scripts':>7} toolbar"]
    for row in overview_rows(report):
        lines.append(f"{row[0][:40]:<40} {row[1]:>13} {row[2]:>13} {row[3]:>9} {row[5]:>7} "
                     f"{row[6]}")
    pages = report["pages"]
    if pages:
        before = sum(p["original"]["axe"]["nodes"] for p in pages)
        after = sum(p["barrier_free"]["axe"]["nodes"] for p in pages)
        lines.append(f"{'all pages':<40} {f'{before} → {after}':>13}")
    lines += [f"not measured: {f['path'][:60]}: {f['error'][:80]}" for f in
              report.get("failed", [])[:5]]
    lines.append("Measured, not certified: see report.html for what automated checks cannot "
                 "judge.")
    return "\n".join(lines) + "\n"
