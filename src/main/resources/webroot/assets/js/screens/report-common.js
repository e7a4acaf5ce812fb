// What the Report screens share: a report's kind, its set's name, times and values in the reader's words.
import {api} from '../api.js';
import {h, replace} from '../dom.js';
import {currentLanguage, formatDateTime, t} from '../i18n.js';
import {formatBytes, formatDuration} from '../live.js';

/** The guide's report statuses, as the API names them (GET /jobs?status=). */
export const STATUSES = ['Completed', 'Completed with warning(s)', 'Interrupted', 'Interrupted with error(s)',
  'Failed', 'In progress', 'Backup not yet finished', 'Missed'];

/** The three kinds of report (GET /jobs?kind=), in the order of the screen's tabs. */
export const KINDS = ['backup', 'restore', 'space-freeing'];

/** The kind of a report from its trigger. */
export function kindOf(report) {
  if (report.trigger === 'restore') {
    return 'restore';
  }
  return report.trigger === 'space-freeing' || report.trigger === 'retention' ? 'space-freeing' : 'backup';
}

/** The set's name, or what stands for it once the set is deleted. */
export function setNameOf(report) {
  return report.setName ?? t('report.deletedSet', {id: report.setId});
}

/** Epoch milliseconds → "6 Dec 2026, 18:20:05" in the reader's language and time zone ('' for none). */
export function formatTime(ms) {
  if (ms === null || ms === undefined) {
    return '';
  }
  return formatDateTime(ms, {dateStyle: 'medium', timeStyle: 'medium'});
}

/** Epoch milliseconds → "6 Dec, 18:20", for chart axes and table rows of many jobs. */
export function formatShortTime(ms) {
  return formatDateTime(ms, {day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit'});
}

/** How long a report took ("1 min 5 s", "0.35 s"), or '' while it runs. */
export function durationOf(report) {
  return report.endedAt ? formatSeconds((report.endedAt - report.startedAt) / 1000) : '';
}

/** A duration in seconds, with hundredths below 1 s and tenths below 10 s (small backups take less than one). */
export function formatSeconds(s) {
  if (s >= 10) {
    return formatDuration(s);
  }
  return new Intl.NumberFormat(currentLanguage(), {maximumFractionDigits: s < 1 ? 2 : 1}).format(s) + ' s';
}

export function formatCount(n) {
  return new Intl.NumberFormat(currentLanguage()).format(Number(n || 0));
}

/** A statistic's value: bytes for bytes* keys, yes/no, numbers with the reader's grouping, text as text. */
export function formatStat(key, value) {
  if (typeof value === 'boolean') {
    return t(value ? 'report.yes' : 'report.no');
  }
  if (typeof value === 'number') {
    return key.startsWith('bytes') || key === 'bytes' ? formatBytes(value) : formatCount(value);
  }
  return value === null || value === undefined ? '' : String(value);
}

/** A labelled select: {name, label, options: [[value, text]], value}; returns the wrapper with .input. */
export function selectField({name, label, options, value}) {
  const id = 'report-' + name;
  const input = h('select', {id, name}, options.map(([v, text]) => h('option', {value: v, selected: v === value},
    text)));
  const wrap = h('div', {class: 'field'}, h('label', {for: id}, label), input);
  wrap.input = input;
  return wrap;
}

/** Previous page / "Page N" / Next page buttons; returns {el, draw(page, hasNext)}. */
export function pager(onPrevious, onNext, labelKey) {
  const previous = h('button', {type: 'button', class: 'secondary', onclick: onPrevious}, t('report.previousPage'));
  const next = h('button', {type: 'button', class: 'secondary', onclick: onNext}, t('report.nextPage'));
  const where = h('span', {'aria-live': 'polite', 'data-page': true});
  const el = h('nav', {class: 'report-pager', 'aria-label': t(labelKey)}, previous, where, next);
  return {
    el,
    draw(page, hasNext) {
      previous.disabled = page <= 1;
      next.disabled = !hasNext;
      where.textContent = t('report.page', {n: page});
    }
  };
}

/**
 * GETs for a view that may ask again before an answer comes (a filter changed, a page button):
 * returns get(path), which resolves to the answer of the newest request only, and to null for an
 * overtaken one or a refusal (the refusal's message shown in alert, hidden again on success).
 */
export function newestOnly(alert) {
  let latest = 0;
  return async function get(path) {
    const mine = ++latest;
    let answer;
    try {
      answer = await api('GET', path);
    } catch (e) {
      if (mine === latest) {
        replace(alert, e.message);
        alert.hidden = false;
      }
      return null;
    }
    if (mine !== latest) {
      return null; // a newer request is on its way
    }
    alert.hidden = true;
    return answer;
  };
}
