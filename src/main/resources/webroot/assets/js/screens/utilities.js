// Utilities (guide ch. 9.9): /utilities lists the four utilities; /utilities/space-freeing is Space
// Freeing Up (ch. 9.9.2): a set (or, for an admin, every set) and its destinations, Start, the live
// progress of each run (the prune's stages repack / index / delete with counts and bytes freed), then
// each destination's result with a link to its log. The other utilities come with their own issues;
// their pages say which b247 command does the same today, when one does.
import {allSets, api, ApiError} from '../api.js';
import {session} from '../app.js';
import {alertBox, h, replace} from '../dom.js';
import {t} from '../i18n.js';
import {closeWhenGone, follow, formatBytes, progressView, statusLabel} from '../live.js';

/** The guide's four utilities, in its order. cli: the command that does the same today, if any. */
const UTILITIES = [
  {key: 'integrity', path: '/utilities/integrity', cli: 'b247 repo check --repo URL --key-file FILE [--read-data]'},
  {key: 'spaceFreeing', path: '/utilities/space-freeing'},
  {key: 'delete', path: '/utilities/delete-data', cli: null},
  {key: 'decrypt', path: '/utilities/decrypt', cli: 'b247 repo decrypt --repo URL --key-file FILE --target DIR'}
];

export async function screen({path}) {
  const u = UTILITIES.find((x) => x.path === path);
  if (u && u.key === 'spaceFreeing') {
    return spaceFreeingScreen();
  }
  return u ? laterScreen(u) : listScreen();
}

function nav(current) {
  return h('nav', {'aria-label': t('utilities.title')}, h('ul', {class: 'utilities-nav'}, UTILITIES.map((u) =>
    h('li', {}, h('a', {href: u.path, 'data-link': true, 'aria-current': u.key === current ? 'page' : null},
      t('utilities.' + u.key))))));
}

function listScreen() {
  return h('div', {}, h('h1', {}, t('utilities.title')), h('p', {}, t('utilities.intro')),
    h('ul', {class: 'entries'}, UTILITIES.map((u) => h('li', {}, h('a', {href: u.path, 'data-link': true,
      'data-utility': u.key}, h('span', {class: 'title'}, t('utilities.' + u.key)),
    h('span', {class: 'what'}, t('utilities.' + u.key + '.what')))))));
}

function laterScreen(u) {
  return h('div', {}, h('h1', {}, t('utilities.' + u.key)), nav(u.key),
    h('p', {}, t('utilities.' + u.key + '.what')),
    h('p', {class: 'note'}, t('utilities.later')),
    u.cli ? h('p', {}, t('utilities.later.cli'), ' ', h('code', {}, u.cli))
      : h('p', {}, t('utilities.later.noCli')));
}

let ids = 0;

function labelled(label, control) {
  control.id = 'utilities-' + (++ids);
  return h('div', {class: 'field'}, h('label', {for: control.id}, label), control);
}

const ALL = 'all';

