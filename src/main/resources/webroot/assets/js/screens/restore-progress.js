// A running restore (guide ch. 13.2 steps 10-12): its live progress (js/live.js, fed by the job's
// event stream), Stop, then the result with the restored counts and a link to its report. The page
// has its own address, /restore/{setId}/job/{reportId}, so a reload keeps following the job.
import {api, ApiError} from '../api.js';
import {alertBox, h, replace} from '../dom.js';
import {t} from '../i18n.js';
import {closeWhenGone, follow, formatBytes, progressView, statusLabel} from '../live.js';

function resultTable(job) {
  const s = job.stats || {};
  const rows = [
    [t('restore.result.status'), statusLabel(job.status)],
    [t('restore.result.files'), String(s.files ?? 0)],
    [t('restore.result.folders'), String(s.folders ?? 0)],
    [t('restore.result.bytes'), formatBytes(s.bytes ?? 0)],
    [t('restore.result.deleted'), String(s.deleted ?? 0)],
    [t('restore.result.verified'), String(s.verified ?? 0)],
    [t('restore.result.failed'), String(s.failed ?? 0)],
    [t('restore.result.target'), s.target || '']
  ];
  return h('table', {'data-table': 'restore-result'}, h('tbody', {}, rows.map(([k, v]) =>
    h('tr', {}, h('th', {scope: 'row'}, k), h('td', {}, v)))));
}

export async function restoreProgress(setId, reportId) {
  const job = await api('GET', 'jobs/' + encodeURIComponent(reportId) + '?logLimit=1');
  const view = progressView();
  const result = h('div', {class: 'restore-result', 'aria-live': 'polite'});
  const alert = alertBox();
  const stop = h('button', {type: 'button', class: 'secondary', onclick: async () => {
    stop.disabled = true;
    try {
      await api('POST', 'sets/' + encodeURIComponent(setId) + '/restore/cancel', {});
    } catch (e) {
      if (!(e instanceof ApiError)) {
        throw e;
      }
      // 409: the restore ended meanwhile (the result follows), or is still starting (say so, try again)
      const now = e.status === 409 ? await api('GET', 'jobs/' + encodeURIComponent(reportId) + '?logLimit=1') : null;
      if (!now || now.status === 'In progress') {
        replace(alert, e.message);
        alert.hidden = false;
        stop.disabled = false;
      }
    }
  }}, t('restore.run.stop'));
  const el = h('div', {'data-restore-job': reportId}, h('h1', {}, t('restore.run.title')),
    h('p', {}, t('restore.run.what', {set: job.setName || String(job.setId), destination: job.destination,
      job: job.jobId || ''})),
    view, alert, h('div', {class: 'actions'}, stop), result,
    h('p', {}, h('a', {href: '/restore/' + setId, 'data-link': true}, t('restore.run.again'))));

  async function done() {
    const end = await api('GET', 'jobs/' + encodeURIComponent(reportId) + '?logLimit=1');
    stop.hidden = true;
    replace(result, h('h2', {}, t('restore.result.title')), resultTable(end),
      h('p', {}, h('a', {href: '/report/' + reportId, 'data-link': true, 'data-report-link': true},
        t('restore.result.report'))));
    result.setAttribute('data-status', end.status);
  }

  if (job.status !== 'In progress') {
    view.hidden = true; // ended before this page opened: the result says it all
    await done();
    return el;
  }
  if (job.progress) {
    view.update(job.progress);
  }
  closeWhenGone(el, follow(reportId, {
    onProgress(p) {
      view.update(p);
    },
    onDone(p) {
      view.update(p);
      done().catch((e) => {
        replace(alert, e.message);
        alert.hidden = false;
      });
    },
    onError(err) {
      replace(alert, err && err.message ? err.message : String(err));
      alert.hidden = false;
    }
  }));
  return el;
}
