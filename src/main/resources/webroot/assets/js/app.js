// The console's shell: who is logged in, the top bar, and the router. Every screen has its own URL
// (history API), so a deep link survives a reload; links are real <a href> (keyboard, new tab).
import {api, ApiError, setCsrfToken} from './api.js';
import {h, replace} from './dom.js';
import {browserLanguage, currentLanguage, setLanguage, setTimeZone, t} from './i18n.js';
import {setupScreen, loginScreen} from './screens/auth.js';
import {homeScreen, ENTRIES, laterScreen} from './screens/home.js';
import {informationScreen} from './screens/information.js';
import {languageScreen} from './screens/language.js';

/** The logged-in user ({login, displayName, role, language, ...}) or null. */
export const session = {user: null};

const PUBLIC = {'/setup': setupScreen, '/login': loginScreen};
const SCREENS = {
  '/': homeScreen,
  '/language': languageScreen,
  '/information': informationScreen
};

/**
 * The screen for path: a fixed one above, or the module of the entry whose path is path or a parent
 * of it (screens/<module>.js exports screen({path}), loaded on first use).
 */
async function screenFor(path) {
  if (SCREENS[path]) {
    return SCREENS[path];
  }
  const entry = ENTRIES.find((e) => e.module && (path === e.path || path.startsWith(e.path + '/')));
  if (!entry) {
    return notFoundScreen;
  }
  const mod = await import('./screens/' + entry.module + '.js');
  return mod.screen || laterScreen(entry);
}

/** Goes to path (pushing a history entry unless replace) and renders it. */
export function navigate(path, replaceEntry) {
  if (replaceEntry) {
    history.replaceState(null, '', path);
  } else {
    history.pushState(null, '', path);
  }
  return render();
}

/** After a login or setup: remember who, then go where the user was going. */
export async function loggedIn(body) {
  setCsrfToken(body.csrfToken);
  session.user = body.user;
  await setLanguage(body.user.language || currentLanguage());
  setTimeZone(body.user.timeZone);
  const next = new URLSearchParams(location.search).get('next');
  return navigate(next && next.startsWith('/') && !next.startsWith('//') ? next : '/', true);
}

/** Ends the session (everywhere: every session of the account) and goes to the login. */
export async function logout(everywhere) {
  try {
    await api('POST', 'auth/logout', everywhere === true ? {everywhere: true} : {});
  } catch (e) {
    // the session may have ended already; the login page follows either way
  }
  session.user = null;
  setCsrfToken(null);
  return navigate('/login', true);
}

function bar() {
  const el = document.getElementById('bar');
  if (!session.user) {
    return replace(el, h('span', {class: 'home'}, t('app.name')));
  }
  return replace(el,
    h('a', {href: '/', class: 'home', 'data-link': true}, t('app.name')),
    h('span', {class: 'who'}, t('bar.user', {name: session.user.displayName || session.user.login})),
    h('button', {type: 'button', class: 'link', onclick: () => logout()}, t('bar.logout')));
}

let rendering = 0;

/** Renders the screen of the current URL (asks who is logged in first, once). */
export async function render() {
  const mine = ++rendering;
  const path = location.pathname.replace(/\/+$/, '') || '/';
  const main = document.getElementById('main');
  let screen = PUBLIC[path];
  if (!screen) {
    if (!session.user && !(await whoAmI())) {
      return;
    }
  }
  let content;
  try {
    content = await (screen || await screenFor(path))({path});
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      session.user = null;
      return navigate('/login?next=' + encodeURIComponent(path), true);
    }
    content = h('div', {}, h('h1', {tabindex: '-1'}, t('error.title')), h('p', {class: 'alert', role: 'alert'},
      e.message || t('error.unreachable')));
  }
  if (mine !== rendering) {
    return; // a newer navigation won
  }
  bar();
  replace(main, content);
  document.title = (main.querySelector('h1')?.textContent || t('app.name')) + ' — ' + t('app.name');
  const heading = main.querySelector('h1');
  if (heading) {
    heading.setAttribute('tabindex', '-1');
    heading.focus();
  }
}

/** Asks the agent who is logged in; on no session goes to setup or login and answers false. */
async function whoAmI() {
  try {
    const me = await api('GET', 'auth/me');
    setCsrfToken(me.csrfToken);
    session.user = me;
    await setLanguage(me.language || currentLanguage());
    setTimeZone(me.timeZone);
    return true;
  } catch (e) {
    if (!(e instanceof ApiError) || e.status !== 401) {
      throw e;
    }
  }
  const state = await api('GET', 'auth/setup');
  const here = location.pathname + location.search;
  await navigate(state.needed ? '/setup' : '/login' + (here === '/' ? '' : '?next=' + encodeURIComponent(here)),
    true);
  return false;
}

function notFoundScreen({path}) {
  return h('div', {}, h('h1', {}, t('notFound.title')), h('p', {}, t('notFound.text', {path})),
    h('p', {}, h('a', {href: '/', 'data-link': true}, t('notFound.home'))));
}

// links inside the console change the screen without reloading the page
document.addEventListener('click', (ev) => {
  const a = ev.target.closest && ev.target.closest('a[data-link]');
  if (!a || ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) {
    return;
  }
  ev.preventDefault();
  navigate(a.getAttribute('href'));
});
window.addEventListener('popstate', () => render());

async function start() {
  await setLanguage(browserLanguage());
  await render();
}

start().catch((e) => {
  replace(document.getElementById('main'), h('p', {class: 'alert', role: 'alert'}, String(e.message || e)));
});
