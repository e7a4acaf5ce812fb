// A set's settings pages (guide ch. 9.5): /sets/{id}/<section>, one page per section with the
// sub-navigation of the guide (General, Source, Backup Schedule, Destination, then the advanced
// ones). Save sends the whole set back with the section changed (PUT /sets/{id}); refused fields are
// shown beside their field. "Delete this backup set" asks first.
import {api, ApiError} from '../api.js';
import {navigate, render} from '../app.js';
import {alertBox, field, h, replace, showErrors} from '../dom.js';
import {t} from '../i18n.js';
import {ADVANCED} from './set-advanced.js';
import {destinationsEditor, storeCredentials} from './set-destinations.js';
import {schedulesEditor} from './set-schedule.js';
import {browseStarts, sourceEditor} from './set-source.js';

/**
 * Each section: (set) → {el, fields, apply(doc) → doc to PUT} or {el, fields, save(set) → saved set}
 * for a section saved another way; after(saved) runs once the set is saved.
 */
const SECTIONS = {
  general: (set) => {
    const name = field({field: 'name', label: t('sets.name'), value: set.name, autocomplete: 'off'});
    return {el: h('div', {}, name, h('dl', {class: 'facts'}, h('dt', {}, t('sets.owner')), h('dd', {}, set.owner || ''),
      h('dt', {}, t('sets.type')), h('dd', {}, t('sets.type.file')))),
    fields: [name],
    save: (s) => (name.input.value.trim() === s.name ? Promise.resolve(s)
      : api('POST', 'sets/' + s.id + '/rename', {name: name.input.value.trim()}))};
  },
  source: async (set) => {
    const editor = sourceEditor(set.source || {}, await browseStarts());
    return {el: editor.el, get fields() {
      return editor.fields;
    }, apply: (doc) => ({...doc, source: editor.value()})};
  },
  schedule: (set) => {
    const editor = schedulesEditor(set, true);
    return {el: editor.el, get fields() {
      return editor.fields;
    }, apply: (doc) => ({...doc, ...editor.value()})};
  },
  destination: (set) => {
    const editor = destinationsEditor(set, set.id);
    return {el: editor.el, get fields() {
      return editor.fields;
    }, apply: (doc) => ({...doc, ...editor.value()}), after: (saved) => storeCredentials(saved.id, editor.credentials())};
  },
  ...ADVANCED
};
const BASIC = ['general', 'source', 'schedule', 'destination'];
/** What the next drawing of a settings page says in its status line (set by a save, then cleared). */
let saidAfterSave = '';

export async function setScreen(idText, section) {
  const status = saidAfterSave;
  saidAfterSave = '';
  const set = await api('GET', 'sets/' + encodeURIComponent(idText));
  const root = h('div', {class: 'set-settings'});
  const make = SECTIONS[section];
  if (!make) {
    return h('div', {}, h('h1', {}, set.name), h('p', {class: 'alert', role: 'alert'}, t('sets.noSection', {section})),
      h('p', {}, h('a', {href: '/sets/' + set.id, 'data-link': true}, t('sets.section.general'))));
  }
  const editor = await make(set);
  const alert = alertBox();
  const done = h('p', {class: 'hint', role: 'status', 'data-saved': true}, status || '');
  const form = h('form', {novalidate: true, 'data-section': section}, alert,
    h('h2', {}, t('sets.section.' + section)), editor.el,
    h('div', {class: 'actions'}, h('button', {type: 'submit'}, t('sets.save')),
      h('a', {href: '/sets/' + set.id + '/' + section, 'data-link': true}, t('sets.cancel'))), done);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const fields = editor.fields;
    fields.forEach((f) => f.setError(''));
    alert.hidden = true;
    replace(done, '');
    try {
      const saved = editor.save ? await editor.save(set) : await api('PUT', 'sets/' + set.id, editor.apply(set));
      if (editor.after) {
        await editor.after(saved);
      }
      saidAfterSave = t('sets.saved');
      await render();
    } catch (e) {
      if (!(e instanceof ApiError)) {
        throw e;
      }
      showErrors(form, alert, e, fields);
      if (!alert.hidden && !form.querySelector('[aria-invalid=true]')) {
        alert.setAttribute('tabindex', '-1'); // a refusal of the whole form: read it where it is
        alert.focus();
      }
    }
  });
  replace(root, h('h1', {}, set.name), nav(set, section), h('div', {class: 'settings-body'}, form),
    deleteArea(set));
  return root;
}

function nav(set, section) {
  const link = (s) => h('li', {}, h('a', {href: '/sets/' + set.id + (s === 'general' ? '' : '/' + s), 'data-link': true,
    'aria-current': s === section ? 'page' : null}, t('sets.section.' + s)));
  return h('nav', {class: 'set-nav', 'aria-label': t('sets.settingsOf', {name: set.name})},
    h('ul', {}, BASIC.map(link)), h('p', {class: 'hint'}, t('sets.advanced')), h('ul', {}, Object.keys(ADVANCED).map(link)),
    h('p', {}, h('a', {href: '/sets', 'data-link': true}, t('sets.back'))));
}

/** "Delete this backup set", with a confirmation naming the set. */
function deleteArea(set) {
  const area = h('div', {class: 'delete-area'});
  const alert = alertBox();
  const ask = h('button', {type: 'button', class: 'secondary danger', onclick: () => {
    const confirm = h('div', {class: 'alert confirm', role: 'alertdialog', 'aria-labelledby': 'confirm-text'},
      h('p', {id: 'confirm-text'}, t('sets.delete.confirm', {name: set.name})),
      h('div', {class: 'actions'},
        h('button', {type: 'button', class: 'danger', onclick: async () => {
          try {
            await api('DELETE', 'sets/' + set.id);
            await navigate('/sets');
          } catch (e) {
            replace(alert, e.message);
            alert.hidden = false;
          }
        }}, t('sets.delete.yes')),
        h('button', {type: 'button', class: 'secondary', onclick: () => replace(area, alert, ask)}, t('sets.cancel'))));
    replace(area, alert, confirm);
    confirm.querySelector('button').focus();
  }}, t('sets.delete'));
  return replace(area, alert, ask);
}
