// The restore screen's file tree (guide ch. 13.2 step 4): one folder's children are fetched from
// GET /sets/{id}/tree when the folder is opened, never before. Each entry has a checkbox; a folder's
// checkbox stands for its whole content, and a folder with some of its children chosen shows the
// mixed state. The choice is kept as states on the nodes: 'on' (this entry and all below), 'off',
// 'mixed' (look at the children, which are then loaded).
import {api} from '../api.js';
import {h, replace} from '../dom.js';
import {formatDateTime, t} from '../i18n.js';
import {formatBytes} from '../live.js';

/** Epoch milliseconds or an ISO time as a local date and time. */
export function formatTime(time) {
  if (time === null || time === undefined) {
    return '';
  }
  return formatDateTime(time, {dateStyle: 'short', timeStyle: 'medium'});
}

let ids = 0;

/**
 * The tree of one restore point (or of every version): source = {setId, destination, job, allVersions}.
 * The folders down to reveal (the backed-up folder) are opened, one at a time, so the user starts
 * where their files are; the element gets data-ready once they are. With every version, a file's
 * versions are its children, each with its checkbox. Returns an element with .selection() ({paths,
 * versions}: the chosen paths, a folder standing for its content, and for a partly chosen file the
 * versions chosen, [{path, job}]) and .onChange (called after every change of the choice).
 */
export function fileTree(source, reveal) {
  const root = {path: '/', name: '/', kind: 'folder', parent: null, children: null, state: 'off'};
  const list = h('ul', {class: 'tree', 'aria-label': t('restore.tree.label')});
  const status = h('p', {class: 'hint', role: 'status'});
  const el = h('div', {class: 'tree-box', 'data-tree': true}, status, list);
  el.onChange = () => {};

  el.selection = () => {
    const paths = [];
    const versions = [];
    const walk = (node) => {
      for (const c of node.children || []) {
        if (c.kind === 'version') {
          if (c.state === 'on') {
            versions.push({path: c.path, job: c.job});
          }
        } else if (c.state === 'on') {
          paths.push(c.path);
        } else if (c.state === 'mixed') {
          if (c.kind !== 'folder') {
            paths.push(c.path); // some of its versions
          }
          walk(c);
        }
      }
    };
    walk(root);
    return {paths, versions};
  };

  root.changed = () => el.onChange();
  load(source, root, list, status)
    .then(() => openDown(root, reveal || '/'))
    .catch((e) => replace(status, e.message))
    .finally(() => el.setAttribute('data-ready', ''));
  return el;
}

async function openDown(root, path) {
  let node = root;
  for (const part of path.split('/').filter(Boolean)) {
    node = (node.children || []).find((c) => c.name === part && c.kind === 'folder');
    if (!node) {
      return;
    }
    await node.open();
  }
}

async function load(source, node, list, status) {
  replace(status, t('restore.tree.loading'));
  const q = new URLSearchParams({destination: source.destination, job: source.job || 'latest', path: node.path,
    allVersions: String(Boolean(source.allVersions))});
  const r = await api('GET', 'sets/' + source.setId + '/tree?' + q);
  const state = node.state === 'on' ? 'on' : 'off';
  node.children = r.items.map((i) => {
    const child = {...i, parent: node, children: null, state};
    if (i.kind !== 'folder' && i.versions && i.versions.length > 1) {
      child.children = i.versions.map((v) => ({...v, kind: 'version', path: i.path, job: v.firstJob, parent: child,
        state}));
    }
    return child;
  });
  replace(list, node.children.length ? node.children.map((c) => row(source, c)) :
    h('li', {class: 'hint'}, t('restore.tree.empty')));
  replace(status, '');
}

function rootOf(node) {
  let n = node;
  while (n.parent) {
    n = n.parent;
  }
  return n;
}

/** Sets a node and everything loaded below it, then recomputes the folders above it. */
function setState(node, state) {
  const down = (n) => {
    n.state = state;
    show(n);
    (n.children || []).forEach(down);
  };
  down(node);
  for (let p = node.parent; p && p.parent; p = p.parent) {
    const states = new Set(p.children.map((c) => c.state));
    p.state = states.size === 1 ? [...states][0] : 'mixed';
    show(p);
  }
}

function show(node) {
  if (node.box) {
    node.box.checked = node.state === 'on';
    node.box.indeterminate = node.state === 'mixed';
  }
}

function row(source, node) {
  const id = 'tree-' + (++ids);
  const folder = node.kind === 'folder';
  const box = h('input', {type: 'checkbox', id, checked: node.state === 'on', onchange: () => {
    setState(node, box.checked ? 'on' : 'off');
    rootOf(node).changed();
  }});
  node.box = box;
  const children = h('ul', {hidden: true});
  const status = h('span', {class: 'hint', role: 'status'});
  const twisty = folder ? h('button', {type: 'button', class: 'twisty', 'aria-expanded': 'false',
    'aria-label': t('restore.tree.open', {name: node.name}),
    onclick: () => toggle(twisty.getAttribute('aria-expanded') !== 'true')}, '▸') : h('span', {class: 'twisty-space'});

  async function toggle(open) {
    twisty.setAttribute('aria-expanded', String(open));
    replace(twisty, open ? '▾' : '▸');
    children.hidden = !open;
    if (open && !node.loading) {
      node.loading = load(source, node, children, status).catch((e) => {
        node.loading = null; // try again at the next opening
        replace(status, e.message);
      });
    }
    await node.loading;
  }
  node.open = () => toggle(true);
  const name = node.kind === 'symlink' ? node.name + ' → ' + (node.target || '') : node.name;
  const li = h('li', {'data-path': node.path, 'data-kind': node.kind, class: node.current === false ? 'gone' : null},
    h('div', {class: 'tree-row'}, twisty, box,
      h('label', {for: id, class: 'name'}, name),
      h('span', {class: 'kind'}, t('restore.kind.' + node.kind)),
      folder ? null : h('span', {class: 'size'}, formatBytes(node.size)),
      h('span', {class: 'mtime'}, formatTime(node.mtime)), status),
    versions(node), children);
  return li;
}

/** With every version: the versions of a file, each to choose, the newest last in black, the older ones in grey. */
function versions(node) {
  if (node.kind === 'folder' || !node.children) {
    return null;
  }
  return h('ul', {class: 'versions', 'aria-label': t('restore.tree.versions', {name: node.name})},
    node.children.map((v) => {
      const id = 'tree-' + (++ids);
      const box = h('input', {type: 'checkbox', id, checked: v.state === 'on', onchange: () => {
        setState(v, box.checked ? 'on' : 'off');
        rootOf(v).changed();
      }});
      v.box = box;
      return h('li', {class: v.area === 'retention' ? 'old' : 'latest', 'data-version': v.job}, box,
        h('label', {for: id, class: 'name'},
          t('restore.tree.version', {size: formatBytes(v.size), time: formatTime(v.mtime), job: v.job})));
    }));
}