async function spaceFreeingScreen() {
  const sets = await allSets();
  const admin = session.user && session.user.role === 'admin';
  const head = [h('h1', {}, t('utilities.spaceFreeing')), nav('spaceFreeing'), h('p', {}, t('utilities.sf.intro'))];
  if (!sets.length) {
    return h('div', {}, head, h('p', {class: 'note'}, t('utilities.sf.noSets')));
  }
  const chooser = h('select', {name: 'set', onchange: () => drawDestinations()},
    admin ? h('option', {value: ALL}, t('utilities.sf.allSets')) : null,
    sets.map((s) => h('option', {value: String(s.id)}, s.name)));
  const destinations = h('fieldset', {}, h('legend', {}, t('utilities.sf.destinations')));
  const alert = alertBox();
  const start = h('button', {type: 'submit'}, t('utilities.sf.start'));
  const runs = h('div', {class: 'sf-runs'});
  function drawDestinations() {
    const set = sets.find((s) => String(s.id) === chooser.value);
    destinations.hidden = !set;
    replace(destinations, h('legend', {}, t('utilities.sf.destinations')), set ? set.destinations.map((d) => {
      const box = h('input', {type: 'checkbox', name: 'destination', value: d.name, id: 'utilities-' + (++ids),
        checked: true});
      return h('label', {class: 'check', for: box.id}, box, d.name);
    }) : null);
  }
  drawDestinations();
  const form = h('form', {'data-form': 'space-freeing', onsubmit: async (ev) => {
    ev.preventDefault();
    alert.hidden = true;
    const set = sets.find((s) => String(s.id) === chooser.value);
    const chosen = [...destinations.querySelectorAll('input:checked')].map((b) => b.value);
    if (set && !chosen.length) {
      replace(alert, t('utilities.sf.noneChosen'));
      alert.hidden = false;
      return;
    }
    start.disabled = true;
    try {
      const all = !set || chosen.length === set.destinations.length;
      const started = set
        ? await api('POST', 'sets/' + encodeURIComponent(set.id) + '/space-freeing', all ? {} : {destinations: chosen})
        : await api('POST', 'space-freeing', {});
      showRuns(runs, started.runs || [started], started.skipped || [], sets, () => {
        start.disabled = false;
      });
    } catch (e) {
      start.disabled = false;
      if (!(e instanceof ApiError)) {
        throw e;
      }
      replace(alert, e.message);
      alert.hidden = false;
    }
  }}, labelled(t('utilities.sf.set'), chooser), destinations, alert, h('div', {class: 'actions'}, start));
  return h('div', {}, head, form, runs);
}

/** One section per run started: its live progress, then each destination's result. */
function showRuns(container, runs, skipped, sets, allDone) {
  let left = runs.length;
  const name = (id) => (sets.find((s) => String(s.id) === String(id)) || {}).name || String(id);
  replace(container, h('h2', {}, t('utilities.sf.progress')),
    skipped.length ? h('ul', {class: 'note'}, skipped.map((s) => h('li', {},
      t('utilities.sf.skipped', {set: name(s.setId), reason: s.reason})))) : null,
    runs.map((run) => runSection(run, name(run.setId), () => {
      if (--left === 0) {
        allDone();
      }
    })));
  if (!runs.length) {
    allDone();
  }
}

function runSection(run, setName, ended) {
  const view = progressView();
  const result = h('div', {class: 'sf-result'});
  const el = h('section', {'data-sf-set': String(run.setId), 'aria-label': setName}, h('h3', {}, setName), view,
    result);
  const first = run.jobs && run.jobs[0];
  if (!first) {
    ended();
    return el;
  }
  closeWhenGone(el, follow(first.id, {
    onProgress: (p) => view.update(p),
    onDone(p) {
      view.update(p);
      results(run, result).catch((e) => replace(result, h('p', {class: 'alert', role: 'alert'}, e.message)))
        .finally(ended);
    },
    onError(err) {
      replace(result, h('p', {class: 'alert', role: 'alert'}, err.message || String(err)));
      ended();
    }
  }));
  return el;
}

async function results(run, into) {
  const reports = await Promise.all(run.jobs.map((j) => api('GET', 'jobs/' + encodeURIComponent(j.id) + '?logLimit=1')));
  replace(into, h('table', {'data-table': 'space-freeing-result'}, h('thead', {}, h('tr', {},
    h('th', {scope: 'col'}, t('utilities.sf.col.destination')), h('th', {scope: 'col'}, t('utilities.sf.col.status')),
    h('th', {scope: 'col'}, t('utilities.sf.col.freed')), h('th', {scope: 'col'}, t('utilities.sf.col.versions')),
    h('th', {scope: 'col'}, t('utilities.sf.col.log')))),
  h('tbody', {}, reports.map((r) => {
    const s = r.stats || {};
    return h('tr', {'data-destination': r.destination, 'data-status': r.status},
      h('td', {}, r.destination), h('td', {}, statusLabel(r.status)), h('td', {}, formatBytes(s.bytesFreed ?? 0)),
      h('td', {}, t('utilities.sf.versions', {removed: s.versionsRemoved ?? 0, kept: s.versionsKept ?? 0})),
      h('td', {}, h('a', {href: '/report/' + r.id, 'data-link': true, 'data-report-link': String(r.id)},
        t('utilities.sf.viewLog'))));
  }))));
  into.setAttribute('data-done', 'true');
}
