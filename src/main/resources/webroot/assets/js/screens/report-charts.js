// The charts of one set (issue: "pictures where people look rather than read"): storage used per
// destination over time, job durations, and new and changed data per job, from GET /sets/{id}/stats.
// Chart.js (its WebJar, served as /assets/vendor/chart.umd.min.js) draws each on a canvas; every chart
// has the same numbers as a table below it and a one-line summary as the canvas's accessible name.
import {api} from '../api.js';
import {h, replace} from '../dom.js';
import {t} from '../i18n.js';
import {formatBytes} from '../live.js';
import {formatCount, formatSeconds as seconds, formatShortTime, formatTime} from './report-common.js';

/** Jobs drawn per chart (the newest). */
const POINTS = 30;
const COLOURS = ['#0b4f8a', '#c25700', '#1e6b34', '#6f42c1', '#a3141c', '#4a5561'];
let library = null;

/** Loads Chart.js once (a classic script: the UMD file sets window.Chart). */
function chartLibrary() {
  if (!library) {
    library = new Promise((resolve, reject) => {
      const s = document.createElement('script');
      s.src = '/assets/vendor/chart.umd.min.js';
      s.addEventListener('load', () => resolve(window.Chart));
      s.addEventListener('error', () => {
        library = null;
        reject(new Error(t('report.charts.noLibrary')));
      });
      document.head.appendChild(s);
    });
  }
  return library;
}

/** The charts section of set {id, name}: drawn once its series and Chart.js have come. */
export function chartsSection(set) {
  const content = h('div', {}, h('p', {class: 'hint'}, t('report.charts.loading')));
  const el = h('section', {class: 'report-charts', 'aria-labelledby': 'report-charts-title', 'data-charts': set.id},
    h('h2', {id: 'report-charts-title'}, t('report.charts.titleOf', {name: set.name})), content);
  Promise.all([api('GET', 'sets/' + set.id + '/stats?limit=' + POINTS), chartLibrary()])
    .then(([series, Chart]) => {
      draw(content, series, Chart);
      el.dataset.drawn = 'true';
    })
    .catch((e) => replace(content, h('p', {class: 'alert', role: 'alert'}, e.message)));
  return el;
}

function draw(content, series, Chart) {
  const dests = series.destinations || [];
  const backups = dests.flatMap((d) => d.points.filter((p) => p.kind === 'backup').map((p) => ({...p, destination: d.name})))
    .sort((a, b) => a.endedAt - b.endedAt).slice(-POINTS);
  if (!backups.length) {
    replace(content, h('p', {class: 'note'}, t('report.charts.none')));
    return;
  }
  const several = dests.length > 1;
  const jobLabel = (p) => formatShortTime(p.endedAt) + (several ? ' · ' + p.destination : '');
  replace(content,
    storage(Chart, dests),
    durations(Chart, backups, jobLabel),
    newData(Chart, backups, jobLabel));
}

/** A figure: title, canvas (role img, named by the summary), the summary, and the data as a table. */
function figure(name, title, summaryText, columns, rows) {
  const canvas = h('canvas', {role: 'img', 'aria-label': title + '. ' + summaryText});
  const table = h('table', {class: 'report-table', 'data-table': 'chart-' + name},
    h('caption', {}, t('report.charts.tableOf', {title})),
    h('thead', {}, h('tr', {}, columns.map((c) => h('th', {scope: 'col'}, c)))),
    h('tbody', {}, rows.map((cells) => h('tr', {}, cells.map(([text, value]) =>
      h('td', {'data-value': value === undefined ? null : String(value)}, text))))));
  const fig = h('figure', {class: 'report-chart', 'data-chart': name},
    h('figcaption', {}, h('h3', {}, title), h('p', {class: 'hint'}, summaryText)),
    h('div', {class: 'report-chart-box'}, canvas),
    h('details', {}, h('summary', {}, t('report.charts.showTable')),
      h('div', {class: 'report-scroll', tabindex: '0', role: 'region', 'aria-label': title}, table)));
  fig.canvas = canvas;
  return fig;
}

const BASE = {
  animation: false,
  maintainAspectRatio: false,
  responsive: true,
  plugins: {legend: {position: 'bottom'}}
};

