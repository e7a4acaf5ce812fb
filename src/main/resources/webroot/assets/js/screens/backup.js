// Backup (guide ch. 12): /backup chooses the set and lists the backups running now; /backup/{setId}
// chooses its destinations and "Run Retention Policy after backup", then Start;
// /backup/{setId}/job/{reportId} follows the run live (one bar per destination), Stop, then each
// destination's final status with a link to its report. Backups started elsewhere (a schedule, the
// b247 command, another browser) appear live through the user's event stream (live.js watchJobs).
import {allSets, api, ApiError} from '../api.js';
import {navigate} from '../app.js';
import {alertBox, h, replace} from '../dom.js';
import {t} from '../i18n.js';
import {closeWhenGone, follow, progressView, statusLabel, watchJobs} from '../live.js';

export async function screen({path}) {
  const parts = path.split('/').filter(Boolean);
  if (parts.length === 4 && parts[2] === 'job') {
    return jobScreen(parts[1], parts[3]);
  }
  return chooseScreen(parts.length > 1 ? parts[1] : null);
}

let ids = 0;

function labelled(label, control) {
  control.id = 'backup-' + (++ids);
  return h('div', {class: 'field'}, h('label', {for: control.id}, label), control);
}

function check(label, name, value, checked) {
  const box = h('input', {type: 'checkbox', name, value, id: 'backup-' + (++ids), checked});
  return {box, el: h('label', {class: 'check', for: box.id}, box, label)};
}

function showError(alert, err) {
  replace(alert, err && err.message ? err.message : String(err));
  alert.hidden = false;
}

/** The link to follow a running backup: its first report's page. */
function jobPath(p) {
  const first = (p.destinations || [])[0];
  return first ? '/backup/' + p.setId + '/job/' + first.id : null;
}

/**
 * The backups running now, kept up to date by the user's event stream: one line per run (its set,
 * phase and percentage, a link to follow it), or a line saying none is. onlySet: just that set's.
 */
function runningList(onlySet) {
  const runs = new Map();
  const views = new Map(); // onlySet: the live progress of each run, kept across redraws
  const list = h('ul', {class: 'backup-running'});
  const none = h('p', {class: 'hint'}, t(onlySet ? 'backup.running.noneOfSet' : 'backup.running.none'));
  const away = h('p', {class: 'hint', role: 'status'});
  const el = h('section', {'aria-labelledby': 'backup-running-title', 'data-running': '', 'data-live': 'connecting'},
    h('h2', {id: 'backup-running-title'}, t('backup.running.title')), none, list, away);
  function viewOf(p) {
    if (!views.has(p.runId)) {
      views.set(p.runId, progressView());
    }
    const v = views.get(p.runId);
    v.update(p);
    return v;
  }
  function draw() {
    for (const id of views.keys()) {
      if (!runs.has(id)) {
        views.delete(id);
      }
    }
    replace(list, [...runs.values()].map((p) => h('li', {'data-run': p.runId, 'data-set-id': String(p.setId)},
      h('a', {href: jobPath(p), 'data-link': true}, t('backup.running.follow', {set: p.setName || String(p.setId)})),
      ' ', h('span', {class: 'hint'}, p.percent === null || p.percent === undefined ? t('backup.running.noPercent')
        : t('backup.running.percent', {percent: p.percent})), onlySet ? viewOf(p) : null)));
    none.hidden = runs.size > 0;
  }
  draw();
  const stream = watchJobs((type, p) => {
    if (p.kind !== 'backup' || (onlySet && String(p.setId) !== String(onlySet)) || !jobPath(p)) {
      return;
    }
    const known = runs.has(p.runId);
    if (type === 'ended') {
      runs.delete(p.runId);
    } else {
      runs.set(p.runId, p);
    }
    if (type !== 'progress' || !known) {
      draw();
    } else {
      const li = list.querySelector('[data-run="' + CSS.escape(p.runId) + '"] > .hint');
      if (li && p.percent !== null && p.percent !== undefined) {
        replace(li, t('backup.running.percent', {percent: p.percent}));
      }
      if (onlySet) {
        viewOf(p);
      }
    }
    if (el.onchange) {
      el.onchange(runs);
    }
  }, {
    onState(state) {
      el.setAttribute('data-live', state);
      replace(away, state === 'retrying' ? t('backup.running.away') : '');
      if (state === 'open') { // the runs going come again as "started"; the others ended meanwhile
        runs.clear();
        draw();
        if (el.onchange) {
          el.onchange(runs);
        }
      }
    },
    onError: (err) => replace(away, err.message || String(err))
  });
  closeWhenGone(el, stream);
  return el;
}

