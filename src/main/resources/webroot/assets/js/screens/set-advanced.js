// The advanced settings pages of a set (guide ch. 9.5 "Show advanced settings"): deduplication,
// retention policy (simple and advanced), command line tool (pre/post-backup commands, admins only:
// the API says so when it refuses), bandwidth control and the others (temporary folder, links,
// compression, the encryption settings with "Unmask encryption key").
import {api, ApiError} from '../api.js';
import {checkField, field, h, replace, selectField, textareaField} from '../dom.js';
import {t} from '../i18n.js';
import {listEditor} from './set-list.js';
import {monthDayOptions, monthDayValue, weekdayPicker} from './set-schedule.js';
import {keyBox} from './sets-wizard.js';

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october',
  'november', 'december'];
// The units of the agent's rate grammar (bandwidth/Rate.java), in the canonical spelling the agent writes back.
const UNITS = ['bit/s', 'kbit/s', 'Mbit/s', 'Gbit/s', 'Kibit/s', 'Mibit/s', 'Gibit/s', 'B/s', 'kB/s', 'MB/s', 'GB/s',
  'KiB/s', 'MiB/s', 'GiB/s'];

function number(fieldName, label, value) {
  return field({field: fieldName, label, type: 'number', inputmode: 'numeric', value: value ?? ''});
}

/** A section editor of fields whose values build one part of the set. */
function section(el, fields, apply) {
  return {el, fields, apply};
}

function deduplication(set) {
  const d = set.deduplication || {};
  const on = checkField({field: 'deduplication.enabled', label: t('sets.dedup.on'), checked: d.enabled ?? true});
  const scope = selectField({field: 'deduplication.scope', label: t('sets.dedup.scope'), value: d.scope || 'all',
    options: [['path', t('sets.dedup.scope.path')], ['all', t('sets.dedup.scope.all')]]});
  const sizes = [['auto', t('sets.dedup.auto')]];
  for (let b = 4096; b <= 268435456; b *= 2) {
    sizes.push([String(b), b >= 1048576 ? (b / 1048576) + ' MiB' : (b / 1024) + ' KiB']);
  }
  if (d.blockSize && d.blockSize !== 'auto' && !sizes.some(([v]) => v === String(d.blockSize))) {
    sizes.push([String(d.blockSize), d.blockSize + ' B']);
  }
  const block = selectField({field: 'deduplication.blockSize', label: t('sets.dedup.blockSize'),
    value: String(d.blockSize || 'auto'), options: sizes});
  const migrate = checkField({field: 'deduplication.migrateData', label: t('sets.dedup.migrate'), checked: d.migrateData});
  return section(h('div', {}, on, scope, block, migrate), [on, scope, block, migrate], (doc) => ({...doc,
    deduplication: {enabled: on.input.checked, scope: scope.input.value,
      blockSize: block.input.value === 'auto' ? 'auto' : Number(block.input.value),
      migrateData: on.input.checked && migrate.input.checked}}));
}