function storage(Chart, dests) {
  const latest = dests.map((d) => d.points.length ? d.name + ' ' + formatBytes(d.points.at(-1).storedTotal) : null)
    .filter(Boolean).join(', ');
  const rows = dests.flatMap((d) => d.points.slice().reverse().map((p) => [[d.name], [formatTime(p.endedAt), p.endedAt],
    [p.kind === 'backup' ? t('report.kind.backup') : t('report.kind.space-freeing')],
    [formatBytes(p.storedTotal), p.storedTotal]]));
  const fig = figure('storage', t('report.charts.storage'), t('report.charts.storageSummary', {latest}),
    [t('report.col.destination'), t('report.charts.after'), t('report.charts.job'), t('report.charts.stored')], rows);
  new Chart(fig.canvas, {
    type: 'line',
    data: {datasets: dests.map((d, i) => ({label: d.name, data: d.points.map((p) => ({x: p.endedAt, y: p.storedTotal})),
      borderColor: COLOURS[i % COLOURS.length], backgroundColor: COLOURS[i % COLOURS.length], stepped: true}))},
    options: {...BASE, scales: {
      x: {type: 'linear', ticks: {callback: (v) => formatShortTime(v), maxTicksLimit: 6}},
      y: {beginAtZero: true, ticks: {callback: (v) => formatBytes(v)}}}}
  });
  return fig;
}

function durations(Chart, backups, jobLabel) {
  const secs = backups.map((p) => p.durationMs / 1000);
  const longest = backups.reduce((a, b) => (b.durationMs > a.durationMs ? b : a));
  const summaryText = t('report.charts.durationsSummary', {last: seconds(secs.at(-1)),
    longest: seconds(longest.durationMs / 1000), when: formatShortTime(longest.endedAt), n: backups.length});
  const rows = backups.slice().reverse().map((p) => [[formatTime(p.endedAt), p.endedAt], [p.destination],
    [seconds(p.durationMs / 1000), p.durationMs]]);
  const fig = figure('durations', t('report.charts.durations'), summaryText,
    [t('report.charts.job'), t('report.col.destination'), t('report.charts.duration')], rows);
  new Chart(fig.canvas, {
    type: 'bar',
    data: {labels: backups.map(jobLabel), datasets: [{label: t('report.charts.seconds'), data: secs,
      backgroundColor: COLOURS[0]}]},
    options: {...BASE, plugins: {legend: {display: false}}, scales: {
      y: {beginAtZero: true, ticks: {callback: (v) => seconds(v)}}}}
  });
  return fig;
}

function newData(Chart, backups, jobLabel) {
  const last = backups.at(-1);
  const summaryText = t('report.charts.newDataSummary', {bytes: formatBytes(last.bytesNew),
    files: formatCount(last.filesNew), changed: formatCount(last.filesChanged),
    total: formatBytes(backups.reduce((s, p) => s + p.bytesNew, 0)), n: backups.length});
  const rows = backups.slice().reverse().map((p) => [[formatTime(p.endedAt), p.endedAt], [p.destination],
    [formatCount(p.filesNew), p.filesNew], [formatCount(p.filesChanged), p.filesChanged],
    [formatBytes(p.bytesNew), p.bytesNew]]);
  const fig = figure('new-data', t('report.charts.newData'), summaryText,
    [t('report.charts.job'), t('report.col.destination'), t('report.charts.filesNew'), t('report.charts.filesChanged'),
      t('report.charts.bytesNew')], rows);
  new Chart(fig.canvas, {
    type: 'bar',
    data: {labels: backups.map(jobLabel), datasets: [{label: t('report.charts.bytesNew'),
      data: backups.map((p) => p.bytesNew), backgroundColor: COLOURS[1]}]},
    options: {...BASE, plugins: {legend: {display: false}, tooltip: {callbacks: {
      label: (c) => formatBytes(c.parsed.y) + ' · ' + t('report.charts.filesTip', {files: formatCount(backups[c.dataIndex]
        .filesNew), changed: formatCount(backups[c.dataIndex].filesChanged)})}}},
    scales: {y: {beginAtZero: true, ticks: {callback: (v) => formatBytes(v)}}}}
  });
  return fig;
}
