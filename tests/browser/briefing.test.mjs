// Browser tests: the demo server (a real httpd with mod_briefing) and
// Debian's Chromium, driven by playwright-core.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtempSync, mkdirSync, rmSync, chmodSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..');
const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');
const VNU = join(here, 'node_modules', 'vnu-jar', 'build', 'dist', 'vnu.jar');
// Every page a reader can reach: the landing page, the article, the index
// (plain and filtered), each entry, and a 404.
const PAGES = ['/', '/working-visit-to-kazakhstan.html', '/glossary/', '/glossary/?q=kaz',
  '/glossary/nope'];
const shots = join(repo, 'build', 'screenshots');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const EXPECTED = ['lukashenko', 'nazarbayev', 'kobyakov', 'eeu', 'un',
  'supreme-eurasian-economic-council', 'intergovernmental-commission', 'decade-programme',
  'outer-space-agreement', 'communications-infrastructure-agreement',
  'manifesto-world-21st-century', 'belarus', 'kazakhstan', 'russia', 'ukraine', 'astana', 'gomel'];

let dir, port, base, browser;

function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
  });
}

function demo(action) {
  execFileSync(join(repo, 'conf', 'demo.sh'), [action],
    { env: { ...process.env, PORT: String(port), DEMO_DIR: dir }, stdio: 'pipe' });
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'briefing-browser-'));
  chmodSync(dir, 0o755);
  port = await freePort();
  base = `http://127.0.0.1:${port}`;
  demo('start');
  mkdirSync(shots, { recursive: true });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  // Wait until the server answers.
  for (let i = 0; i < 50; i++) {
    try { if ((await fetch(base + '/')).ok) break; } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
});

after(async () => {
  await browser?.close();
  try { demo('stop'); } finally { rmSync(dir, { recursive: true, force: true }); }
});

// Console errors of every page opened, checked at the end.
const consoleErrors = [];

async function page(options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  const p = await context.newPage();
  p.setDefaultTimeout(5000);
  p.on('console', (m) => {
    // A 404 page is announced by the browser itself as a failed load.
    if (m.type() === 'error' && !/status of 404/.test(m.text())) consoleErrors.push(`${p.url()}: ${m.text()}`);
  });
  p.on('pageerror', (e) => consoleErrors.push(`${p.url()}: ${e.message}`));
  return { context, page: p };
}

const entryIds = async () => (await (await fetch(base + '/glossary/index.json')).json())
  .entries.map((e) => '/glossary/' + e.id);

test('the article links every entity once, and nothing in headline, nav or footer', async () => {
  const { context, page: p } = await page();
  await p.goto(base + '/working-visit-to-kazakhstan.html');
  const ids = await p.$$eval('a.briefing', (as) => as.map((a) => a.dataset.briefingId));
  assert.deepEqual([...ids].sort(), [...EXPECTED].sort());
  for (const sel of ['h1', 'header', 'nav', 'footer', 'title', 'script']) {
    assert.equal(await p.locator(`${sel} a.briefing`).count(), 0, `no annotation in ${sel}`);
  }
  await p.screenshot({ path: join(shots, 'article.png'), fullPage: false });
  await context.close();
});

test('hover shows the card with name, type and summary; Escape closes it', async () => {
  const { context, page: p } = await page();
  await p.goto(base + '/working-visit-to-kazakhstan.html');
  const link = p.locator('a.briefing[data-briefing-id="lukashenko"]');
  const layoutBefore = await p.evaluate(() => document.documentElement.scrollHeight);
  await link.hover();
  const card = p.locator('.briefing-card');
  await card.waitFor({ state: 'visible' });
  const text = await card.innerText();
  assert.match(text, /Aleksandr Lukashenko/);
  assert.match(text, /Person/);
  assert.match(text, /President of Belarus since 1994\./);
  assert.equal(await p.evaluate(() => document.documentElement.scrollHeight), layoutBefore,
    'the card does not shift the layout');
  const [l, c] = [await link.boundingBox(), await card.boundingBox()];
  const overlaps = !(c.x + c.width <= l.x || l.x + l.width <= c.x ||
    c.y + c.height <= l.y || l.y + l.height <= c.y);
  assert.equal(overlaps, false, 'the card does not hide the link text');
  await p.screenshot({ path: join(shots, 'hover-card.png') });
  await p.keyboard.press('Escape');
  await card.waitFor({ state: 'hidden' });
  await context.close();
});

test('keyboard focus shows the card and describes the link', async () => {
  const { context, page: p } = await page();
  await p.goto(base + '/working-visit-to-kazakhstan.html');
  const link = p.locator('a.briefing[data-briefing-id="eeu"]');
  await link.focus();
  const card = p.locator('.briefing-card');
  await card.waitFor({ state: 'visible' });
  assert.match(await card.innerText(), /Eurasian Economic Union/);
  assert.equal(await link.getAttribute('aria-describedby'), await card.getAttribute('id'));
  await p.keyboard.press('Escape');
  await card.waitFor({ state: 'hidden' });
  assert.equal(await p.evaluate(() => document.activeElement.dataset.briefingId), 'eeu');
  await context.close();
});

