// The explorer's shell: hash routes (every object has a URL to share), the header's search box and the
// node status line. Each page renders into a fresh container, so late answers for a page the user left land
// in a detached element and change nothing on screen.
import { onStatus } from './rpc.js';
import { h, clear, errorState } from './ui.js';
import { ed25519Available } from './cairn.mjs';
import * as dashboard from './pages/dashboard.js';
import * as blocks from './pages/blocks.js';
import * as tx from './pages/tx.js';
import * as account from './pages/account.js';
import * as validators from './pages/validators.js';
import * as search from './pages/search.js';
import * as notarize from './pages/notarize.js';

const ROUTES = [
  [/^$/, dashboard.render, 'Dashboard'],
  [/^blocks(?:\/(\d+))?$/, blocks.renderList, 'Blocks'],
  [/^block\/([^/]+)$/, blocks.renderBlock, 'Block'],
  [/^tx\/([^/]+)$/, tx.render, 'Transaction'],
  [/^account\/([^/]+)$/, account.renderAccount, 'Account'],
  [/^record\/([^/]+)\/(.+)$/, account.renderRecord, 'Record'],
  [/^validators$/, validators.render, 'Validators'],
  [/^search\/(.*)$/, search.render, 'Search'],
  [/^notarize(?:\/([^/]+))?$/, notarize.render, 'Notarization'],
];

const main = document.getElementById('main');
let cleanups = [];
let firstRoute = true;
let routeSeq = 0;

async function route() {
  const seq = ++routeSeq;
  const hash = location.hash || '#/';
  cleanups.forEach((fn) => { try { fn(); } catch { /* a page's cleanup must not stop the next page */ } });
  const mine = [];
  cleanups = mine;
  const path = decodeURIComponent(location.hash.replace(/^#\/?/, ''));
  if (!path.startsWith('search/')) document.getElementById('search-input').value = '';
  const page = h('div', { class: 'page' });
  clear(main).append(page);
  const match = ROUTES.map(([re, render, title]) => [re.exec(path), render, title]).find(([m]) => m);
  document.querySelectorAll('nav a').forEach((a) => {
    const target = a.getAttribute('href').replace(/^#\/?/, '');
    a.toggleAttribute('aria-current', target === '' ? path === '' : path.startsWith(target.replace(/s$/, '')));
  });
  if (!match) {
    document.title = 'Not found · Cairn explorer';
    page.append(h('h1', { tabindex: '-1' }, 'Not found'), h('p', { class: 'empty' }, `No page at #/${path}.`));
    return;
  }
  const [m, render, title] = match;
  document.title = `${title} · Cairn explorer`;
  try {
    // A page that subscribes after the user already left is unsubscribed at once.
    await render(page, m.slice(1), { onLeave: (fn) => (seq === routeSeq ? mine.push(fn) : fn()) });
  } catch (e) {
    if (!page.querySelector('h1')) page.prepend(h('h1', {}, title));
    page.append(errorState(e, title.toLowerCase()));
  }
  // Keyboard and screen-reader users land on the new page's heading; the first load keeps the natural order
  // (skip link first).
  const heading = page.querySelector('h1');
  const first = firstRoute;
  firstRoute = false;
  if (!first && heading && seq === routeSeq) {
    heading.setAttribute('tabindex', '-1');
    heading.focus({ preventScroll: true });
  }
  // Which route the page now shows: lets a test (or an embedding page) wait for the page it asked for rather
  // than mistake the previous page, still on screen until the hashchange runs, for it.
  if (seq === routeSeq) main.dataset.route = hash;
}

document.getElementById('search').addEventListener('submit', (event) => {
  event.preventDefault();
  const q = document.getElementById('search-input').value.trim();
  if (q) location.hash = '#/search/' + encodeURIComponent(q);
});

const statusLine = document.getElementById('status');
onStatus(({ reachable, live }) => {
  statusLine.dataset.state = reachable ? live : 'unreachable';
  statusLine.textContent = !reachable ? 'node unreachable' : live === 'websocket' ? 'live' : live === 'polling' ? 'live (polling)' : 'connecting…';
});

ed25519Available().then((ok) => {
  if (!ok) {
    document.getElementById('banner').append(h('p', { class: 'card error', role: 'alert' },
      'This browser lacks WebCrypto Ed25519: nothing can be verified here; every value shows as not verified.'));
  }
});

window.addEventListener('hashchange', route);
route();
