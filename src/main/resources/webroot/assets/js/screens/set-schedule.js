// A set's backup schedules (guide ch. 9.5 "Backup Schedule"): on/off for the set, then a list of
// schedules (daily, weekly, monthly, custom), each starting at a time or every period.
import {checkField, field, groupError, h, replace, selectField} from '../dom.js';
import {t} from '../i18n.js';

export const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const EVERY = ['1m', '2m', '3m', '4m', '5m', '6m', '10m', '12m', '30m', '1h', '2h', '3h', '4h', '6h', '8h', '12h'];
const ORDINALS = ['first', 'second', 'third', 'fourth', 'last'];

/** The choices of a month day ({"day": 1..31|"last"} or {"ordinal", "weekday"}), as [json, text]. */
export function monthDayOptions() {
  const out = [];
  for (let d = 1; d <= 31; d++) {
    out.push([JSON.stringify({day: d}), t('sets.monthDay.day', {day: d})]);
  }
  out.push([JSON.stringify({day: 'last'}), t('sets.monthDay.lastDay')]);
  for (const o of ORDINALS) {
    for (const w of [...WEEKDAYS.slice(1), WEEKDAYS[0], 'day']) {
      out.push([JSON.stringify({ordinal: o, weekday: w}),
        t('sets.ordinal.' + o) + ' ' + (w === 'day' ? t('sets.monthDay.dayWord') : t('sets.weekday.' + w))]);
    }
  }
  return out;
}

/** The canonical text of a month day as in monthDayOptions. */
export function monthDayValue(md) {
  if (!md) {
    return JSON.stringify({day: 1});
  }
  if (md.day !== undefined) {
    return JSON.stringify({day: md.day});
  }
  const long = WEEKDAYS.find((w) => w.startsWith(String(md.weekday).toLowerCase())) || md.weekday;
  return JSON.stringify({ordinal: md.ordinal, weekday: long});
}

/** Weekday checkboxes (Sun..Sat) named by field; .value() gives the chosen names. */
export function weekdayPicker(fieldName, legend, chosen) {
  const picked = (chosen || []).map((d) => WEEKDAYS.find((w) => w.startsWith(String(d).toLowerCase())));
  const boxes = WEEKDAYS.map((w) => checkField({label: t('sets.weekday.' + w), checked: picked.includes(w)}));
  const error = groupError(fieldName);
  const el = h('fieldset', {class: 'weekdays'}, h('legend', {}, legend), h('div', {class: 'inline'}, boxes), error.el);
  return {el, fields: [error], value: () => WEEKDAYS.filter((w, i) => boxes[i].input.checked)};
}

/** The schedules editor for a set ({} for a new one). Returns {el, fields, value()}. */
export function schedulesEditor(set, enabledByDefault) {
  let items = (set.schedules || []).map((s) => ({...s}));
  const on = checkField({field: 'scheduleEnabled', label: t('sets.schedule.on'),
    checked: set.scheduleEnabled ?? enabledByDefault});
  const list = h('div', {});
  const group = groupError('schedules');
  let rows = [];

  function current() {
    return rows.map((r) => r.value());
  }

  function draw() {
    rows = items.map((s, i) => scheduleRow(s, i, () => {
      items = current();
      items.splice(i, 1);
      draw();
    }));
    replace(list, rows.length ? rows.map((r) => r.el) : h('p', {}, t('sets.schedule.none')));
  }

  const add = h('button', {type: 'button', class: 'secondary', onclick: () => {
    items = current();
    items.push({name: t('sets.schedule.defaultName', {n: items.length + 1}), type: 'daily', at: '21:00'});
    on.input.checked = true;
    draw();
    list.lastChild.querySelector('input')?.focus();
  }}, t('sets.schedule.add'));
  draw();
  return {
    el: h('div', {}, on, h('h3', {}, t('sets.schedule.existing')), list, group.el, h('div', {class: 'actions'}, add)),
    get fields() {
      return [on, group, ...rows.flatMap((r) => r.fields)];
    },
    value: () => ({scheduleEnabled: on.input.checked, schedules: current()})
  };
}

function scheduleRow(s, i, remove) {
  const p = 'schedules[' + i + ']';
  const name = field({field: p + '.name', label: t('sets.schedule.name'), value: s.name});
  const type = selectField({field: p + '.type', label: t('sets.schedule.type'), value: s.type,
    options: ['daily', 'weekly', 'monthly', 'custom'].map((x) => [x, t('sets.schedule.type.' + x)]),
    onchange: () => shown()});
  const days = weekdayPicker(p + '.weekdays', t('sets.schedule.weekdays'), s.weekdays);
  const monthDay = selectField({field: p + '.monthDay', label: t('sets.schedule.monthDay'),
    value: monthDayValue(s.monthDay), options: monthDayOptions()});
  const date = field({field: p + '.date', label: t('sets.schedule.date'), type: 'date', value: s.date || ''});
  const start = selectField({field: p + '.start', label: t('sets.schedule.start'), value: s.every ? 'every' : 'at',
    options: [['at', t('sets.schedule.start.at')], ['every', t('sets.schedule.start.every')]], onchange: () => shown()});
  const at = field({field: p + '.at', label: t('sets.schedule.at'), type: 'time', value: s.at || '21:00'});
  const every = selectField({field: p + '.every', label: t('sets.schedule.every'), value: s.every || '1h',
    options: EVERY.map((e) => [e, t('sets.every.' + e.slice(-1), {n: parseInt(e, 10)})])});
  const stop = selectField({field: p + '.stopAfterHours', label: t('sets.schedule.stop'),
    value: s.stopAfterHours ? String(s.stopAfterHours) : '',
    options: [['', t('sets.schedule.stop.until')]].concat([...Array(24).keys()].map((n) =>
      [String(n + 1), t('sets.schedule.stop.after', {n: n + 1})]))});
  const retention = checkField({field: p + '.runRetentionAfterBackup', label: t('sets.schedule.retention'),
    checked: s.runRetentionAfterBackup});

  function shown() {
    const ty = type.input.value;
    days.el.hidden = ty !== 'weekly';
    monthDay.hidden = ty !== 'monthly';
    date.hidden = ty !== 'custom';
    start.hidden = ty === 'monthly' || ty === 'custom';
    const periodic = !start.hidden && start.input.value === 'every';
    at.hidden = periodic;
    every.hidden = !periodic;
    stop.hidden = periodic;
  }
  shown();
  const fields = [name, type, ...days.fields, monthDay, date, start, at, every, stop, retention];
  const el = h('fieldset', {class: 'item', 'data-schedule': i}, h('legend', {}, s.name || name.input.value),
    name, type, days.el, monthDay, date, start, at, every, stop, retention,
    h('button', {type: 'button', class: 'secondary', onclick: remove}, t('sets.schedule.remove')));
  return {el, fields, value: () => {
    const ty = type.input.value;
    const out = {name: name.input.value.trim(), enabled: s.enabled ?? true, type: ty,
      runRetentionAfterBackup: retention.input.checked};
    if (ty === 'weekly') {
      out.weekdays = days.value();
    } else if (ty === 'monthly') {
      out.monthDay = JSON.parse(monthDay.input.value);
    } else if (ty === 'custom') {
      out.date = date.input.value;
    }
    if (!start.hidden && start.input.value === 'every') {
      out.every = every.input.value;
    } else {
      out.at = at.input.value;
      if (stop.input.value) {
        out.stopAfterHours = Number(stop.input.value);
      }
    }
    return out;
  }};
}
