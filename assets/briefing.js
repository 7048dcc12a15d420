/* mod_briefing: hover cards for annotations, live filter for the glossary index. */
(function () {
  'use strict';
  const doc = document, script = doc.currentScript;
  // The link base is the script's own folder (else each link's folder).
  const base = script && script.src ? new URL('.', script.src).href : '';
  const LABELS = { person: 'Person', organization: 'Organization', agreement: 'Agreement', place: 'Place', term: 'Term' };
  const SEL = 'a.briefing[data-briefing-id]';
  const cache = new Map();
  let card = null, current = null, pending = null, showTimer = 0, hideTimer = 0, pointer = '', pointerAt = 0;

  const annotation = (node) => (node && node.closest ? node.closest(SEL) : null);
  const inCard = (node) => !!(card && node && card.contains(node));
  const el = (tag, cls, text) => {
    const e = doc.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  };

  // Only same-origin entry pages under the link base are asked for JSON.
  function entry(link) {
    const id = link.getAttribute('data-briefing-id');
    if (!cache.has(id)) {
      const href = link.href.split(/[?#]/)[0];
      const ok = href.indexOf(base || new URL('.', href).href) === 0 && new URL(href).origin === location.origin;
      cache.set(id, !ok ? Promise.resolve(null) :
        fetch(href + '.json', { credentials: 'same-origin', headers: { Accept: 'application/json' } })
          .then((r) => (r.ok ? r.json() : null))
          .then((d) => (d && typeof d.name === 'string' ? d : null), () => null));
    }
    return cache.get(id);
  }
  // Until the JSON arrives: "Name — Summary" from the title, the type from the class.
  function fromTitle(link) {
    const t = link.getAttribute('data-briefing-title') || link.getAttribute('title') || '';
    const i = t.indexOf(' \u2014 '), m = /\bbriefing-([a-z]+)\b/.exec(link.className);
    return { name: (i < 0 ? t : t.slice(0, i)) || link.textContent, summary: i < 0 ? '' : t.slice(i + 3), type: m ? m[1] : '' };
  }
  function render(link, d) {
    const type = Object.prototype.hasOwnProperty.call(LABELS, d.type) ? d.type : '';
    const more = el('p', 'briefing-card-more'), a = el('a', '', 'Read more');
    a.href = link.href;
    a.tabIndex = -1;
    more.setAttribute('aria-hidden', 'true'); // the annotation itself leads there
    more.appendChild(a);
    card.className = 'briefing-card' + (type ? ' briefing-card-' + type : '');
    card.textContent = '';
    if (type) card.appendChild(el('p', 'briefing-card-type', d.type_label || LABELS[type]));
    card.appendChild(el('p', 'briefing-card-name', d.name));
    if (d.summary) card.appendChild(el('p', 'briefing-card-summary', d.summary));
    card.appendChild(more);
    place(link);
  }
  // Below the link, else above it: never over its text, inside the viewport.
  function place(link) {
    const gap = 6, margin = 8, root = doc.documentElement;
    card.style.left = card.style.top = '0px';
    const origin = card.getBoundingClientRect(), r = link.getBoundingClientRect(), rects = link.getClientRects();
    const w = card.offsetWidth, h = card.offsetHeight, vw = root.clientWidth, vh = root.clientHeight;
    const below = r.bottom + gap + h <= vh || vh - r.bottom >= r.top;
    const x = Math.max(margin, Math.min((rects[below ? rects.length - 1 : 0] || r).left, vw - w - margin));
    const y = below ? r.bottom + gap : r.top - gap - h;
    card.style.left = Math.round(x - origin.left) + 'px';
    card.style.top = Math.round(y - origin.top) + 'px';
  }
  function show(link) {
    clearTimeout(hideTimer);
    pending = null;
    if (!link.isConnected) return;
    if (current !== link) {
      hide(true);
      current = link;
      if (link.hasAttribute('title')) {
        link.setAttribute('data-briefing-title', link.getAttribute('title'));
        link.removeAttribute('title');
      }
      const by = link.getAttribute('aria-describedby');
      if (by) link.setAttribute('data-briefing-describedby', by);
      link.setAttribute('aria-describedby', (by ? by + ' ' : '') + 'briefing-card');
    }
    if (!card) {
      card = el('div');
      card.id = 'briefing-card';
      card.setAttribute('role', 'tooltip');
      doc.body.appendChild(card);
    }
    card.hidden = false;
    render(link, fromTitle(link));
    entry(link).then((d) => {
      if (d && current === link && !card.hidden) render(link, d);
    });
  }
  // Stays while its link is hovered or focused or the card is hovered, unless forced.
  function hide(force) {
    clearTimeout(showTimer);
    clearTimeout(hideTimer);
    pending = null;
    const link = current;
    if (!link || (force !== true && (link === doc.activeElement || link.matches(':hover') || card.matches(':hover')))) return;
    current = null;
    card.hidden = true;
    const t = link.getAttribute('data-briefing-title'), by = link.getAttribute('data-briefing-describedby');
    if (t !== null) link.setAttribute('title', t);
    if (by) link.setAttribute('aria-describedby', by); else link.removeAttribute('aria-describedby');
    link.removeAttribute('data-briefing-title');
    link.removeAttribute('data-briefing-describedby');
  }
  function enter(link) {
    clearTimeout(hideTimer);
    if (link === current || link === pending) return;
    clearTimeout(showTimer);
    pending = link;
    showTimer = setTimeout(show, 150, link);
  }
  function leave() {
    clearTimeout(showTimer);
    clearTimeout(hideTimer);
    pending = null;
    hideTimer = setTimeout(hide, 200);
  }

  const note = (e) => { pointer = e.pointerType; pointerAt = Date.now(); };
  addEventListener('pointerover', note, true);
  addEventListener('pointerdown', note, true);
  doc.addEventListener('mouseover', (e) => {
    const link = annotation(e.target);
    const touch = pointer === 'touch' || (!pointer && matchMedia('(hover: none)').matches);
    if (link && !touch && !link.contains(e.relatedTarget)) enter(link);
    else if (inCard(e.target)) clearTimeout(hideTimer);
  });
  doc.addEventListener('mouseout', (e) => {
    const from = annotation(e.target) || (inCard(e.target) ? card : null), to = e.relatedTarget;
    if (from && !from.contains(to) && !inCard(to) && (!current || annotation(to) !== current)) leave();
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
    if ((e.key !== 'Escape' && e.key !== 'Esc') || !(current || pending)) return;
    const link = current;
    if (link && inCard(doc.activeElement)) link.focus();
    hide(true);
  });
  addEventListener('resize', () => hide(true));
  addEventListener('pagehide', () => hide(true));
  addEventListener('scroll', (e) => {
    if (current && e.target !== doc && !inCard(e.target)) hide(true);
  }, true);

  // Live filter on the glossary index.
  const input = doc.getElementById('briefing-q');
  const main = input && input.form && input.closest('.briefing-index');
  if (!main) return;
  const noresults = main.querySelector('.briefing-noresults'), status = main.querySelector('.briefing-total');
  const totalText = status ? status.textContent : '', total = parseInt(totalText, 10) || 0;
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
        (noresults || main.lastChild).after(...Array.from(groups, (g) => doc.adoptNode(g)));
        filter(false);
      })
      .catch(() => { loading = false; });
  }
  function filter(sync) {
    const shown = input.value.trim(), q = shown.replace(/\s+/g, ' ').toLowerCase();
    let n = 0;
    if (q) complete();
    main.querySelectorAll('.briefing-group').forEach((g) => {
      let k = 0;
      g.querySelectorAll('li[data-briefing-names]').forEach((li) => {
        li.hidden = li.getAttribute('data-briefing-names').indexOf(q) < 0;
        if (!li.hidden) k++;
      });
      const count = g.querySelector('.briefing-count');
      if (count) count.textContent = k;
      g.hidden = !k;
      n += k;
    });
    if (noresults) {
      noresults.hidden = n > 0;
      noresults.textContent = 'No entry matches \u201c' + shown + '\u201d.';
    }
    if (status) status.textContent = q ? n + ' of ' + totalText : totalText;
    if (sync !== false) {
      const u = new URL(location.href);
      if (shown) u.searchParams.set('q', shown); else u.searchParams.delete('q');
      history.replaceState(history.state, '', u.href);
    }
  }
  input.addEventListener('input', filter);
  input.form.addEventListener('submit', (e) => { e.preventDefault(); filter(); });
  if (input.value.trim()) filter(false);
}());
