// Structure facts of the page for `python -m proxy report`, evaluated over CDP (page scripts
// never see it): headings, images without a name, form fields without a label, the median
// font size of visible text (weighted by characters) and horizontal scrolling. Our own UI
// (#a11y-toolbar, the skip link) is left out, as in page_text.js.
(() => {
  const OURS = '#a11y-toolbar, .a11y-skip';
  const shown = (el) => !el.closest(OURS) &&
    el.checkVisibility({opacityProperty: true, visibilityProperty: true});
  const hidden = (el) => !!el.closest('[aria-hidden=true]');
  const attr = (el, name) => (el.getAttribute(name) || '').trim();
  const byIds = (el) => attr(el, 'aria-labelledby').split(/\s+/).filter(Boolean)
    .map((id) => document.getElementById(id)).filter(Boolean)
    .map((n) => n.textContent.trim()).join('');
  const headings = [];
  for (const el of document.querySelectorAll('h1,h2,h3,h4,h5,h6,[role=heading]')) {
    if (el.closest(OURS) || hidden(el) || !el.checkVisibility()) continue;
    const level = attr(el, 'aria-level') || (/^h[1-6]$/i.test(el.tagName) ? el.tagName[1] : '2');
    headings.push({level: Number(level), text: el.textContent.trim().slice(0, 80)});
  }
  let unnamedImages = 0;
  for (const img of document.querySelectorAll('img')) {
    if (img.closest(OURS) || hidden(img)) continue;
    const role = attr(img, 'role');
    if (role === 'presentation' || role === 'none' || img.hasAttribute('alt')) continue;
    if (attr(img, 'aria-label') || byIds(img) || attr(img, 'title')) continue;
    unnamedImages += 1;
  }
  let unlabelledFields = 0;
  const NOT_FIELDS = new Set(['hidden', 'submit', 'reset', 'button', 'image']);
  for (const el of document.querySelectorAll('input, select, textarea')) {
    if (el.closest(OURS) || hidden(el) || !shown(el)) continue;
    if (el.tagName === 'INPUT' && NOT_FIELDS.has((el.type || '').toLowerCase())) continue;
    const labelled = [...(el.labels || [])].some((l) => l.textContent.trim());
    if (labelled || attr(el, 'aria-label') || byIds(el) || attr(el, 'title')) continue;
    unlabelledFields += 1;
  }
  const sizes = [];
  const walker = document.createTreeWalker(document.body || document.documentElement,
                                           NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const chars = (n.nodeValue || '').replace(/\s+/g, '').length;
    const el = n.parentElement;
    if (!chars || !el || /^(SCRIPT|STYLE|NOSCRIPT|TEMPLATE|TITLE)$/.test(el.tagName)) continue;
    if (!shown(el)) continue;
    sizes.push([parseFloat(getComputedStyle(el).fontSize), chars]);
  }
  sizes.sort((a, b) => a[0] - b[0]);
  const half = sizes.reduce((s, x) => s + x[1], 0) / 2;
  let seen = 0, median = null;
  for (const [size, chars] of sizes) { seen += chars; if (seen >= half) { median = size; break; } }
  const root = document.scrollingElement || document.documentElement;
  return {headings, images_without_name: unnamedImages, fields_without_label: unlabelledFields,
          font_median_px: median, scroll_width: root.scrollWidth,
          horizontal_scroll: root.scrollWidth > window.innerWidth + 1};
})()
