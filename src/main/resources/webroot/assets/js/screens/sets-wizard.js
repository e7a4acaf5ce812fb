// The creation wizard (guide ch. 10): name and type → source → schedule → destinations →
// encryption → Finish. Finish creates the set (POST /sets; refused fields are shown beside their
// field, on their step), stores the destinations' passwords and keys, tests each destination and
// shows the encryption key this once, with a copy button.
import {api, ApiError} from '../api.js';
import {alertBox, checkField, field, h, replace, selectField, showErrors} from '../dom.js';
import {t} from '../i18n.js';
import {destinationsEditor, runTest, storeCredentials} from './set-destinations.js';
import {schedulesEditor} from './set-schedule.js';
import {browseStarts, sourceEditor} from './set-source.js';

export async function wizardScreen() {
  const starts = await browseStarts();
  const name = field({field: 'name', label: t('sets.name'), value: '', autocomplete: 'off', required: true});
  const type = selectField({label: t('sets.type'), options: [['file', t('sets.type.file')]]});
  const source = sourceEditor({}, starts);
  const schedule = schedulesEditor({}, false);
  const destinations = destinationsEditor({}, null);
  const encryption = encryptionEditor();
  const steps = [
    {title: t('sets.wizard.nameType'), body: [name, type], fields: () => [name]},
    {title: t('sets.section.source'), body: source.el, fields: () => source.fields},
    {title: t('sets.section.schedule'), body: schedule.el, fields: () => schedule.fields},
    {title: t('sets.section.destination'), body: destinations.el, fields: () => destinations.fields},
    {title: t('sets.wizard.encryption'), body: encryption.el, fields: () => encryption.fields}
  ];
  const alert = alertBox();
  const sections = steps.map((s, i) => h('section', {class: 'wizard-step', 'data-step': i + 1},
    h('h2', {tabindex: '-1'}, t('sets.wizard.step', {n: i + 1, of: steps.length, title: s.title})), s.body));
  const previous = h('button', {type: 'button', class: 'secondary', onclick: () => go(current - 1)},
    t('sets.wizard.previous'));
  const next = h('button', {type: 'button', onclick: () => go(current + 1)}, t('sets.wizard.next'));
  const finish = h('button', {type: 'submit'}, t('sets.wizard.finish'));
  const form = h('form', {novalidate: true, class: 'wizard'}, alert, sections,
    h('div', {class: 'actions'}, previous, next, finish, h('a', {href: '/sets', 'data-link': true}, t('sets.cancel'))));
  const root = h('div', {}, h('h1', {}, t('sets.wizard.title')), form);
  let current = 0;

  function go(i) {
    current = Math.max(0, Math.min(steps.length - 1, i));
    sections.forEach((s, n) => (s.hidden = n !== current));
    previous.hidden = current === 0;
    next.hidden = current === steps.length - 1;
    finish.hidden = current !== steps.length - 1;
    sections[current].querySelector('h2').focus();
  }

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const all = steps.flatMap((s) => s.fields());
    all.forEach((f) => f.setError(''));
    alert.hidden = true;
    finish.disabled = true;
    try {
      const body = {name: name.input.value.trim(), source: source.value(), ...schedule.value(), ...destinations.value(),
        encryption: encryption.value()};
      const created = await api('POST', 'sets', body);
      replace(root, await createdView(created, destinations.credentials()));
      root.querySelector('h1').focus();
    } catch (e) {
      if (!(e instanceof ApiError)) {
        throw e;
      }
      showErrors(form, alert, e, all);
      const bad = sections.findIndex((sec) => [...sec.querySelectorAll('.field-error')].some((x) => x.textContent));
      go(bad >= 0 ? bad : current);
      sections[current].querySelector('[aria-invalid=true]')?.focus();
      if (!alert.hidden && !form.querySelector('[aria-invalid=true]')) {
        alert.setAttribute('tabindex', '-1'); // a refusal of the whole form: read it where it is
        alert.focus();
      }
    } finally {
      finish.disabled = false;
    }
  });
  sections.forEach((s, n) => (s.hidden = n !== 0));
  previous.hidden = true;
  finish.hidden = true;
  return root;
}