test('clicking an annotation opens its entry page', async () => {
  const { context, page: p } = await page();
  await p.goto(base + '/working-visit-to-kazakhstan.html');
  await p.locator('a.briefing[data-briefing-id="lukashenko"]').click();
  await p.waitForURL(base + '/glossary/lukashenko');
  assert.equal(await p.locator('h1').innerText(), 'Aleksandr Lukashenko');
  await p.screenshot({ path: join(shots, 'entry.png'), fullPage: true });
  await context.close();
});

test('without JavaScript the links and their titles still work', async () => {
  const { context, page: p } = await page({ javaScriptEnabled: false });
  await p.goto(base + '/working-visit-to-kazakhstan.html');
  const link = p.locator('a.briefing[data-briefing-id="un"]');
  assert.equal(await link.getAttribute('title'), 'United Nations — International organization of 193 member states, founded in 1945.');
  await link.click();
  await p.waitForURL(base + '/glossary/un');
  await context.close();
});

test('the index filter works without JavaScript (server side)', async () => {
  const { context, page: p } = await page({ javaScriptEnabled: false });
  await p.goto(base + '/glossary/');
  await p.fill('#briefing-q', 'kaz');
  await p.press('#briefing-q', 'Enter');
  await p.waitForURL(/\?q=kaz/);
  const names = await p.$$eval('.briefing-list a', (as) => as.map((a) => a.textContent));
  assert.ok(names.includes('Kazakhstan'));
  assert.ok(!names.includes('Belarus'));
  await context.close();
});

test('the index filter works live with JavaScript', async () => {
  const { context, page: p } = await page();
  await p.goto(base + '/glossary/');
  await p.fill('#briefing-q', 'лукаш');
  const visible = await p.$$eval('.briefing-list li', (lis) =>
    lis.filter((li) => li.offsetParent !== null).map((li) => li.querySelector('a').textContent));
  assert.deepEqual(visible, ['Aleksandr Lukashenko']);
  await p.fill('#briefing-q', 'zzzz');
  await p.locator('.briefing-noresults').waitFor({ state: 'visible' });
  await p.fill('#briefing-q', '');
  await p.screenshot({ path: join(shots, 'index.png'), fullPage: false });
  await context.close();
});

test('pages are readable on a phone: no horizontal scrolling', async () => {
  const { context, page: p } = await page({ viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });
  for (const path of ['/glossary/', '/glossary/intergovernmental-commission', '/glossary/nope',
    '/working-visit-to-kazakhstan.html']) {
    await p.goto(base + path);
    const [scroll, width] = await p.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
    assert.ok(scroll <= width, `${path}: ${scroll} > ${width}`);
  }
  await p.goto(base + '/glossary/lukashenko');
  await p.screenshot({ path: join(shots, 'entry-phone.png'), fullPage: true });
  await p.goto(base + '/working-visit-to-kazakhstan.html');
  await p.screenshot({ path: join(shots, 'article-phone.png'), fullPage: false });
  await context.close();
});

test('a tap on a touch screen simply follows the link', async () => {
  const { context, page: p } = await page({ viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });
  await p.goto(base + '/working-visit-to-kazakhstan.html');
  await p.locator('a.briefing[data-briefing-id="belarus"]').tap();
  await p.waitForURL(base + '/glossary/belarus');
  await context.close();
});

test('every page passes axe-core with zero violations, light and dark', async () => {
  const paths = [...PAGES, ...await entryIds()];
  for (const colorScheme of ['light', 'dark']) {
    const { context, page: p } = await page({ colorScheme });
    for (const path of paths) {
      await p.goto(base + path);
      if (path.endsWith('.html')) {
        // With a card open too.
        await p.locator('a.briefing').first().focus();
        await p.locator('.briefing-card').waitFor({ state: 'visible' });
      }
      await p.addScriptTag({ path: AXE });
      const violations = await p.evaluate(async () => (await window.axe.run(document)).violations
        .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`));
      assert.deepEqual(violations, [], `${colorScheme} ${path}`);
    }
    await context.close();
  }
});

test('every page is valid HTML for the Nu HTML Checker', async () => {
  const paths = [...PAGES, ...await entryIds()];
  const files = [];
  for (const [i, path] of paths.entries()) {
    const file = join(dir, `page-${i}.html`);
    writeFileSync(file, Buffer.from(await (await fetch(base + path)).arrayBuffer()));
    files.push(file);
  }
  const r = spawnSync('java', ['-jar', VNU, '--errors-only', '--format', 'json', ...files],
    { encoding: 'utf8' });
  const messages = JSON.parse(r.stderr || '{"messages":[]}').messages
    .map((m) => `${paths[files.indexOf(m.url.replace('file:', ''))] ?? m.url}:${m.lastLine}: ${m.message}`);
  assert.deepEqual(messages, []);
  assert.equal(r.status, 0);
});

test('no page wrote an error to the console', () => {
  assert.deepEqual(consoleErrors, []);
});
