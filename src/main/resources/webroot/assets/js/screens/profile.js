// Profile (guide ch. 9.1): general (last successful login), password change, and authentication:
// two-factor on/off, authenticator apps (add with QR code and secret, confirm, remove) and recovery codes.
import {api, ApiError} from '../api.js';
import {render} from '../app.js';
import {alertBox, field, h, replace, showErrors} from '../dom.js';
import {currentLanguage, t} from '../i18n.js';

function when(ms) {
  if (!ms) {
    return t('profile.never');
  }
  return new Intl.DateTimeFormat(currentLanguage(), {dateStyle: 'medium', timeStyle: 'short'}).format(new Date(ms));
}

function table(name, rows) {
  return h('table', {'data-table': name}, h('tbody', {}, rows.map(([k, v]) =>
    h('tr', {}, h('th', {scope: 'row'}, k), h('td', {}, v)))));
}

/** A form whose submit calls action(); refusals are shown beside its fields, success in its status line. */
function form(fields, button, action, extra) {
  const alert = alertBox();
  const done = h('p', {class: 'hint', role: 'status'});
  const el = h('form', {novalidate: true}, alert, fields, extra || null,
    h('div', {class: 'actions'}, h('button', {type: 'submit'}, button)), done);
  el.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const buttons = [...el.querySelectorAll('button')];
    buttons.forEach((b) => (b.disabled = true));
    replace(done, '');
    try {
      fields.forEach((f) => f.setError(''));
      alert.hidden = true;
      replace(done, (await action()) || '');
    } catch (e) {
      if (!(e instanceof ApiError)) {
        throw e;
      }
      showErrors(el, alert, e, fields);
    } finally {
      buttons.forEach((b) => (b.disabled = false));
    }
  });
  return el;
}

function passwordSection() {
  const current = field({field: 'current', label: t('profile.password.current'), type: 'password',
    autocomplete: 'current-password'});
  const next = field({field: 'password', label: t('profile.password.new'), type: 'password',
    autocomplete: 'new-password', hint: t('setup.passwordHint')});
  const again = field({field: 'passwordAgain', label: t('field.passwordAgain'), type: 'password',
    autocomplete: 'new-password'});
  return h('section', {'aria-labelledby': 'password-h'}, h('h2', {id: 'password-h'}, t('profile.password')),
    form([current, next, again], t('profile.password.change'), async () => {
      if (next.input.value !== again.input.value) {
        throw new ApiError(400, {error: {message: t('setup.mismatch'),
          fields: [{field: 'passwordAgain', message: t('setup.mismatch')}]}});
      }
      await api('POST', 'profile/password', {current: current.input.value, password: next.input.value});
      [current, next, again].forEach((f) => (f.input.value = ''));
      return t('profile.password.changed');
    }));
}

/** Recovery codes, shown once, with the advice to keep them. */
function codesBox(codes) {
  return h('div', {class: 'note', 'data-recovery-codes': true}, h('p', {}, t('tfa.codes.keep')),
    h('ul', {}, codes.map((c) => h('li', {}, h('code', {}, c)))));
}

