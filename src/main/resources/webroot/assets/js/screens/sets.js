// Backup Sets (guide ch. 9.5): the list of the user's sets (/sets), the creation wizard of ch. 10
// (/sets/new, screens/sets-wizard.js) and each set's settings pages (/sets/{id}/<section>,
// screens/set-sections.js).
import {allSets, api} from '../api.js';
import {h} from '../dom.js';
import {formatDateTime, t} from '../i18n.js';

export async function screen({path}) {
  const parts = path.split('/').filter(Boolean); // ['sets', id?, section?]
  if (parts.length === 1) {
    return listScreen();
  }
  if (parts[1] === 'new' && parts.length === 2) {
    return (await import('./sets-wizard.js')).wizardScreen();
  }
  return (await import('./set-sections.js')).setScreen(parts[1], parts[2] || 'general');
}

/** A date and time in the console's language. */
export function when(ms) {
  return formatDateTime(ms, {dateStyle: 'medium', timeStyle: 'short'});
}

/** A schedule in words: "Daily at 21:00", "Weekly (mon, fri) every 4h", ... */
export function scheduleText(s) {
  const start = s.at ? t('sets.schedule.atText', {time: s.at}) : t('sets.schedule.everyText', {every: s.every});
  const days = s.type === 'weekly' ? ' (' + (s.weekdays || []).join(', ') + ')'
    : s.type === 'custom' ? ' (' + s.date + ')' : '';
  return t('sets.schedule.type.' + s.type) + days + ' ' + start;
}

/** "Next run: <time>", or why there is none; the schedules themselves when the agent cannot say. */
async function nextRun(set) {
  if (!set.scheduleEnabled || !(set.schedules || []).length) {
    return t('sets.list.noSchedule');
  }
  const what = set.schedules.filter((x) => x.enabled !== false).map(scheduleText).join('; ');
  try {
    const r = await api('GET', 'sets/' + set.id + '/next-run');
    return r.nextRun ? t('sets.list.next', {time: when(r.nextRun), schedules: what}) : t('sets.list.noNext', {schedules: what});
  } catch (e) {
    return what;
  }
}

async function lastBackup(set) {
  const page = await api('GET', 'jobs?kind=backup&limit=1&setId=' + set.id);
  const last = page.items && page.items[0];
  if (!last) {
    return t('sets.list.never');
  }
  return t('sets.list.last', {time: when(last.endedAt || last.startedAt), status: last.status});
}

async function listScreen() {
  const sets = await allSets();
  const lasts = await Promise.all(sets.map((s) => lastBackup(s).catch((e) => e.message)));
  const nexts = await Promise.all(sets.map(nextRun));
  const rows = sets.map((s, i) => h('tr', {'data-set': s.id},
    h('th', {scope: 'row'}, h('a', {href: '/sets/' + s.id, 'data-link': true}, s.name)),
    h('td', {}, t('sets.type.file')),
    h('td', {}, (s.destinations || []).map((d) => d.name).join(', ')),
    h('td', {}, lasts[i]),
    h('td', {}, nexts[i])));
  return h('div', {}, h('h1', {}, t('entry.sets')),
    h('p', {}, h('a', {href: '/sets/new', 'data-link': true, class: 'button'}, t('sets.new'))),
    sets.length ? h('div', {class: 'table-scroll'}, h('table', {'data-table': 'sets', class: 'sets-list'},
      h('caption', {class: 'visually-hidden'}, t('entry.sets')),
      h('thead', {}, h('tr', {}, [t('sets.col.name'), t('sets.col.type'), t('sets.col.destinations'),
        t('sets.col.last'), t('sets.col.schedule')].map((c) => h('th', {scope: 'col'}, c)))),
      h('tbody', {}, rows))) : h('p', {class: 'note'}, t('sets.list.none')),
    h('p', {}, h('a', {href: '/', 'data-link': true}, t('notFound.home'))));
}