function policyRow(p, path) {
  const name = field({field: path + '.name', label: t('sets.policy.name'), value: p.name});
  const type = selectField({field: path + '.type', label: t('sets.policy.type'), value: p.type || 'daily',
    options: ['daily', 'weekly', 'monthly', 'quarterly', 'yearly', 'custom'].map((x) => [x, t('sets.policy.type.' + x)]),
    onchange: () => shown()});
  const days = number(path + '.days', t('sets.policy.days'), p.days ?? 7);
  const weekdays = weekdayPicker(path + '.weekdays', t('sets.policy.weekdays'), p.weekdays || ['saturday']);
  const weeks = number(path + '.weeks', t('sets.policy.weeks'), p.weeks ?? 4);
  const month = selectField({field: path + '.month', label: t('sets.policy.month'), value: p.month || 'january',
    options: MONTHS.map((m) => [m, t('sets.month.' + m)])});
  const day = selectField({field: path + '.day', label: t('sets.policy.day'), value: monthDayValue(p.day),
    options: monthDayOptions()});
  const monthOfQuarter = selectField({field: path + '.monthOfQuarter', label: t('sets.policy.monthOfQuarter'),
    value: String(p.monthOfQuarter || 1), options: [1, 2, 3].map((n) => [String(n), t('sets.policy.monthN', {n})])});
  const months = number(path + '.months', t('sets.policy.months'), p.months ?? 3);
  const quarters = number(path + '.quarters', t('sets.policy.quarters'), p.quarters ?? 4);
  const years = number(path + '.years', t('sets.policy.years'), p.years ?? 7);
  const dates = field({field: path + '.dates', label: t('sets.policy.dates'), value: (p.dates || []).join(', '),
    hint: t('sets.policy.datesHint')});
  const per = {daily: [days], weekly: [weekdays, weeks], monthly: [day, months], quarterly: [day, monthOfQuarter, quarters],
    yearly: [month, day, years], custom: [dates]};
  const all = [days, weekdays, weeks, month, day, monthOfQuarter, months, quarters, years, dates];
  function shown() {
    all.forEach((f) => ((f.el || f).hidden = !per[type.input.value].includes(f)));
  }
  shown();
  const num = (f) => Number(f.input.value);
  return {el: h('fieldset', {class: 'item'}, h('legend', {}, p.name), name, type, all.map((f) => f.el || f)),
    fields: [name, type, days, ...weekdays.fields, weeks, month, day, monthOfQuarter, months, quarters, years, dates],
    value: () => {
      const ty = type.input.value;
      const base = {name: name.input.value.trim(), type: ty};
      const md = () => JSON.parse(day.input.value);
      return {
        daily: () => ({...base, days: num(days)}),
        weekly: () => ({...base, weekdays: weekdays.value(), weeks: num(weeks)}),
        monthly: () => ({...base, day: md(), months: num(months)}),
        quarterly: () => ({...base, day: md(), monthOfQuarter: num(monthOfQuarter), quarters: num(quarters)}),
        yearly: () => ({...base, month: month.input.value, day: md(), years: num(years)}),
        custom: () => ({...base, dates: dates.input.value.split(/[\s,]+/).filter(Boolean)})
      }[ty]();
    }};
}

function retention(set) {
  const r = set.retention || {};
  const type = selectField({field: 'retention.type', label: t('sets.retention.type'), value: r.type || 'simple',
    options: [['simple', t('sets.retention.simple')], ['advanced', t('sets.retention.advanced')]], onchange: () => shown()});
  const keep = number(r.keepJobs ? 'retention.keepJobs' : 'retention.keepDays', t('sets.retention.keep'),
    r.keepJobs ?? r.keepDays ?? 7);
  const unit = selectField({field: 'retention.unit', label: t('sets.retention.unit'), value: r.keepJobs ? 'jobs' : 'days',
    options: [['days', t('sets.retention.days')], ['jobs', t('sets.retention.jobs')]],
    onchange: () => keep.input.setAttribute('name', 'retention.keep' + (unit.input.value === 'jobs' ? 'Jobs' : 'Days'))});
  const policies = listEditor({field: 'retention.policies', items: r.policies || [], row: policyRow,
    newItem: (n) => ({name: t('sets.policy.defaultName', {n}), type: 'daily', days: 7}),
    addLabel: t('sets.policy.add'), removeLabel: t('sets.policy.remove'), empty: t('sets.policy.none')});
  const simple = h('div', {}, keep, unit);
  const advanced = h('div', {}, h('h3', {}, t('sets.policy.existing')), policies.el);
  function shown() {
    simple.hidden = type.input.value !== 'simple';
    advanced.hidden = !simple.hidden;
  }
  shown();
  return {el: h('div', {}, h('p', {class: 'hint'}, t('sets.retention.hint')), type, simple, advanced),
    get fields() {
      return [type, keep, unit, ...policies.fields];
    },
    apply: (doc) => ({...doc, retention: type.input.value === 'simple'
      ? {type: 'simple', [unit.input.value === 'jobs' ? 'keepJobs' : 'keepDays']: Number(keep.input.value)}
      : {type: 'advanced', policies: policies.value()}})};
}

