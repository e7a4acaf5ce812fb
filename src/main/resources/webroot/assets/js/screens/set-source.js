// A set's source (guide ch. 9.5 "Source", ch. 10 steps 4-5): the home's shortcuts, the advanced
// selection browsing the agent machine's folders one at a time (GET /files), and the filters.
import {api} from '../api.js';
import {checkField, groupError, h, replace, selectField, textareaField, field} from '../dom.js';
import {t} from '../i18n.js';

/** Where browsing starts: the caller's home, its shortcuts and the root folders (GET /files). */
export function browseStarts() {
  return api('GET', 'files');
}

/**
 * The source editor for source (a set's "source", or {} for a new set) with starts from
 * browseStarts(). Returns {el, fields, value()}.
 */
export function sourceEditor(source, starts) {
  const home = source.home || starts.home;
  const chosen = new Set(source.shortcuts || []);
  const selected = new Set(source.paths || []);
  const sourceError = groupError('source');
  const shortcuts = (starts.shortcuts || []).filter((s) => s.exists || chosen.has(s.shortcut))
    .map((s) => checkField({label: s.shortcut === 'home' ? t('sets.shortcut.home', {path: s.path})
      : t('sets.shortcut.' + s.shortcut), checked: chosen.has(s.shortcut), hint: s.path}));
  const shortcutNames = (starts.shortcuts || []).filter((s) => s.exists || chosen.has(s.shortcut)).map((s) => s.shortcut);
  const chosenList = h('ul', {class: 'chosen-paths', 'aria-live': 'polite'});
  const showFiles = checkField({label: t('sets.source.showFiles'), onchange: () => tree.refresh()});
  const tree = folderTree(starts.entries || [], selected, showFiles, () => drawChosen());

  function drawChosen() {
    replace(chosenList, [...selected].sort().map((p) => h('li', {}, h('code', {}, p), ' ',
      h('button', {type: 'button', class: 'link', 'aria-label': t('sets.source.removeNamed', {path: p}),
        onclick: () => {
          selected.delete(p);
          tree.refresh();
          drawChosen();
        }}, t('sets.remove')))));
    if (!selected.size) {
      chosenList.appendChild(h('li', {}, t('sets.source.noneChosen')));
    }
  }
  drawChosen();

  const filters = filtersEditor(source.filters || []);
  const advanced = h('details', {open: selected.size ? true : null, class: 'advanced-source'},
    h('summary', {}, t('sets.source.advanced')),
    h('p', {class: 'hint'}, t('sets.source.advancedHint')), showFiles, tree.el,
    h('h3', {}, t('sets.source.chosen')), chosenList);
  const el = h('div', {class: 'source-editor'},
    h('fieldset', {}, h('legend', {}, t('sets.source.shortcuts')),
      h('p', {class: 'hint'}, t('sets.source.shortcutsHint')),
      shortcuts.length ? shortcuts : h('p', {}, t('sets.source.noShortcuts')), sourceError.el),
    advanced, filters.el);
  return {
    el,
    get fields() {
      return [sourceError, ...filters.fields];
    },
    value: () => ({
      home,
      shortcuts: shortcutNames.filter((n, i) => shortcuts[i].input.checked),
      paths: [...selected].sort(),
      excludedPaths: source.excludedPaths || [],
      filters: filters.value()
    })
  };
}

/**
 * The agent machine's folders as a tree: each folder is loaded when opened. A checkbox per entry
 * selects it (a folder with everything in it). selected: a Set of paths, kept up to date.
 */
