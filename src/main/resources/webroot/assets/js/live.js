// Live job state pushed by the agent (server-sent events), shared by every screen that shows a running
// job: follow() one job's progress, watchJobs() every job the user may see, progressView() to draw a
// progress event. Both streams reconnect with a growing delay when the agent goes away (a restart)
// and pick up where the job is now; nothing here polls.
import {api, ApiError} from './api.js';
import {h, replace} from './dom.js';
import {currentLanguage, t} from './i18n.js';

const FIRST_DELAY_MS = 1000;
const MAX_DELAY_MS = 15000;

/**
 * An EventSource on url that reopens itself after an error, waiting 1, 2, 4 ... 15 s (back to 1 s
 * once events flow again). listeners: {eventName: fn(data)}; data is the event's parsed JSON.
 * whyClosed(): a promise of an Error when reconnecting is pointless (the stream's thing is gone or
 * the session ended), else of null (the agent is away: try again). onState('open' | 'retrying'), if
 * given, says when the stream is up and when it is waiting to try again.
 */
function reconnecting(url, listeners, whyClosed, onError, onState) {
  const state = (s) => onState && onState(s);
  let source = null;
  let timer = null;
  let closed = false;
  let delay = FIRST_DELAY_MS;
  function open() {
    timer = null;
    source = new EventSource(url);
    source.addEventListener('open', () => {
      delay = FIRST_DELAY_MS;
      state('open');
    });
    for (const [name, fn] of Object.entries(listeners)) {
      source.addEventListener(name, (ev) => {
        let data;
        try {
          data = JSON.parse(ev.data);
        } catch (e) {
          return; // not an event of ours
        }
        delay = FIRST_DELAY_MS;
        fn(data);
      });
    }
    source.addEventListener('error', () => {
      if (closed) {
        return;
      }
      source.close();
      source = null;
      state('retrying');
      whyClosed().then((err) => {
        if (closed) {
          return;
        }
        if (err) {
          handle.close();
          onError(err);
          return;
        }
        timer = setTimeout(open, delay);
        delay = Math.min(delay * 2, MAX_DELAY_MS);
      });
    });
  }
  const handle = {
    close() {
      closed = true;
      clearTimeout(timer);
      if (source) {
        source.close();
        source = null;
      }
    }
  };
  open();
  return handle;
}

/** null when the agent is away or busy (worth another try), else the ApiError that ends the stream. */
async function permanentError(path) {
  try {
    await api('GET', path);
    return null;
  } catch (e) {
    if (!(e instanceof ApiError) || e.status === 0 || e.status >= 500 || e.status === 429) {
      return null;
    }
    return e;
  }
}

/**
 * Follows the job of report jobId: onProgress(p) with each progress event (at most about two a
 * second), then onDone(p) once with the final event ({"done": true, "status", ...}; at once when the
 * job had already ended). After the agent restarts the stream comes back by itself (a job the restart
 * cut off then ends with its report's status). onError(err) when it cannot go on: the job is not the
 * user's or no longer exists (404), the session ended (401). onState('open' | 'retrying'): the stream
 * is up, or waiting for the agent. Returns {close()}.
 */
export function follow(jobId, {onProgress, onDone, onError, onState} = {}) {
  const id = encodeURIComponent(jobId);
  const stream = reconnecting('/api/v1/jobs/' + id + '/events', {
    progress: (p) => {
      if (p.done) {
        stream.close();
        if (onDone) {
          onDone(p);
        }
      } else if (onProgress) {
        onProgress(p);
      }
    }
  }, () => permanentError('jobs/' + id + '?logLimit=1'), (err) => onError && onError(err), onState);
  return stream;
}

/**
 * Watches every job the user may see (their own sets' jobs; an admin's: all): handler(type, p) with
 * type 'started' (also for each job already running when the stream (re)connects), 'progress' or
 * 'ended' (p.done is true), p a progress event as follow() gives it (one per run: p.destinations lists
 * the run's reports). Reconnects after an agent restart. Options: onError(err) when the session
 * ended; onState('open' | 'retrying') as for follow(). Returns {close()}.
 */
export function watchJobs(handler, {onError, onState} = {}) {
  const stream = reconnecting('/api/v1/events', {
    started: (p) => handler('started', p),
    progress: (p) => handler('progress', p),
    ended: (p) => handler('ended', p)
  }, () => permanentError('auth/me'), (err) => onError && onError(err), onState);
  return stream;
}

/**
 * Closes handle (what follow() or watchJobs() return) once el has left the page: the console swaps a
 * screen for the next by replacing the children of <main>, so a screen's streams end with it.
 * Returns handle.
 */