function commandRow(c, path) {
  const name = field({field: path + '.name', label: t('sets.command.name'), value: c.name});
  const dir = field({field: path + '.workingDirectory', label: t('sets.command.dir'), value: c.workingDirectory || ''});
  const command = textareaField({field: path + '.command', label: t('sets.command.command'), value: c.command || ''});
  const timeout = number(path + '.timeoutSeconds', t('sets.command.timeout'), c.timeoutSeconds ?? 3600);
  return {el: h('fieldset', {class: 'item'}, h('legend', {}, c.name), name, dir, command, timeout),
    fields: [name, dir, command, timeout],
    value: () => ({name: name.input.value.trim(), command: command.input.value,
      timeoutSeconds: Number(timeout.input.value) || 3600,
      ...(dir.input.value.trim() ? {workingDirectory: dir.input.value.trim()} : {})})};
}

function commands(set) {
  const list = (key, prefix) => listEditor({field: key, items: set[key] || [], row: commandRow,
    newItem: (n) => ({name: prefix + '-' + n, command: ''}), addLabel: t('sets.command.add.' + key),
    removeLabel: t('sets.command.remove'), empty: t('sets.command.none')});
  const pre = list('preBackupCommands', 'Pre-Backup');
  const post = list('postBackupCommands', 'Post-Backup');
  return {el: h('div', {}, h('p', {class: 'hint'}, t('sets.command.hint')),
    h('h3', {}, t('sets.command.pre')), pre.el, h('h3', {}, t('sets.command.post')), post.el),
  get fields() {
    return [...pre.fields, ...post.fields];
  },
  apply: (doc) => ({...doc, preBackupCommands: pre.value(), postBackupCommands: post.value()})};
}

function limitRow(l, path) {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(\S+)\s*$/.exec(l.rate || '') || [null, '10', 'Mibit/s'];
  const name = field({field: path + '.name', label: t('sets.limit.name'), value: l.name});
  const rate = number(path + '.rate', t('sets.limit.rate'), m[1]);
  rate.input.step = 'any'; // 1.5 MiB/s
  rate.input.inputMode = 'decimal';
  const unit = selectField({field: path + '.unit', label: t('sets.limit.unit'), value: m[2],
    options: (UNITS.includes(m[2]) ? UNITS : [...UNITS, m[2]]).map((u) => [u, u])});
  const kind = selectField({field: path + '.always', label: t('sets.limit.type'), value: l.period ? 'period' : 'always',
    options: [['always', t('sets.limit.always')], ['period', t('sets.limit.period')]], onchange: () => shown()});
  const p = l.period || {};
  const days = weekdayPicker(path + '.period.days', t('sets.limit.days'), p.days || ['mon', 'tue', 'wed', 'thu', 'fri']);
  const from = field({field: path + '.period.from', label: t('sets.limit.from'), type: 'time', value: p.from || '09:00'});
  const to = field({field: path + '.period.to', label: t('sets.limit.to'), type: 'time', value: p.to || '17:00'});
  const period = h('div', {}, days.el, from, to);
  function shown() {
    period.hidden = kind.input.value !== 'period';
  }
  shown();
  return {el: h('fieldset', {class: 'item'}, h('legend', {}, l.name), name, rate, unit, kind, period),
    fields: [name, rate, unit, kind, ...days.fields, from, to],
    value: () => {
      const out = {name: name.input.value.trim(), rate: rate.input.value.trim() + unit.input.value};
      return kind.input.value === 'always' ? {...out, always: true}
        : {...out, period: {days: days.value().map((d) => d.slice(0, 3)), from: from.input.value, to: to.input.value}};
    }};
}