function folderTree(roots, selected, showFiles, changed) {
  const el = h('ul', {class: 'folder-tree', role: 'list', 'data-tree': true});

  function node(entry) {
    const box = h('input', {type: 'checkbox', id: 'pick-' + Math.random().toString(36).slice(2),
      checked: selected.has(entry.path), 'data-path': entry.path, onchange: () => {
        if (box.checked) {
          selected.add(entry.path);
        } else {
          selected.delete(entry.path);
        }
        changed();
      }});
    const label = h('label', {for: box.id, class: 'check'}, entry.name,
      entry.kind === 'link' ? ' → ' + entry.target : null,
      entry.kind === 'file' ? h('span', {class: 'hint'}, ' ' + size(entry.size)) : null);
    const children = h('ul', {role: 'list'});
    children.hidden = true;
    const li = h('li', {'data-entry': entry.path, 'data-kind': entry.kind}, h('div', {class: 'tree-row'}, box, label), children);
    li.box = box;
    if (entry.kind === 'folder') {
      const toggle = h('button', {type: 'button', class: 'tree-toggle', 'aria-expanded': 'false',
        'aria-label': t('sets.source.open', {name: entry.name}), onclick: async () => {
          const open = toggle.getAttribute('aria-expanded') !== 'true';
          toggle.setAttribute('aria-expanded', String(open));
          replace(toggle, open ? '▾' : '▸');
          children.hidden = !open;
          if (open) {
            await load(entry.path, children);
          } else {
            replace(children); // closed: forgotten, loaded again when opened
          }
        }}, '▸');
      li.firstChild.prepend(toggle);
    } else {
      li.firstChild.prepend(h('span', {class: 'tree-leaf', 'aria-hidden': 'true'}));
    }
    return li;
  }

  async function load(path, into) {
    replace(into, h('li', {class: 'hint'}, t('sets.source.loading')));
    try {
      const r = await api('GET', 'files?path=' + encodeURIComponent(path));
      replace(into, r.entries.length ? r.entries.map(node) : h('li', {class: 'hint'}, t('sets.source.empty')),
        r.truncated ? h('li', {class: 'hint'}, t('sets.source.truncated')) : null);
      refresh();
    } catch (e) {
      replace(into, h('li', {class: 'alert', role: 'alert'}, e.message));
    }
  }

  /** Shows the choices of selected on the checkboxes, and the files when "Show files" is ticked. */
  function refresh() {
    for (const li of el.querySelectorAll('li[data-entry]')) {
      li.box.checked = selected.has(li.getAttribute('data-entry'));
      li.hidden = li.getAttribute('data-kind') !== 'folder' && !showFiles.input.checked;
    }
  }

  replace(el, roots.map(node));
  return {el, refresh};
}

function size(bytes) {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes || 0;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return (i ? v.toFixed(1) : String(v)) + ' ' + units[i];
}

const MATCHES = ['contains', 'starts-with', 'ends-with', 'exact', 'regex'];

/** The guide's backup filters (ch. 9.5 "Option no. 2: Filter"): a list with Add and Remove. */
function filtersEditor(initial) {
  let items = initial.map((f) => ({...f}));
  const list = h('div', {});
  const on = checkField({label: t('sets.filter.on'), checked: items.length > 0, onchange: () => draw()});
  let rows = [];

  function draw() {
    rows = on.input.checked ? items.map((f, i) => filterRow(f, i)) : [];
    replace(list, rows.map((r) => r.el), on.input.checked ? h('button', {type: 'button', class: 'secondary',
      onclick: () => {
        items = current();
        items.push({name: t('sets.filter.defaultName', {n: items.length + 1}), action: 'include', match: 'ends-with',
          patterns: []});
        draw();
      }}, t('sets.filter.add')) : null);
  }

  function current() {
    return rows.map((r) => r.value());
  }

  function filterRow(f, i) {
    const p = 'source.filters[' + i + ']';
    const name = field({field: p + '.name', label: t('sets.filter.name'), value: f.name});
    const action = selectField({field: p + '.action', label: t('sets.filter.action'), value: f.action,
      options: [['include', t('sets.filter.include')], ['exclude', t('sets.filter.exclude')]]});
    const unmatched = checkField({field: p + '.excludeAllUnmatched', label: t('sets.filter.unmatched'),
      checked: f.excludeAllUnmatched});
    const match = selectField({field: p + '.match', label: t('sets.filter.match'), value: f.match,
      options: MATCHES.map((m) => [m, t('sets.filter.match.' + m)])});
    const patterns = textareaField({field: p + '.patterns', label: t('sets.filter.patterns'),
      value: (f.patterns || []).join('\n'), hint: t('sets.filter.patternsHint')});
    const apply = selectField({field: p + '.apply', label: t('sets.filter.apply'), value: f.apply || 'both',
      options: ['both', 'files', 'folders'].map((a) => [a, t('sets.filter.apply.' + a)])});
    const top = field({field: p + '.top', label: t('sets.filter.top'), value: f.top || '',
      hint: t('sets.filter.topHint')});
    const fields = [name, action, unmatched, match, patterns, apply, top];
    const el = h('fieldset', {class: 'item'}, h('legend', {}, f.name || t('sets.filter.defaultName', {n: i + 1})),
      fields, h('button', {type: 'button', class: 'secondary', onclick: () => {
        items = current();
        items.splice(i, 1);
        draw();
      }}, t('sets.filter.remove')));
    return {el, fields, value: () => ({
      name: name.input.value, action: action.input.value,
      excludeAllUnmatched: action.input.value === 'include' && unmatched.input.checked,
      match: match.input.value, apply: apply.input.value,
      patterns: patterns.input.value.split('\n').map((s) => s.trim()).filter(Boolean),
      ...(top.input.value.trim() ? {top: top.input.value.trim()} : {})
    })};
  }

  draw();
  const group = groupError('source.filters');
  return {
    el: h('fieldset', {}, h('legend', {}, t('sets.filter.title')), h('p', {class: 'hint'}, t('sets.filter.hint')),
      on, list, group.el),
    get fields() {
      return [group, ...rows.flatMap((r) => r.fields)];
    },
    value: () => (on.input.checked ? current() : [])
  };
}
