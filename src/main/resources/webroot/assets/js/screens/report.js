// Report (guide ch. 9.6): /report lists the backup, restore and space freeing reports, newest first,
// with the guide's filters (date range, set, destination, status) kept in the address (so a filtered
// list survives a reload and can be linked to), paging, and the charts of the chosen set;
// /report/<id> is one report with its log (report-view.js).
import {allSets} from '../api.js';
import {alertBox, h, replace} from '../dom.js';
import {t} from '../i18n.js';
import {statusLabel} from '../live.js';
import {navigate} from '../app.js';
import {chartsSection} from './report-charts.js';
import {KINDS, STATUSES, formatTime, newestOnly, pager, selectField, setNameOf} from './report-common.js';
import {reportScreen} from './report-view.js';

const PAGE_SIZES = ['10', '25', '50', '100'];
const FILTERS = ['setId', 'destination', 'status', 'from', 'to', 'limit'];

export async function screen({path}) {
  const m = path.match(/^\/report\/(\d+)$/);
  if (m) {
    return reportScreen(Number(m[1]));
  }
  if (path !== '/report') {
    return h('div', {}, h('h1', {}, t('notFound.title')), h('p', {}, t('notFound.text', {path})));
  }
  return listScreen(new URLSearchParams(location.search));
}

/** The filters of the address: kind (default backup) and the others as given. */
function filtersOf(params) {
  const f = {kind: KINDS.includes(params.get('kind')) ? params.get('kind') : 'backup'};
  for (const k of FILTERS) {
    f[k] = params.get(k) || '';
  }
  if (!PAGE_SIZES.includes(f.limit)) {
    f.limit = '50';
  }
  return f;
}

/** The address of the list with these filters. */
export function listPath(f) {
  const q = new URLSearchParams({kind: f.kind});
  for (const k of FILTERS) {
    if (f[k] && !(k === 'limit' && f[k] === '50')) {
      q.set(k, f[k]);
    }
  }
  return '/report?' + q.toString();
}

/** A day of the date inputs (local time) → epoch milliseconds at its start or, with end, its last moment. */
function dayBound(day, end) {
  return day ? String(new Date(day + (end ? 'T23:59:59.999' : 'T00:00:00')).getTime()) : null;
}

async function listScreen(params) {
  const f = filtersOf(params);
  const sets = await allSets();
  const alert = alertBox();
  const body = h('tbody');
  const caption = h('caption', {}, t('report.list.' + f.kind));
  const table = h('table', {class: 'report-table report-cards', 'data-table': 'reports'}, caption,
    h('thead', {}, h('tr', {}, ['set', 'destination', 'started', 'completion', 'status', 'log'].map((c) =>
      h('th', {scope: 'col'}, t('report.col.' + c))))), body);
  const empty = h('p', {class: 'note', 'data-empty': true}, t('report.none'));
  const cursors = [null];
  let page = 0;
  const paging = pager(() => show(page - 1), () => show(page + 1), 'report.listPages');

  const get = newestOnly(alert);
  async function show(p) {
    const q = new URLSearchParams({kind: f.kind, limit: f.limit});
    for (const [k, v] of [['setId', f.setId], ['destination', f.destination], ['status', f.status],
      ['from', dayBound(f.from, false)], ['to', dayBound(f.to, true)], ['after', cursors[p]]]) {
      if (v) {
        q.set(k, v);
      }
    }
    const data = await get('jobs?' + q.toString());
    if (!data) {
      return;
    }
    page = p;
    if (data.next && cursors.length === p + 1) {
      cursors.push(String(data.next));
    }
    replace(body, (data.items || []).map(row));
    table.hidden = !data.items || !data.items.length;
    empty.hidden = !table.hidden;
    paging.draw(p + 1, Boolean(data.next));
  }
  await show(0);

  return h('div', {class: 'report'}, h('h1', {}, t('entry.report')),
    kindTabs(f),
    filterForm(f, sets),
    alert,
    h('section', {'aria-label': t('report.list.' + f.kind)}, h('div', {class: 'report-scroll'}, table), empty,
      paging.el),
    chartsFor(f, sets));
}

function row(r) {
  const cell = (col, text, more) => h('td', {'data-col': col, 'data-label': t('report.col.' + col), ...more}, text);
  return h('tr', {'data-report-id': r.id},
    cell('set', setNameOf(r)),
    cell('destination', r.destination),
    cell('started', formatTime(r.startedAt)),
    cell('completion', formatTime(r.endedAt)),
    cell('status', statusLabel(r.status), {'data-status': r.status}),
    h('td', {}, h('a', {href: '/report/' + r.id, 'data-link': true}, t('report.viewLog'))));
}

/** Backup / Restore / Space freeing: links, so each list has its own address. */
function kindTabs(f) {
  return h('nav', {class: 'report-kinds', 'aria-label': t('report.kinds')}, h('ul', {}, KINDS.map((k) =>
    h('li', {}, h('a', {href: listPath({...f, kind: k}), 'data-link': true, 'aria-current': k === f.kind ? 'page' : null},
      t('report.kind.' + k))))));
}

function filterForm(f, sets) {
  const destinations = [...new Set(sets.flatMap((s) => (s.destinations || []).map((d) => d.name)))].sort();
  if (f.destination && !destinations.includes(f.destination)) {
    destinations.push(f.destination);
  }
  const from = dateField('from', t('report.from'), f.from);
  const to = dateField('to', t('report.to'), f.to);
  const set = selectField({name: 'setId', label: t('report.set'), value: f.setId,
    options: [['', t('report.allSets')], ...sets.map((s) => [String(s.id), s.name])]});
  const dest = selectField({name: 'destination', label: t('report.destination'), value: f.destination,
    options: [['', t('report.allDestinations')], ...destinations.map((d) => [d, d])]});
  const status = selectField({name: 'status', label: t('report.status'), value: f.status,
    options: [['', t('report.allStatuses')], ...STATUSES.map((s) => [s, statusLabel(s)])]});
  const limit = selectField({name: 'limit', label: t('report.perPage'), value: f.limit,
    options: PAGE_SIZES.map((n) => [n, n])});
  const fields = [from, to, set, dest, status, limit];
  return h('form', {class: 'report-filters', role: 'search', 'aria-label': t('report.filters'), novalidate: true,
    onsubmit: (ev) => {
      ev.preventDefault();
      const next = {kind: f.kind};
      for (const field of fields) {
        next[field.input.name] = field.input.value;
      }
      navigate(listPath(next));
    }}, fields, h('div', {class: 'report-filters-go'}, h('button', {type: 'submit'}, t('report.show'))));
}

function dateField(name, label, value) {
  const id = 'report-' + name;
  const input = h('input', {id, name, type: 'date', value});
  const wrap = h('div', {class: 'field'}, h('label', {for: id}, label), input);
  wrap.input = input;
  return wrap;
}

/** The charts of the chosen set (backups and space freeing), or a word on how to see them. */
function chartsFor(f, sets) {
  const set = sets.find((s) => String(s.id) === f.setId);
  if (f.kind === 'restore') {
    return null;
  }
  if (!set) {
    return h('section', {class: 'report-charts', 'aria-labelledby': 'report-charts-title'},
      h('h2', {id: 'report-charts-title'}, t('report.charts.title')), h('p', {class: 'hint'}, t('report.charts.choose')));
  }
  return chartsSection(set);
}
