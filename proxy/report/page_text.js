// Visible text and landmark share of the page, evaluated over CDP (page scripts never see it).
// One definition for `python -m proxy report` and bench/landmarks_corpus.py, so their figures agree.
// Visibility logic copied and trimmed from /work/shared/tools/audit/page_metrics.js (the
// audit tool's definition of "visible text"); landmark roles use its HTML-AAM fallback.
// Our own UI (#a11y-toolbar, the skip link) is left out so the original's text is compared.
(() => {
  const LANDMARK_ROLES = ['banner', 'navigation', 'main', 'contentinfo', 'search',
                          'region', 'complementary', 'form'];
  const SKIP_TAGS = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'TITLE', 'HEAD']);
  const OURS = '#a11y-toolbar, .a11y-skip';
  const hasName = (el) => !!((el.getAttribute('aria-label') || '').trim() ||
    (el.getAttribute('aria-labelledby') || '').trim() || (el.getAttribute('title') || '').trim());
  const SECTIONING = 'article,aside,main,nav,section,[role=article],[role=complementary],' +
                     '[role=main],[role=navigation],[role=region]';
  function roleOf(el) {
    const explicit = (el.getAttribute('role') || '').trim().toLowerCase().split(/\s+/)[0];
    if (explicit) {
      if (!LANDMARK_ROLES.includes(explicit)) return null;
      if ((explicit === 'region' || explicit === 'form') && !hasName(el)) return null;
      return explicit;
    }
    switch (el.localName) {
      case 'main': return 'main';
      case 'nav': return 'navigation';
      case 'aside': return 'complementary';
      case 'search': return 'search';
      case 'header': return (el.parentElement && el.parentElement.closest(SECTIONING)) ? null : 'banner';
      case 'footer': return (el.parentElement && el.parentElement.closest(SECTIONING)) ? null : 'contentinfo';
      case 'section': return hasName(el) ? 'region' : null;
      case 'form': return hasName(el) ? 'form' : null;
      default: return null;
    }
  }
  const landmarks = [];
  const lm = new Map();
  for (const el of document.querySelectorAll('body *')) {
    if (el.closest(OURS)) continue;
    const r = roleOf(el);
    if (r) {
      lm.set(el, r);
      landmarks.push({role: r, name: (el.getAttribute('aria-label') || '').slice(0, 40)});
    }
  }
  const inLandmark = (el) => { for (let c = el; c; c = c.parentElement) if (lm.has(c)) return true; return false; };
  function visible(el) {
    if (el.closest('head')) return false;
    return el.checkVisibility({opacityProperty: true, visibilityProperty: true});
  }
  function clippedAway(el) {
    for (let c = el; c && c !== document.body; c = c.parentElement) {
      const cs = getComputedStyle(c);
      const r = c.getBoundingClientRect();
      if ((r.width <= 1 || r.height <= 1) && (cs.overflowX !== 'visible' || cs.overflowY !== 'visible')) return true;
      if ((cs.position === 'absolute' || cs.position === 'fixed') && cs.clip && cs.clip !== 'auto'
          && /rect\(\s*0(px)?[ ,]+0(px)?[ ,]+0(px)?[ ,]+0(px)?\s*\)/.test(cs.clip)) return true;
    }
    return false;
  }
  // Escaped markup a page script wrote with document.write (recorded by landmarks_corpus.py's
  // init script): saved copies with `&lt;script` inside scripts write a tag's source as text
  // where the live page wrote an element. Not the page's text, so left out on both sides.
  const writtenText = (window.__benchWritten || []).map((html) => {
    const t = document.createElement('template');
    t.innerHTML = html;
    return t.content.textContent;
  });
  const leakedMarkup = (n) => /^\s*<\/?[a-z]/i.test(n.nodeValue) &&
    writtenText.some((w) => w.includes(n.nodeValue.trim()));
  const range = document.createRange();
  const texts = [];
  let total = 0, inside = 0;
  const root = document.body || document.documentElement;
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const stripped = (n.nodeValue || '').replace(/\s+/g, '');
    if (!stripped) continue;
    const el = n.parentElement;
    if (!el || SKIP_TAGS.has(el.tagName) || el.closest(OURS) || !visible(el) || leakedMarkup(n)) continue;
    range.selectNodeContents(n);
    let painted = false;
    for (const r of range.getClientRects()) if (r.width > 1 && r.height > 1) { painted = true; break; }
    if (!painted) continue;
    const b = range.getBoundingClientRect();
    if (b.right + window.scrollX <= 0 || b.bottom + window.scrollY <= 0 || clippedAway(el)) continue;
    const chars = [...stripped].length;
    total += chars;
    if (inLandmark(el)) inside += chars;
    texts.push(stripped);
  }
  return {text: texts.join(''), chars: total, landmark_chars: inside, landmarks};
})()