function bandwidth(set) {
  const b = set.bandwidth || {};
  const on = checkField({field: 'bandwidth.enabled', label: t('sets.bandwidth.on'), checked: b.enabled});
  const mode = selectField({field: 'bandwidth.mode', label: t('sets.bandwidth.mode'), value: b.mode || 'independent',
    options: [['independent', t('sets.bandwidth.independent')], ['shared', t('sets.bandwidth.shared')]]});
  const limits = listEditor({field: 'bandwidth.limits', items: b.limits || [], row: limitRow,
    newItem: (n) => ({name: t('sets.limit.defaultName', {n}), rate: '100Kibit/s', always: true}),
    addLabel: t('sets.limit.add'), removeLabel: t('sets.limit.remove'), empty: t('sets.limit.none')});
  return {el: h('div', {}, h('p', {class: 'hint'}, t('sets.bandwidth.hint')), on, mode,
    h('h3', {}, t('sets.limit.existing')), limits.el),
  get fields() {
    return [on, mode, ...limits.fields];
  },
  apply: (doc) => ({...doc, bandwidth: {enabled: on.input.checked, mode: mode.input.value, limits: limits.value()}})};
}

function others(set) {
  const o = set.others || {};
  const temp = field({field: 'others.tempDirectory', label: t('sets.others.temp'), value: o.tempDirectory || '',
    hint: t('sets.others.tempHint')});
  const removeTemp = checkField({field: 'others.removeTempAfterBackup', label: t('sets.others.removeTemp'),
    checked: o.removeTempAfterBackup ?? true});
  const follow = checkField({field: 'others.followLinks', label: t('sets.others.followLinks'), checked: o.followLinks});
  const compression = selectField({field: 'others.compression', label: t('sets.others.compression'),
    value: o.compression || 'fast-local',
    options: ['none', 'normal', 'fast', 'fast-local'].map((c) => [c, t('sets.compression.' + c)])});
  return {el: h('div', {}, temp, removeTemp, follow, compression, encryptionView(set)),
    fields: [temp, removeTemp, follow, compression],
    apply: (doc) => {
      const out = {removeTempAfterBackup: removeTemp.input.checked, followLinks: follow.input.checked,
        compression: compression.input.value};
      if (temp.input.value.trim()) {
        out.tempDirectory = temp.input.value.trim();
      }
      return {...doc, others: out};
    }};
}

/** The encryption settings, fixed since creation, with "Unmask encryption key" (POST .../key/unmask). */
function encryptionView(set) {
  const e = set.encryption || {};
  const shown = h('div', {'aria-live': 'polite'});
  const rows = e.enabled === false ? [[t('sets.enc.state'), t('sets.enc.off')]] : [
    [t('sets.enc.key'), '••••••'], [t('sets.enc.algorithm'), e.algorithm || 'AES'],
    [t('sets.enc.mode'), String(e.mode || '').toUpperCase()], [t('sets.enc.keyBits'), t('sets.enc.bits', {n: e.keyBits})]];
  const unmask = e.enabled === false ? null : h('button', {type: 'button', class: 'secondary', onclick: async () => {
    if (shown.childNodes.length) {
      replace(shown);
      replace(unmask, t('sets.enc.unmask'));
      return;
    }
    try {
      const r = await api('POST', 'sets/' + set.id + '/key/unmask', {});
      replace(shown, keyBox(r.encryptionKey));
      replace(unmask, t('sets.enc.mask'));
    } catch (err) {
      if (!(err instanceof ApiError)) {
        throw err;
      }
      replace(shown, h('p', {class: 'alert', role: 'alert'}, err.message));
    }
  }}, t('sets.enc.unmask'));
  return h('section', {'aria-labelledby': 'enc-h'}, h('h3', {id: 'enc-h'}, t('sets.enc.title')),
    h('table', {'data-table': 'encryption'}, h('tbody', {}, rows.map(([k, v]) =>
      h('tr', {}, h('th', {scope: 'row'}, k), h('td', {}, v))))),
    h('p', {class: 'hint'}, t('sets.enc.fixed')), unmask, shown);
}

/** The advanced sections in the guide's order. */
export const ADVANCED = {deduplication, retention, commands, bandwidth, others};