async function chooseScreen(setId) {
  const sets = await allSets();
  const head = [h('h1', {}, t('backup.title')), h('p', {}, t('backup.intro'))];
  if (!sets.length) {
    return h('div', {}, head, h('p', {class: 'note'}, t('backup.set.none')),
      h('p', {}, h('a', {href: '/sets', 'data-link': true}, t('backup.set.toSets'))));
  }
  const chooser = h('select', {name: 'set', onchange: () => navigate(chooser.value ? '/backup/' + chooser.value : '/backup')},
    h('option', {value: '', selected: !setId}, t('backup.set.choose')),
    sets.map((s) => h('option', {value: String(s.id), selected: String(s.id) === setId}, s.name)));
  const set = setId ? sets.find((s) => String(s.id) === setId) : null;
  if (setId && !set) {
    return h('div', {}, head, labelled(t('backup.set'), chooser),
      h('p', {class: 'alert', role: 'alert'}, t('backup.set.unknown', {id: setId})));
  }
  return h('div', {}, head, labelled(t('backup.set'), chooser), set ? startForm(set) : runningList(null));
}

/** The set's options (destinations, retention) and Start; the set's running backup instead while one runs. */
function startForm(set) {
  const dests = set.destinations.map((d) => check(d.name, 'destination', d.name, true));
  const retention = check(t('backup.retention'), 'runRetention', 'true', false);
  const alert = alertBox();
  const start = h('button', {type: 'submit'}, t('backup.start'));
  const form = h('form', {'data-form': 'backup', onsubmit: async (ev) => {
    ev.preventDefault();
    alert.hidden = true;
    const chosen = dests.filter((d) => d.box.checked).map((d) => d.box.value);
    if (!chosen.length) {
      showError(alert, t('backup.destinations.noneChosen'));
      return;
    }
    start.disabled = true;
    try {
      const all = chosen.length === set.destinations.length;
      const started = await api('POST', 'sets/' + encodeURIComponent(set.id) + '/backup',
        {destinations: all ? undefined : chosen, runRetention: retention.box.checked});
      await navigate('/backup/' + set.id + '/job/' + started.jobs[0].id);
    } catch (e) {
      start.disabled = false;
      if (!(e instanceof ApiError)) {
        throw e;
      }
      showError(alert, e);
    }
  }},
  h('fieldset', {}, h('legend', {}, t('backup.destinations')), dests.map((d) => d.el)),
  h('fieldset', {}, h('legend', {}, t('backup.advanced')), retention.el,
    h('p', {class: 'hint'}, t('backup.retention.hint'))),
  alert, h('div', {class: 'actions'}, start));
  const running = runningList(set.id);
  const busy = h('p', {class: 'note', hidden: true}, t('backup.running.busy'));
  running.onchange = (runs) => {
    busy.hidden = runs.size === 0;
    start.disabled = runs.size > 0;
  };
  return h('div', {}, form, busy, running);
}

/** One destination's final line: its status and a link to its report. */
function resultRow(report) {
  return h('tr', {'data-destination': report.destination, 'data-status': report.status},
    h('th', {scope: 'row'}, report.destination),
    h('td', {}, statusLabel(report.status), ' ', h('a', {href: '/report/' + report.id, 'data-link': true,
      'data-report-link': String(report.id)}, t('backup.result.report', {destination: report.destination}))));
}

async function jobScreen(setId, reportId) {
  const job = await api('GET', 'jobs/' + encodeURIComponent(reportId) + '?logLimit=1');
  const view = progressView();
  const alert = alertBox();
  const result = h('div', {class: 'backup-result'});
  const stop = h('button', {type: 'button', class: 'secondary', onclick: async () => {
    stop.disabled = true;
    try {
      await api('POST', 'sets/' + encodeURIComponent(setId) + '/backup/cancel', {});
      replace(stopping, t('backup.run.stopping'));
    } catch (e) {
      if (!(e instanceof ApiError)) {
        throw e;
      }
      if (e.status !== 409) { // 409: it ended meanwhile; the result follows
        showError(alert, e);
        stop.disabled = false;
      }
    }
  }}, t('backup.run.stop'));
  const stopping = h('p', {class: 'hint', role: 'status'});
  const el = h('div', {'data-backup-job': reportId}, h('h1', {}, t('backup.run.title', {set: job.setName || setId})),
    view, alert, h('div', {class: 'actions'}, stop), stopping, result,
    h('p', {}, h('a', {href: '/backup/' + setId, 'data-link': true}, t('backup.run.again'))));

  async function done() {
    stop.hidden = true;
    replace(stopping, '');
    const page = await api('GET', 'jobs?kind=backup&limit=100&setId=' + encodeURIComponent(setId));
    const mine = page.items.filter((r) => r.runId === job.runId).sort((a, b) => a.id - b.id);
    const reports = mine.length ? mine : [await api('GET', 'jobs/' + encodeURIComponent(reportId) + '?logLimit=1')];
    replace(result, h('h2', {}, t('backup.result.title')),
      h('table', {'data-table': 'backup-result'}, h('tbody', {}, reports.map(resultRow))));
    result.setAttribute('data-status', reports.every((r) => r.status === reports[0].status) ? reports[0].status
      : 'mixed');
    el.setAttribute('data-done', 'true');
  }

  if (job.progress) {
    view.update(job.progress);
  }
  if (job.status !== 'In progress') {
    view.hidden = !job.progress;
    await done();
    return el;
  }
  closeWhenGone(el, follow(reportId, {
    onProgress: (p) => view.update(p),
    onDone(p) {
      view.update(p);
      done().catch((e) => showError(alert, e));
    },
    onError: (err) => showError(alert, err)
  }));
  return el;
}
