// Restore (guide ch. 13): /restore chooses the backup set; /restore/{setId} is the restore itself —
// destination, "as of job" or every version, the file tree and the search filter (restore-tree.js,
// restore-search.js), where to restore and the advanced options; /restore/{setId}/job/{reportId}
// follows a running restore live and ends with its result and a link to its report.
import {allSets, api, ApiError} from '../api.js';
import {navigate} from '../app.js';
import {alertBox, h, replace} from '../dom.js';
import {t} from '../i18n.js';
import {fileTree, formatTime} from './restore-tree.js';
import {searchPanel} from './restore-search.js';
import {restoreProgress} from './restore-progress.js';

export async function screen({path}) {
  const parts = path.split('/').filter(Boolean);
  if (parts.length === 4 && parts[2] === 'job') {
    return restoreProgress(parts[1], parts[3]);
  }
  return restoreScreen(parts.length > 1 ? parts[1] : null);
}

let ids = 0;

function labelled(label, control, hint) {
  control.id = 'restore-' + (++ids);
  const hintEl = hint ? h('p', {class: 'hint', id: control.id + '-hint'}, hint) : null;
  if (hintEl) {
    control.setAttribute('aria-describedby', hintEl.id);
  }
  return h('div', {class: 'field'}, h('label', {for: control.id}, label), control, hintEl);
}

function check(label, name, hint) {
  const box = h('input', {type: 'checkbox', name, id: 'restore-' + (++ids)});
  const hintEl = hint ? h('p', {class: 'hint', id: box.id + '-hint'}, hint) : null;
  if (hintEl) {
    box.setAttribute('aria-describedby', hintEl.id);
  }
  return {box, el: h('div', {class: 'field'}, h('label', {class: 'check', for: box.id}, box, label), hintEl)};
}

function radio(group, value, label, checked) {
  const input = h('input', {type: 'radio', name: group, value, id: 'restore-' + (++ids), checked});
  return {input, el: h('label', {class: 'check', for: input.id}, input, label)};
}

async function restoreScreen(setId) {
  const sets = await allSets();
  const chooser = h('select', {name: 'set', onchange: () => navigate('/restore/' + chooser.value)},
    h('option', {value: '', selected: !setId}, t('restore.set.choose')),
    sets.map((s) => h('option', {value: String(s.id), selected: String(s.id) === setId}, s.name)));
  const head = [h('h1', {}, t('restore.title')), h('p', {}, t('restore.intro'))];
  if (!sets.length) {
    return h('div', {}, head, h('p', {class: 'note'}, t('restore.set.none')),
      h('p', {}, h('a', {href: '/sets', 'data-link': true}, t('restore.set.toSets'))));
  }
  const set = setId ? sets.find((s) => String(s.id) === setId) : null;
  if (setId && !set) {
    return h('div', {}, head, labelled(t('restore.set'), chooser),
      h('p', {class: 'alert', role: 'alert'}, t('restore.set.unknown', {id: setId})));
  }
  return h('div', {}, head, labelled(t('restore.set'), chooser), set ? await setForm(set) : null);
}

/** Everything after the set: where from, what, where to, options, and the Restore button. */
async function setForm(set) {
  const destination = h('select', {name: 'destination'},
    set.destinations.map((d) => h('option', {value: d.name}, d.name)));
  const mode = {job: radio('what', 'job', t('restore.what.job'), true), all: radio('what', 'all', t('restore.what.all'))};
  const job = h('select', {name: 'job'});
  const area = h('div', {class: 'restore-source'});
  const picks = new Map();
  const chosen = h('div', {class: 'chosen', 'aria-live': 'polite'});
  let tree = null;
  let points = [];

  const source = () => ({setId: set.id, destination: destination.value, job: mode.all.input.checked ? 'latest' : job.value,
    allVersions: mode.all.input.checked});

  /** {paths, versions} to restore: the tree's and the search's, without any path a chosen folder holds. */
  function selection() {
    const fromTree = tree ? tree.selection() : {paths: [], versions: []};
    return {paths: chosenPaths(fromTree.paths, [...picks.keys()]), versions: fromTree.versions};
  }

  function showChosen() {
    const {paths, versions} = selection();
    const jobs = (p) => versions.filter((v) => v.path === p).map((v) => v.job);
    replace(chosen, h('h2', {id: 'chosen-h'}, t('restore.chosen.title')),
      paths.length ? h('ul', {'aria-labelledby': 'chosen-h', 'data-chosen': true}, paths.map((p) => h('li', {}, p,
        jobs(p).length ? ' ' + t('restore.chosen.versions', {jobs: jobs(p).join(', ')}) : null)))
        : h('p', {class: 'hint'}, t('restore.chosen.none')));
  }

  function browse() {
    picks.clear();
    const src = source();
    const lookIn = (points.find((p) => p.job === job.value) || points[0] || {}).sources?.[0] || '/';
    tree = fileTree(src, lookIn);
    tree.onChange = showChosen;
    let panel = null;
    const opener = h('button', {type: 'button', class: 'secondary', 'aria-expanded': 'false', onclick: () => {
      panel = searchPanel(src, lookIn, picks, showChosen, () => {
        panel.remove();
        opener.hidden = false;
        opener.setAttribute('aria-expanded', 'false');
        opener.focus();
      });
      opener.after(panel);
      opener.hidden = true;
      opener.setAttribute('aria-expanded', 'true');
      panel.querySelector('input[name=pattern]').focus();
    }}, t('restore.search.open'));
    replace(area, h('h2', {}, t('restore.tree.title')), h('p', {class: 'hint'},
      src.allVersions ? t('restore.tree.hintAll') : t('restore.tree.hint')), tree, opener);
    showChosen();
  }

  async function loadPoints() {
    replace(area, h('p', {class: 'hint', role: 'status'}, t('restore.points.loading')));
    try {
      points = (await api('GET', 'sets/' + set.id + '/restore-points?destination='
        + encodeURIComponent(destination.value))).items;
    } catch (e) {
      if (!(e instanceof ApiError)) {
        throw e;
      }
      points = [];
      replace(job);
      replace(area, h('p', {class: 'alert', role: 'alert'}, e.status === 404 ? t('restore.points.none') : e.message));
      return;
    }
    replace(job, points.map((p, i) => h('option', {value: p.job},
      t(i === 0 ? 'restore.points.latest' : 'restore.points.point', {time: formatTime(p.time), job: p.job}))));
    browse();
  }

  destination.addEventListener('change', loadPoints);
  job.addEventListener('change', browse);
  for (const r of [mode.job.input, mode.all.input]) {
    r.addEventListener('change', () => {
      job.disabled = mode.all.input.checked;
      browse();
    });
  }
  await loadPoints();

  return h('div', {},
    labelled(t('restore.destination'), destination),
    h('fieldset', {}, h('legend', {}, t('restore.what')), mode.job.el, labelled(t('restore.job'), job), mode.all.el),
    area, chosen,
    options(set, source, selection));
}