async function twoFactorSection() {
  const state = await api('GET', 'profile/2fa');
  const area = h('div', {});
  const password = field({field: 'password', label: t('tfa.password'), type: 'password',
    autocomplete: 'current-password', hint: t('tfa.passwordHint')});
  const alert = alertBox();
  const shown = h('div', {'aria-live': 'polite'});

  async function act(call) {
    password.setError('');
    alert.hidden = true;
    try {
      return await call();
    } catch (e) {
      if (!(e instanceof ApiError)) {
        throw e;
      }
      showErrors(null, alert, e, [password]);
      return null;
    }
  }

  const rows = (state.authenticators || []).map((a) => h('tr', {'data-authenticator': a.name},
    h('td', {}, a.name), h('td', {}, t('tfa.type.' + a.type) + (a.phone ? ' ' + a.phone : '')),
    h('td', {}, a.confirmed ? t('tfa.confirmed') : t('tfa.unconfirmed')),
    h('td', {}, a.lastUsed ? when(a.lastUsed) : t('profile.never')),
    h('td', {}, h('button', {type: 'button', class: 'secondary', 'aria-label': t('tfa.remove.named', {name: a.name}),
      onclick: async () => {
        if (await act(() => api('POST', 'profile/2fa/authenticators/' + encodeURIComponent(a.id) + '/remove',
          {password: password.input.value}))) {
          await render();
        }
      }}, t('tfa.remove')))));

  const toggle = h('button', {type: 'button', class: 'secondary', 'data-toggle-2fa': true, onclick: async () => {
    if (await act(() => api('PUT', 'profile/2fa', {enabled: !state.enabled, password: password.input.value}))) {
      await render();
    }
  }}, state.enabled ? t('tfa.turnOff') : t('tfa.turnOn'));
  const newCodes = h('button', {type: 'button', class: 'secondary', onclick: async () => {
    const r = await act(() => api('POST', 'profile/2fa/recovery-codes', {password: password.input.value}));
    if (r) {
      replace(shown, codesBox(r.recoveryCodes));
    }
  }}, t('tfa.newCodes'));

  const name = field({field: 'name', label: t('tfa.app.name'), value: t('tfa.app.defaultName')});
  const add = h('button', {type: 'button', onclick: async () => {
    const r = await act(() => api('POST', 'profile/2fa/totp', {name: name.input.value, password: password.input.value}));
    if (r) {
      replace(shown, enrolment(r));
      shown.querySelector('input')?.focus();
    }
  }}, t('tfa.app.add'));

  replace(area,
    h('p', {}, state.enabled ? t('tfa.on') : t('tfa.off'), ' ',
      t('tfa.codesLeft', {count: state.recoveryCodesLeft ?? 0})),
    rows.length ? h('table', {'data-table': 'authenticators'}, h('thead', {}, h('tr', {},
      [t('tfa.col.name'), t('tfa.col.type'), t('tfa.col.state'), t('tfa.col.lastUsed'), ''].map((c) =>
        h('th', {scope: 'col'}, c)))), h('tbody', {}, rows)) : h('p', {}, t('tfa.none')),
    alert, password,
    h('div', {class: 'actions'}, toggle, newCodes),
    h('h3', {}, t('tfa.app.title')), name, h('div', {class: 'actions'}, add),
    shown);
  return h('section', {'aria-labelledby': 'tfa-h'}, h('h2', {id: 'tfa-h'}, t('tfa.title')), area);
}

/** Pairing an authenticator app: its QR code and secret, then a first code confirms it. */
function enrolment(added) {
  const qr = h('img', {src: 'data:image/svg+xml;base64,' + btoa(added.qrSvg), alt: t('tfa.app.qrAlt'), width: 200,
    height: 200, 'data-qr': true});
  const secret = h('code', {'data-secret': true}, added.secret);
  const copy = h('button', {type: 'button', class: 'secondary', onclick: async () => {
    try {
      await navigator.clipboard.writeText(added.secret);
      replace(copied, t('tfa.app.copied'));
    } catch (e) {
      replace(copied, t('tfa.app.copyFailed'));
    }
  }}, t('tfa.app.copy'));
  const copied = h('span', {class: 'hint', role: 'status'});
  const code = field({field: 'code', label: t('tfa.app.code'), autocomplete: 'one-time-code', inputmode: 'numeric'});
  const result = h('div', {});
  const confirm = form([code], t('tfa.app.confirm'), async () => {
    const r = await api('POST', 'profile/2fa/authenticators/' + encodeURIComponent(added.id) + '/confirm',
      {code: code.input.value.trim()});
    replace(result, h('p', {}, t('tfa.app.paired')), r.recoveryCodes ? codesBox(r.recoveryCodes) : null,
      h('button', {type: 'button', class: 'secondary', onclick: () => render()}, t('tfa.app.done')));
    confirm.hidden = true;
    return '';
  });
  return h('div', {class: 'enrolment'}, h('p', {}, t('tfa.app.scan')), qr,
    h('p', {}, t('tfa.app.secret'), ' ', secret, ' ', copy, ' ', copied), confirm, result);
}

export async function profileScreen() {
  const p = await api('GET', 'profile');
  const last = p.lastLogin || {};
  return h('div', {}, h('h1', {}, t('entry.profile')),
    h('section', {'aria-labelledby': 'general-h'}, h('h2', {id: 'general-h'}, t('profile.general')),
      table('profile', [
        [t('field.login'), p.login],
        [t('field.displayName'), p.displayName || ''],
        [t('profile.role'), t('profile.role.' + p.role)],
        [t('profile.timeZone'), p.timeZone || t('profile.timeZone.agent')],
        [t('profile.twoFactor'), p.twoFactor ? t('profile.on') : t('profile.off')],
        [t('profile.lastLogin'), last.time ? t('profile.lastLoginValue', {time: when(last.time), ip: last.ip || '?',
          agent: last.userAgent || '?'}) : t('profile.never')]
      ])),
    passwordSection(),
    await twoFactorSection());
}