/** The encryption step (ch. 10 step 14): on/off, the type, the key (twice) and custom settings. */
function encryptionEditor() {
  const on = checkField({field: 'encryption.enabled', label: t('sets.enc.on'), checked: true, onchange: () => shown()});
  const type = selectField({field: 'encryption.type', label: t('sets.enc.type'), value: 'default',
    options: ['default', 'password', 'custom'].map((x) => [x, t('sets.enc.type.' + x)]), onchange: () => shown()});
  const typeHint = h('p', {class: 'hint', 'aria-live': 'polite'});
  const key = field({field: 'encryption.key', label: t('sets.enc.key'), type: 'password', autocomplete: 'new-password'});
  const again = field({field: 'keyAgain', label: t('sets.enc.keyAgain'), type: 'password', autocomplete: 'new-password'});
  const bits = selectField({field: 'encryption.keyBits', label: t('sets.enc.keyBits'), value: '256',
    options: [['256', t('sets.enc.bits', {n: 256})], ['128', t('sets.enc.bits', {n: 128})]]});
  const mode = selectField({field: 'encryption.mode', label: t('sets.enc.mode'), value: 'gcm',
    options: [['gcm', 'GCM'], ['cbc', 'CBC']]});

  function shown() {
    const ty = type.input.value;
    type.hidden = !on.input.checked;
    replace(typeHint, on.input.checked ? t('sets.enc.type.' + ty + '.hint') : t('sets.enc.offHint'));
    key.hidden = again.hidden = !on.input.checked || ty === 'default';
    bits.hidden = mode.hidden = !on.input.checked || ty !== 'custom';
  }
  shown();
  return {
    el: h('div', {}, on, type, typeHint, key, again, bits, mode, h('p', {class: 'hint'}, t('sets.enc.fixed'))),
    fields: [on, type, key, again, bits, mode],
    value: () => {
      if (!on.input.checked) {
        return {enabled: false};
      }
      const ty = type.input.value;
      if (ty === 'default') {
        return {enabled: true, type: ty};
      }
      if (key.input.value !== again.input.value) {
        throw new ApiError(400, {error: {message: t('sets.enc.mismatch'),
          fields: [{field: 'keyAgain', message: t('sets.enc.mismatch')}]}});
      }
      const out = {enabled: true, type: ty, key: key.input.value};
      return ty === 'custom' ? {...out, algorithm: 'AES', keyBits: Number(bits.input.value), mode: mode.input.value} : out;
    }
  };
}

/** After Finish: the key shown once (with Copy), the credentials stored and each destination tested. */
async function createdView(set, credentials) {
  const problems = h('div', {});
  try {
    await storeCredentials(set.id, credentials);
  } catch (e) {
    replace(problems, h('p', {class: 'alert', role: 'alert'}, e.message));
  }
  const tests = (set.destinations || []).map((d) => {
    const out = h('div', {class: 'test-result', 'aria-live': 'polite'});
    const again = h('button', {type: 'button', class: 'secondary', 'aria-label': t('sets.dest.testNamed', {name: d.name}),
      onclick: () => runTest(set.id, d.name, out)}, t('sets.dest.test'));
    runTest(set.id, d.name, out);
    return h('li', {'data-destination': d.name}, h('strong', {}, d.name), ' ', h('code', {}, d.url), ' ', again, out);
  });
  return h('div', {}, h('h1', {tabindex: '-1'}, t('sets.created.title')),
    h('p', {role: 'status'}, t('sets.created.text', {name: set.name})), problems,
    set.encryptionKey ? keyBox(set.encryptionKey) : h('p', {class: 'note'}, t('sets.created.noKey')),
    h('h2', {}, t('sets.created.tests')), h('ul', {class: 'dest-tests'}, tests),
    h('p', {class: 'actions'}, h('a', {href: '/sets/' + set.id, 'data-link': true}, t('sets.created.open', {name: set.name})),
      h('a', {href: '/sets', 'data-link': true}, t('sets.back'))));
}

/** An encryption key with the advice to keep it and a copy button. */
export function keyBox(key) {
  const copied = h('span', {class: 'hint', role: 'status'});
  return h('section', {class: 'note key-box', 'aria-labelledby': 'key-h'}, h('h2', {id: 'key-h'}, t('sets.key.title')),
    h('p', {}, t('sets.key.advice')), h('p', {}, h('code', {'data-key': true}, key)),
    h('p', {class: 'actions'}, h('button', {type: 'button', class: 'secondary', onclick: async () => {
      try {
        await navigator.clipboard.writeText(key);
        replace(copied, t('sets.key.copied'));
      } catch (e) {
        replace(copied, t('sets.key.copyFailed'));
      }
    }}, t('sets.key.copy')), copied));
}