export function closeWhenGone(el, handle) {
  const root = document.getElementById('main') || document.body;
  const observer = new MutationObserver(() => {
    if (!el.isConnected) {
      observer.disconnect();
      handle.close();
    }
  });
  observer.observe(root, {childList: true});
  return handle;
}

// ---------------------------------------------------------------------------------------------------
// Drawing a progress event

const FINISHED_WELL = ['Completed', 'Completed with warning(s)'];

/** A report status ("Completed", "In progress", ...) in the reader's language. */
export function statusLabel(status) {
  return labelOf('live.status.', status);
}

/** A job's phase ("preparing", "backing up", "restoring", "freeing space", ...) in the reader's language. */
export function phaseLabel(phase) {
  return labelOf('live.phase.', phase);
}

/** The label of an English word the API sends (prefix + its letters, dashed), or the word itself. */
function labelOf(prefix, word) {
  if (!word) {
    return '';
  }
  const key = prefix + String(word).toLowerCase().replace(/[^a-z]+/g, '-').replace(/^-+|-+$/g, '');
  const text = t(key);
  return text === key ? word : text;
}

/** 1536 → "1.5 KB" (powers of 1024, the reader's number format). */
export function formatBytes(n) {
  if (n === null || n === undefined) {
    return '';
  }
  const units = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];
  let v = Number(n);
  let u = 0;
  while (Math.abs(v) >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  const digits = u === 0 || v >= 100 ? 0 : 1;
  return new Intl.NumberFormat(currentLanguage(), {maximumFractionDigits: digits}).format(v) + ' ' + units[u];
}

/** 3725 → "1 h 2 min", 75 → "1 min 15 s", 9 → "9 s". */
export function formatDuration(seconds) {
  if (seconds === null || seconds === undefined) {
    return '';
  }
  const s = Math.max(0, Math.round(Number(seconds)));
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  if (hours) {
    return hours + ' h ' + minutes + ' min';
  }
  return minutes ? minutes + ' min ' + (s % 60) + ' s' : s + ' s';
}

function formatCount(n) {
  return new Intl.NumberFormat(currentLanguage()).format(Number(n || 0));
}

let viewCount = 0;

/** A labelled bar: <progress> (role progressbar) with its percentage also as text beside it. */
function bar(labelText) {
  const id = 'live-bar-' + (++viewCount);
  const label = h('span', {id, class: 'live-bar-label'}, labelText);
  const meter = h('progress', {max: '100', 'aria-labelledby': id});
  const pct = h('span', {class: 'live-bar-percent', 'aria-hidden': 'true'});
  const el = h('div', {class: 'live-bar'}, label, h('div', {class: 'live-bar-track'}, meter, pct));
  el.set = (percent, name) => {
    if (name !== undefined) {
      replace(label, name);
    }
    if (percent === null || percent === undefined) {
      meter.removeAttribute('value'); // indeterminate until the totals are known
      meter.removeAttribute('aria-valuenow');
      replace(pct, t('live.percentUnknown'));
    } else {
      meter.value = percent;
      meter.setAttribute('aria-valuenow', String(percent));
      replace(pct, percent + ' %');
    }
  };
  return el;
}

function fact(dl, key) {
  const dd = h('dd', {'data-fact': key});
  const row = h('div', {class: 'live-fact live-fact-' + key}, h('dt', {}, t('live.' + key)), dd);
  dl.appendChild(row);
  return (text) => {
    row.hidden = text === null || text === undefined || text === '';
    replace(dd, text ?? '');
  };
}

/**
 * The overall percentage to show: 100 once a job finished well; a job that ended otherwise keeps the
 * last percentage it reached while running (lastRunning), never a 100 it did not earn.
 */
function shownPercent(p, lastRunning) {
  if (p.done) {
    return FINISHED_WELL.includes(p.status) ? 100 : lastRunning ?? null;
  }
  return p.percent ?? null;
}

function destinationPercent(d, overall) {
  if (FINISHED_WELL.includes(d.status)) {
    return 100;
  }
  if (d.status === 'Waiting') {
    return 0;
  }
  return d.status === 'In progress' ? overall : null;
}

/**
 * An element that draws a job's progress event (the "progress" of GET /jobs/{id}, or what follow()
 * gives): its phase and status, a bar with the percentage (also as text), files, bytes, rate,
 * estimated time left and the current file; one bar per destination when the job writes to several.
 * Call .update(p) with each event. A polite live region says the phase, each quarter and the end,
 * not every tick.
 */
