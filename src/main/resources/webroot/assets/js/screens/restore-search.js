// The restore filter (guide ch. 13.3, appendix B): look in a folder (and its subfolders) of the
// restore point for files, folders or both whose name contains / is / starts with / ends with a
// pattern (or matches a wildcard), matching case or not; results are paged and each can be chosen
// for the restore. GET /sets/{id}/search does the searching.
import {api, ApiError} from '../api.js';
import {alertBox, h, replace} from '../dom.js';
import {t} from '../i18n.js';
import {formatBytes} from '../live.js';
import {formatTime} from './restore-tree.js';

let ids = 0;

function labelled(label, control) {
  control.id = control.id || 'search-' + (++ids);
  return h('div', {class: 'field'}, h('label', {for: control.id}, label), control);
}

function checkbox(label, name, checked) {
  const box = h('input', {type: 'checkbox', name, id: 'search-' + (++ids), checked});
  return {box, el: h('label', {class: 'check', for: box.id}, box, label)};
}

function select(name, options, value) {
  return h('select', {name}, options.map(([v, label]) => h('option', {value: v, selected: v === value}, label)));
}

/**
 * The search panel. source = {setId, destination, job}; lookIn: the folder to start with; picks: a Map
 * path → search item, the entries chosen from results (shared with the screen); onChange() after a
 * pick changes; onClose() when the panel is closed.
 */
export function searchPanel(source, lookIn, picks, onChange, onClose) {
  const folder = h('input', {type: 'text', name: 'folder', value: lookIn, autocapitalize: 'off', spellcheck: 'false'});
  const subfolders = checkbox(t('restore.search.subfolders'), 'subfolders', true);
  const kind = select('kind', [['both', t('restore.search.kind.both')], ['files', t('restore.search.kind.files')],
    ['directories', t('restore.search.kind.directories')]], 'both');
  const mode = select('mode', [['contains', t('restore.search.mode.contains')], ['exact', t('restore.search.mode.exact')],
    ['starts-with', t('restore.search.mode.startsWith')], ['ends-with', t('restore.search.mode.endsWith')],
    ['glob', t('restore.search.mode.glob')]], 'contains');
  const pattern = h('input', {type: 'text', name: 'pattern', autocapitalize: 'off', spellcheck: 'false'});
  const matchCase = checkbox(t('restore.search.matchCase'), 'matchCase', false);
  const perPage = select('perPage', [['10', '10'], ['50', '50'], ['100', '100'], ['500', '500']], '50');
  const alert = alertBox();
  const results = h('div', {class: 'search-results', 'aria-live': 'polite'});
  let page = 1;

  async function run() {
    alert.hidden = true;
    const q = new URLSearchParams({destination: source.destination, job: source.job || 'latest',
      folder: folder.value.trim() || '/', subfolders: String(subfolders.box.checked), kind: kind.value,
      mode: mode.value, pattern: pattern.value, matchCase: String(matchCase.box.checked), page: String(page),
      perPage: perPage.value});
    try {
      const r = await api('GET', 'sets/' + source.setId + '/search?' + q);
      replace(results, resultView(r));
    } catch (e) {
      if (!(e instanceof ApiError)) {
        throw e;
      }
      replace(results, '');
      replace(alert, e.message);
      alert.hidden = false;
    }
  }

  function resultView(r) {
    const boxes = [];
    const rows = r.items.map((item) => {
      const id = 'found-' + (++ids);
      const box = h('input', {type: 'checkbox', id, checked: picks.has(item.path), onchange: () => {
        if (box.checked) {
          picks.set(item.path, item);
        } else {
          picks.delete(item.path);
        }
        all.checked = boxes.every((b) => b.checked);
        onChange();
      }});
      box.item = item;
      boxes.push(box);
      return h('tr', {'data-found': item.path},
        h('td', {}, box, h('label', {for: id, class: 'visually-hidden'},
          t('restore.search.choose', {name: item.name, folder: item.folder}))),
        h('td', {class: 'name'}, item.kind === 'symlink' ? item.name + ' → ' + (item.target || '') : item.name),
        h('td', {'data-label': t('restore.search.col.folder')}, item.folder),
        h('td', {'data-label': t('restore.search.col.size')}, item.kind === 'folder' ? '' : formatBytes(item.size)),
        h('td', {'data-label': t('restore.search.col.mtime')}, formatTime(item.mtime)));
    });
    const all = h('input', {type: 'checkbox', id: 'found-all-' + (++ids),
      checked: boxes.length > 0 && boxes.every((b) => b.checked), onchange: () => {
        for (const b of boxes) {
          b.checked = all.checked;
          if (all.checked) {
            picks.set(b.item.path, b.item);
          } else {
            picks.delete(b.item.path);
          }
        }
        onChange();
      }});
    const go = (p) => async () => {
      page = p;
      await run();
    };
    return [
      h('p', {'data-found-count': r.total}, t('restore.search.found', {count: r.total, folder: r.folder})),
      rows.length ? h('div', {class: 'scroll-x'}, h('table', {class: 'found', 'data-table': 'found'},
        h('caption', {class: 'visually-hidden'}, t('restore.search.results')),
        h('thead', {}, h('tr', {}, h('th', {scope: 'col'}, all,
          h('label', {for: all.id, class: 'visually-hidden'}, t('restore.search.chooseAll'))),
        [t('restore.search.col.name'), t('restore.search.col.folder'), t('restore.search.col.size'),
          t('restore.search.col.mtime')].map((c) => h('th', {scope: 'col'}, c)))),
        h('tbody', {}, rows))) : null,
      r.pages > 1 ? h('div', {class: 'actions pager'},
        h('button', {type: 'button', class: 'secondary', disabled: r.page <= 1, onclick: go(r.page - 1)},
          t('restore.search.previous')),
        h('span', {}, t('restore.search.page', {page: r.page, pages: r.pages})),
        h('button', {type: 'button', class: 'secondary', disabled: r.page >= r.pages, onclick: go(r.page + 1)},
          t('restore.search.next'))) : null
    ];
  }

  const form = h('form', {class: 'search-form', novalidate: true, role: 'search'},
    alert, labelled(t('restore.search.lookIn'), folder), subfolders.el,
    h('div', {class: 'search-grid'}, labelled(t('restore.search.kind'), kind), labelled(t('restore.search.mode'), mode),
      labelled(t('restore.search.pattern'), pattern)),
    matchCase.el, labelled(t('restore.search.perPage'), perPage),
    h('div', {class: 'actions'}, h('button', {type: 'submit'}, t('restore.search.submit')),
      h('button', {type: 'button', class: 'secondary', onclick: onClose}, t('restore.search.close'))));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    page = 1;
    await run();
  });
  return h('section', {class: 'search-panel', 'aria-labelledby': 'search-h'},
    h('h2', {id: 'search-h'}, t('restore.search.title')), form, results);
}
