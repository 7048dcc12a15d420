/* mod_briefing: hover cards on annotations; live filter on the glossary index. */
(function () {
  'use strict';
  const doc = document, me = doc.currentScript;
  // The link base: this script's folder, else each link's own folder.
  const base = me && me.src ? new URL('.', me.src).href : '';
  const TYPES = { person: 'Person', organization: 'Organization', agreement: 'Agreement', place: 'Place', term: 'Term' };
  const cache = new Map();
  let card = null, current = null, pending = null, showT = 0, hideT = 0, pointer = '', pointerAt = 0;

  const annotation = (n) => (n && n.closest ? n.closest('a.briefing[data-briefing-id]') : null);
  const inCard = (n) => !!(card && n && card.contains(n));
  const el = (tag, cls, text) => {
    const e = doc.createElement(tag);
    e.className = cls;
    e.textContent = text;
    return e;
  };

  // Entry JSON, once per id; only same-origin pages under the link base.
  function entry(link) {
    const id = link.getAttribute('data-briefing-id'), href = link.href.split(/[?#]/)[0];
    if (!cache.has(id)) {
      const ok = href.indexOf(base || new URL('.', href).href) === 0 && new URL(href).origin === location.origin;
      cache.set(id, !ok ? Promise.resolve(null)
        : fetch(href + '.json', { credentials: 'same-origin', headers: { Accept: 'application/json' } })
          .then((r) => (r.ok ? r.json() : null))
          .then((d) => (d && typeof d.name === 'string' ? d : null), () => null));
    }
    return cache.get(id);
  }
  // Until then: "Name — Summary" from the title, the type from the class.
  function fromTitle(link) {
    const t = link.getAttribute('data-briefing-title') || link.title || '', i = t.indexOf(' \u2014 ');
    const m = /\bbriefing-([a-z]+)/.exec(link.className);
    return { name: (i < 0 ? t : t.slice(0, i)) || link.textContent, summary: i < 0 ? '' : t.slice(i + 3), type: m && m[1] };
  }
  function render(link, d) {
    const type = TYPES.hasOwnProperty(d.type) ? d.type : '', label = type && (d.type_label || TYPES[type]);
    const key = [type, label, d.name, d.summary].join('\n');
    if (card.dataset.key !== key) {
      card.dataset.key = key;
      card.className = 'briefing-card' + (type && ' briefing-card-' + type);
      card.textContent = '';
      if (label) card.appendChild(el('p', 'briefing-card-type', label));
      card.appendChild(el('p', 'briefing-card-name', d.name));
      if (d.summary) card.appendChild(el('p', 'briefing-card-summary', d.summary));
      const more = card.appendChild(el('p', 'briefing-card-more', ''));
      const a = more.appendChild(el('a', '', 'Read more'));
      more.setAttribute('aria-hidden', 'true'); // the annotation itself leads there
      a.tabIndex = -1;
    }
    card.querySelector('a').href = link.getAttribute('href');
    place(link);
  }
  // Below the link, else above it: never over its text, inside the viewport.
  const LANDMARKS = 'main,[role="main"],aside,[role="complementary"],[role="region"],' +
    'section[aria-label],section[aria-labelledby]';
  function place(link) {
    const gap = 6, edge = 8, root = doc.documentElement, s = card.style;
    s.left = s.top = '0px';
    const o = card.getBoundingClientRect(), r = link.getBoundingClientRect(), rects = link.getClientRects();
    const w = card.offsetWidth, h = card.offsetHeight, vh = root.clientHeight;
    const below = r.bottom + gap + h <= vh || vh - r.bottom >= r.top;
    const x = Math.max(edge, Math.min((rects[below ? rects.length - 1 : 0] || r).left, root.clientWidth - w - edge));
    s.left = Math.round(x - o.left) + 'px';
    s.top = Math.round((below ? r.bottom + gap : r.top - gap - h) - o.top) + 'px';
  }
  function show(link) {
    clearTimeout(hideT);
    pending = null;
    if (!link.isConnected) return;
    if (current !== link) {
      hide(true);
      current = link;
      // No native tooltip on top of the card; the card describes the link.
      if (link.hasAttribute('title')) {
        link.setAttribute('data-briefing-title', link.title);
        link.removeAttribute('title');
      }
      link.setAttribute('aria-describedby', 'briefing-card');
    }
    if (!card) {
      card = el('div', 'briefing-card', '');
      card.id = 'briefing-card';
      card.setAttribute('role', 'tooltip');
    }
    // Inside the link's landmark, so that the card belongs to the region
    // being read; place() measures from wherever it lands.
    const region = link.closest(LANDMARKS) || doc.body;
    if (card.parentNode !== region) region.appendChild(card);
    card.hidden = false;
    render(link, fromTitle(link));
    entry(link).then((d) => { if (d && current === link) render(link, d); });
  }
  // Unless forced, the card stays while its link is focused or hovered, or it is.
  function hide(force) {
    clearTimeout(showT);
    clearTimeout(hideT);
    pending = null;
    const link = current;
    if (!link || (force !== true && (link === doc.activeElement || link.matches(':hover') || card.matches(':hover')))) return;
    current = null;
    card.hidden = true;
    const t = link.getAttribute('data-briefing-title');
    if (t !== null) link.title = t;
    link.removeAttribute('data-briefing-title');
    link.removeAttribute('aria-describedby');
  }
  function enter(link) {
    clearTimeout(hideT);
    if (link === current || link === pending) return;
    clearTimeout(showT);
    pending = link;
    showT = setTimeout(show, 150, link);
  }
  function leave() {
    clearTimeout(showT);
    clearTimeout(hideT);
    pending = null;
    hideT = setTimeout(hide, 200);
  }

  const note = (e) => { pointer = e.pointerType; pointerAt = Date.now(); };
  addEventListener('pointerover', note, true);
  addEventListener('pointerdown', note, true);
  doc.addEventListener('mouseover', (e) => {
    const link = annotation(e.target);
    const touch = pointer ? pointer === 'touch' : matchMedia('(hover: none)').matches;
    if (link && !touch && !link.contains(e.relatedTarget)) enter(link);
    else if (inCard(e.target)) clearTimeout(hideT);
  });
  doc.addEventListener('mouseout', (e) => {
    const from = annotation(e.target) || (inCard(e.target) && card), to = e.relatedTarget;
    if (from && !from.contains(to) && !inCard(to) && !(current && annotation(to) === current)) leave();
  });
  doc.addEventListener('focusin', (e) => {
    const link = annotation(e.target);
    // A tap focuses the link too: only keyboard (or script) focus shows the card.
    if (link && (pointer === 'mouse' || Date.now() - pointerAt > 800)) enter(link);
  });
  doc.addEventListener('focusout', (e) => {
    if (annotation(e.target) && !inCard(e.relatedTarget)) leave();
  });
  doc.addEventListener('keydown', (e) => {
    if ((e.key === 'Escape' || e.key === 'Esc') && (current || pending)) {
      if (current && inCard(doc.activeElement)) current.focus();
      hide(true);
    }
  });
  const close = (e) => { if (!e || (e.target !== doc && !inCard(e.target))) hide(true); };
  addEventListener('resize', () => close());
  addEventListener('pagehide', () => close());
  addEventListener('scroll', (e) => { if (current) close(e); }, true); // scrolled boxes move links

  // The index: filter as one types, keep ?q= in the address.
  const input = doc.getElementById('briefing-q');
  const main = input && input.form && input.closest('.briefing-index');
  if (!main) return;
  const none = main.querySelector('.briefing-noresults'), status = main.querySelector('.briefing-total');
  const all = status ? status.textContent : '', total = parseInt(all, 10) || 0;
  let loading = false;
  if (status) status.setAttribute('role', 'status');

  // After ?q= the server sent only the matches: fetch the whole index, once.
  function complete() {
    if (loading || main.querySelectorAll('li[data-briefing-names]').length >= total) return;
    loading = true;
    fetch(input.form.action, { credentials: 'same-origin' })
      .then((r) => (r.ok ? r.text() : Promise.reject(r.status)))
      .then((html) => {
        const groups = new DOMParser().parseFromString(html, 'text/html').querySelectorAll('.briefing-index .briefing-group');
        if (!groups.length) return;
        main.querySelectorAll('.briefing-group').forEach((g) => g.remove());
        (none || main.lastChild).after(...Array.from(groups, (g) => doc.adoptNode(g)));
        filter(false);
      })
      .catch(() => { loading = false; });
  }
  function filter(sync) {
    const text = input.value.trim().replace(/\s+/g, ' '), q = text.toLowerCase();
    let n = 0;
    if (q) complete();
    main.querySelectorAll('.briefing-group').forEach((g) => {
      let k = 0;
      g.querySelectorAll('li[data-briefing-names]').forEach((li) => {
        li.hidden = li.getAttribute('data-briefing-names').indexOf(q) < 0;
        k += !li.hidden;
      });
      const count = g.querySelector('.briefing-count');
      if (count) count.textContent = k;
      g.hidden = !k;
      n += k;
    });
    if (none) {
      none.hidden = n > 0;
      none.textContent = 'No entry matches \u201c' + text + '\u201d.';
    }
    if (status) status.textContent = q ? n + ' of ' + all : all;
    if (sync !== false) {
      const u = new URL(location.href);
      if (text) u.searchParams.set('q', text); else u.searchParams.delete('q');
      history.replaceState(history.state, '', u.href);
    }
  }
  input.addEventListener('input', filter);
  input.form.addEventListener('submit', (e) => { e.preventDefault(); filter(); });
  if (input.value.trim()) filter(false);
}());