export function progressView() {
  const title = h('p', {class: 'live-title'});
  const overall = bar(t('live.overall'));
  const facts = h('dl', {class: 'live-facts'});
  const set = {
    files: fact(facts, 'files'), objects: fact(facts, 'objects'), bytes: fact(facts, 'bytes'),
    rate: fact(facts, 'rate'),
    eta: fact(facts, 'eta'), stage: fact(facts, 'stage'), step: fact(facts, 'step'), freed: fact(facts, 'freed'),
    current: fact(facts, 'currentFile')
  };
  const dests = h('ul', {class: 'live-dests'});
  const announce = h('p', {class: 'visually-hidden', 'aria-live': 'polite', role: 'status'});
  const el = h('section', {class: 'live-progress', 'aria-label': t('live.region')}, title, overall, facts, dests,
    announce);
  const destBars = new Map();
  let said = {phase: null, quarter: -1, done: false};

  function say(text) {
    replace(announce, text);
  }

  let lastRunning = null;
  el.update = (p) => {
    if (!p) {
      return;
    }
    const percent = shownPercent(p, lastRunning);
    if (!p.done && percent !== null) {
      lastRunning = percent;
    }
    const state = p.done ? statusLabel(p.status) : (p.phase ? phaseLabel(p.phase) : statusLabel(p.status));
    replace(title, state);
    el.dataset.status = p.status || '';
    el.dataset.done = p.done ? 'true' : 'false';
    overall.set(percent);
    const freeing = p.kind === 'space-freeing';
    const total = p.filesTotal !== null && p.filesTotal !== undefined;
    set.files(freeing ? null : total ? t('live.filesOf', {n: formatCount(p.files), total: formatCount(p.filesTotal)})
      : p.files || p.filesFound ? t('live.filesSoFar', {n: formatCount(p.filesFound ?? p.files)}) : null);
    set.objects(freeing && total && !p.done ? t('live.objectsOf', {n: formatCount(p.files), total: formatCount(p.filesTotal)})
      : null);
    set.bytes(freeing ? null : p.bytesTotal !== null && p.bytesTotal !== undefined
      ? t('live.bytesOf', {n: formatBytes(p.bytes), total: formatBytes(p.bytesTotal)})
      : p.bytes !== undefined ? formatBytes(p.bytes) : null);
    set.rate(!freeing && !p.done && p.bytesPerSecond ? formatBytes(p.bytesPerSecond) + '/s' : null);
    set.eta(!p.done && p.etaSeconds !== null && p.etaSeconds !== undefined ? formatDuration(p.etaSeconds) : null);
    set.stage(freeing && p.stage && !p.done ? labelOf('live.stage.', p.stage) : null);
    set.step(freeing && !p.done ? p.step : null);
    set.freed(freeing ? formatBytes(p.bytes ?? p.stats?.bytesFreed ?? 0) : null);
    set.current(p.done ? null : p.currentFile);
    drawDestinations(p, percent);
    const quarter = percent === null ? -1 : Math.floor(percent / 25);
    if (p.done && !said.done) {
      said.done = true;
      say(t('live.ended', {status: statusLabel(p.status)}));
    } else if (!p.done && (p.phase !== said.phase || quarter > said.quarter)) {
      say(percent === null ? state : state + ', ' + percent + ' %');
    }
    said.phase = p.phase;
    said.quarter = Math.max(said.quarter, quarter);
  };

  function drawDestinations(p, overall) {
    const list = p.destinations || [];
    dests.hidden = list.length < 2;
    for (const d of list) {
      let row = destBars.get(d.id);
      if (!row) {
        const b = bar(d.name);
        const info = h('p', {class: 'hint live-dest-info'});
        row = {b, info, li: h('li', {'data-destination': d.name}, b, info)};
        destBars.set(d.id, row);
        dests.appendChild(row.li);
      }
      let pct = destinationPercent(d, overall);
      if (pct === null && d.status !== 'In progress') {
        pct = row.last ?? 0; // ended short of done: where it got to, not a bar that still moves
      } else if (d.status === 'In progress' && pct !== null) {
        row.last = pct;
      }
      row.b.set(pct, d.name);
      const parts = [statusLabel(d.status)];
      if (d.bytesUploaded) {
        parts.push(t('live.uploaded', {bytes: formatBytes(d.bytesUploaded)}));
      }
      if (d.bytesPerSecond && d.status === 'In progress') {
        parts.push(formatBytes(d.bytesPerSecond) + '/s');
      }
      replace(row.info, parts.join(' · '));
    }
  }
  return el;
}