/** The paths to restore: those of the tree and the search, without any that a chosen folder holds. */
function chosenPaths(treePaths, searchPaths) {
  const all = [...new Set([...treePaths, ...searchPaths])].sort();
  return all.filter((p) => !all.some((q) => q !== p && (q === '/' || p.startsWith(q + '/'))));
}

/** Restore to (original or alternate), delete unmatched (confirmed), verify checksums, and Restore. */
function options(set, source, selection) {
  const original = radio('to', 'original', t('restore.to.original'), false);
  const alternate = radio('to', 'alternate', t('restore.to.alternate'), true);
  const folder = h('input', {type: 'text', name: 'target', autocapitalize: 'off', spellcheck: 'false'});
  const folderField = labelled(t('restore.to.folder'), folder, t('restore.to.folderHint'));
  const del = check(t('restore.deleteUnmatched'), 'deleteUnmatched', t('restore.deleteUnmatched.hint'));
  const verify = check(t('restore.verify'), 'verifyChecksums', t('restore.verify.hint'));
  const alert = alertBox();
  for (const r of [original.input, alternate.input]) {
    r.addEventListener('change', () => (folderField.hidden = original.input.checked));
  }

  async function start(confirmed) {
    alert.hidden = true;
    const chosen = selection();
    if (!chosen.paths.length) {
      return fail(t('restore.chosen.none'));
    }
    const src = source();
    const body = {destination: src.destination, job: src.job, paths: chosen.paths, allVersions: src.allVersions,
      target: original.input.checked ? 'original' : folder.value.trim(), deleteUnmatched: del.box.checked,
      confirmDeleteUnmatched: confirmed, verifyChecksums: verify.box.checked};
    if (src.allVersions && chosen.versions.length) {
      body.versions = chosen.versions;
    }
    try {
      const r = await api('POST', 'sets/' + set.id + '/restore', body);
      await navigate('/restore/' + set.id + '/job/' + r.reportId);
    } catch (e) {
      if (!(e instanceof ApiError)) {
        throw e;
      }
      fail(e.message);
    }
  }

  function fail(message) {
    replace(alert, message);
    alert.hidden = false;
    alert.focus();
  }

  const button = h('button', {type: 'button', onclick: () => {
    if (del.box.checked) {
      confirmDelete(button, () => start(true));
    } else {
      start(false);
    }
  }}, t('restore.submit'));
  alert.setAttribute('tabindex', '-1');
  return h('section', {'aria-labelledby': 'to-h'},
    h('fieldset', {}, h('legend', {id: 'to-h'}, t('restore.to')), original.el, alternate.el, folderField),
    h('fieldset', {}, h('legend', {}, t('restore.advanced')), del.el, verify.el),
    alert, h('div', {class: 'actions'}, button));
}

/** The guide's warning before unmatched data is deleted: only Yes goes on. */
function confirmDelete(opener, yes) {
  const dialog = h('dialog', {class: 'confirm', 'aria-labelledby': 'confirm-h', 'aria-describedby': 'confirm-text'},
    h('h2', {id: 'confirm-h'}, t('restore.confirm.title')),
    h('p', {id: 'confirm-text'}, t('restore.confirm.text')),
    h('div', {class: 'actions'},
      h('button', {type: 'button', onclick: () => {
        dialog.close();
        dialog.remove();
        yes();
      }}, t('restore.confirm.yes')),
      h('button', {type: 'button', class: 'secondary', onclick: () => dialog.close()}, t('restore.confirm.no'))));
  dialog.addEventListener('close', () => {
    if (dialog.isConnected) {
      dialog.remove();
      opener.focus();
    }
  });
  opener.after(dialog);
  dialog.showModal();
}
