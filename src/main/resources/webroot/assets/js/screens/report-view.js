// One report (guide ch. 9.6, "View log"): when, what, its status in the reader's words, its statistics,
// and its log with the type filter (all / information / warning / error), records per page and page
// navigation. A job still running shows its live progress (js/live.js) and is drawn again when it ends.
import {api} from '../api.js';
import {alertBox, h, replace} from '../dom.js';
import {t} from '../i18n.js';
import {follow, progressView, statusLabel} from '../live.js';
import {navigate} from '../app.js';
import {durationOf, formatStat, formatTime, kindOf, newestOnly, pager, selectField, setNameOf} from './report-common.js';

const LEVELS = ['', 'info', 'warning', 'error'];
const LOG_SIZES = ['10', '25', '50', '100', '500'];
/** The statistics in the order they are shown; other keys follow as the API names them. */
const STAT_ORDER = ['filesNew', 'filesChanged', 'filesUnchanged', 'filesDeleted', 'files', 'folders', 'symlinks',
  'bytesRead', 'bytesNew', 'bytesStored', 'bytes', 'blocks', 'failed', 'deleted', 'verified', 'target',
  'versionsRemoved', 'versionsKept', 'blocksDeleted', 'blocksRepacked', 'indexPartsDeleted', 'bytesFreed',
  'warnings', 'errors'];

export async function reportScreen(id) {
  const r = await api('GET', 'jobs/' + id + '?logLimit=1');
  const kind = kindOf(r);
  const el = h('div', {class: 'report'}, h('h1', {}, t('report.title.' + kind)),
    h('p', {}, h('a', {href: '/report?kind=' + kind + (r.setName !== null ? '&setId=' + r.setId : ''),
      'data-link': true}, t('report.back'))),
    summary(r),
    r.status === 'In progress' ? live(id, r) : null,
    h('h2', {}, t('report.statistics')),
    statistics(r.stats || {}),
    await logSection(id));
  return el;
}

function summary(r) {
  const rows = [
    ['set', setNameOf(r)],
    ['destination', r.destination],
    ['trigger', t('report.trigger.' + r.trigger)],
    ['schedule', r.scheduleName],
    ['started', formatTime(r.startedAt)],
    ['ended', formatTime(r.endedAt)],
    ['duration', durationOf(r)],
    ['status', statusLabel(r.status)],
    ['job', r.jobId]
  ].filter(([, v]) => v !== null && v !== undefined && v !== '');
  return h('table', {'data-table': 'report'}, h('caption', {class: 'visually-hidden'}, t('report.summary')),
    h('tbody', {}, rows.map(([k, v]) => h('tr', {'data-row': k}, h('th', {scope: 'row'}, t('report.row.' + k)),
      h('td', {}, v)))));
}

function statistics(stats) {
  if (!Object.keys(stats).length) {
    return h('p', {class: 'hint'}, t('report.noStatistics'));
  }
  const keys = [...STAT_ORDER.filter((k) => k in stats), ...Object.keys(stats).filter((k) => !STAT_ORDER.includes(k))];
  return h('table', {'data-table': 'stats'}, h('caption', {class: 'visually-hidden'}, t('report.statistics')),
    h('tbody', {}, keys.map((k) => {
      const label = t('report.stat.' + k);
      return h('tr', {'data-stat': k}, h('th', {scope: 'row'}, label.startsWith('report.stat.') ? k : label),
        h('td', {}, formatStat(k, stats[k])));
    })));
}

/** The live progress of a running job; when it ends, the report is drawn again (if still on screen). */
function live(id, r) {
  const view = progressView();
  view.update(r.progress || {status: r.status, phase: 'preparing'});
  const here = location.pathname;
  const stream = follow(id, {
    onProgress: (p) => {
      if (location.pathname !== here) { // the reader went elsewhere
        stream.close();
        return;
      }
      view.update(p);
    },
    onDone: (p) => {
      view.update(p);
      if (location.pathname === here) {
        navigate(here, true);
      }
    },
    onError: () => {}
  });
  return h('section', {'aria-label': t('report.live')}, view);
}

/** The log: Type and Records per page, a page of lines, Previous page / Next page (a stack of cursors). */
async function logSection(id) {
  const type = selectField({name: 'level', label: t('report.type'), value: '',
    options: LEVELS.map((l) => [l, t('report.level.' + (l || 'all'))])});
  const size = selectField({name: 'logLimit', label: t('report.perPage'), value: '100',
    options: LOG_SIZES.map((n) => [n, n])});
  const alert = alertBox();
  const body = h('tbody');
  const table = h('table', {class: 'report-table report-log', 'data-table': 'log'},
    h('caption', {class: 'visually-hidden'}, t('report.log')),
    h('thead', {}, h('tr', {}, ['time', 'type', 'message'].map((c) => h('th', {scope: 'col'}, t('report.logCol.' + c))))),
    body);
  const empty = h('p', {class: 'note', 'data-empty': true}, t('report.noLines'));
  let cursors = [0];
  let page = 0;
  const paging = pager(() => show(page - 1), () => show(page + 1), 'report.logPages');

  const get = newestOnly(alert);
  async function show(p) {
    const q = new URLSearchParams({logLimit: size.input.value, logAfter: String(cursors[p])});
    if (type.input.value) {
      q.set('level', type.input.value);
    }
    const r = await get('jobs/' + id + '?' + q.toString());
    if (!r) {
      return;
    }
    page = p;
    if (r.logNext !== null && r.logNext !== undefined && cursors.length === p + 1) {
      cursors.push(r.logNext);
    }
    replace(body, (r.log || []).map((l) => h('tr', {'data-level': l.level},
      h('td', {class: 'report-log-time'}, formatTime(l.time)),
      h('td', {class: 'report-log-type report-level-' + l.level}, t('report.level.' + l.level)),
      h('td', {class: 'report-log-message'}, l.message))));
    table.hidden = !r.log || !r.log.length;
    empty.hidden = !table.hidden;
    replace(empty, t(type.input.value ? 'report.noLines' : 'report.noLinesYet'));
    paging.draw(p + 1, r.logNext !== null && r.logNext !== undefined);
  }
  const restart = () => {
    cursors = [0];
    show(0);
  };
  type.input.addEventListener('change', restart);
  size.input.addEventListener('change', restart);
  await show(0);
  return h('section', {'aria-labelledby': 'report-log-title'}, h('h2', {id: 'report-log-title'}, t('report.log')),
    h('div', {class: 'report-filters'}, type, size), alert,
    h('div', {class: 'report-scroll', tabindex: '0', role: 'region', 'aria-label': t('report.log')}, table), empty,
    paging.el);
}
