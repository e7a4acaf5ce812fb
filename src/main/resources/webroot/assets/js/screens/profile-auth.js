// Profile > Authentication (guide ch. 9.1.6, 9.1.7): password change; two-factor on/off; authenticator
// apps (add with QR code and key, confirm, re-pair, remove); phones for text messages (add, passcode by
// SMS with its expiry and resend countdowns, confirm); recovery codes.
import {api, ApiError} from '../api.js';
import {alertBox, field, h, replace, showErrors} from '../dom.js';
import {t} from '../i18n.js';
import {countdown} from './auth.js';
import {form, when} from './profile.js';

export async function authenticationSection() {
  return h('div', {}, passwordPart(), await twoFactorPart());
}

function passwordPart() {
  const current = field({field: 'current', label: t('profile.password.current'), type: 'password',
    autocomplete: 'current-password'});
  const next = field({field: 'password', label: t('profile.password.new'), type: 'password',
    autocomplete: 'new-password', hint: t('setup.passwordHint')});
  const again = field({field: 'passwordAgain', label: t('field.passwordAgain'), type: 'password',
    autocomplete: 'new-password'});
  return h('section', {'aria-labelledby': 'password-h'}, h('h3', {id: 'password-h'}, t('profile.password')),
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

/**
 * The second factors. The state is drawn again after every change (no reload): a first paired
 * authenticator turns two-factor authentication on at once, and the page says so.
 */
async function twoFactorPart() {
  let state = await api('GET', 'profile/2fa');
  const area = h('div', {});
  const password = field({field: 'password', label: t('tfa.password'), type: 'password',
    autocomplete: 'current-password', hint: t('tfa.passwordHint')});
  const alert = alertBox();
  const shown = h('div', {'aria-live': 'polite'});
  const ctx = {password, shown, redraw: (next) => draw(next)};

  /** Runs a call that needs the password; a refusal is shown beside it, and the call answers null. */
  ctx.act = async (call) => {
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
  };

  function authenticatorCard(a) {
    const buttons = [];
    if (a.type === 'totp' && a.confirmed) {
      buttons.push(h('button', {type: 'button', class: 'secondary', 'aria-label': t('tfa.repair.named', {name: a.name}),
        onclick: async () => {
          const r = await ctx.act(() => api('POST', 'profile/2fa/authenticators/' + encodeURIComponent(a.id)
            + '/re-pair', {password: password.input.value}));
          if (r) {
            replace(shown, appEnrolment(r, ctx));
            shown.querySelector('input')?.focus();
          }
        }}, t('tfa.repair')));
    }
    buttons.push(h('button', {type: 'button', class: 'secondary', 'aria-label': t('tfa.remove.named', {name: a.name}),
      onclick: async () => {
        const r = await ctx.act(() => api('POST', 'profile/2fa/authenticators/' + encodeURIComponent(a.id) + '/remove',
          {password: password.input.value}));
        if (r) {
          replace(shown);
          draw(r);
        }
      }}, t('tfa.remove')));
    return h('li', {class: 'card', 'data-authenticator': a.name},
      h('strong', {class: 'line'}, a.name),
      h('span', {class: 'line'}, t('tfa.type.' + a.type), a.phone ? ' ' + a.phone : ''),
      h('span', {class: 'line'}, a.confirmed ? t('tfa.confirmed') : t('tfa.unconfirmed')),
      h('span', {class: 'line'}, t('tfa.col.lastUsed') + ': ', a.lastUsed ? when(a.lastUsed) : t('profile.never')),
      h('div', {class: 'actions'}, buttons));
  }

  function draw(next) {
    state = {...state, ...(next || {})};
    const auths = state.authenticators || [];
    const toggle = h('button', {type: 'button', class: 'secondary', 'data-toggle-2fa': true, onclick: async () => {
      const r = await ctx.act(() => api('PUT', 'profile/2fa', {enabled: !state.enabled, password: password.input.value}));
      if (r) {
        draw(r);
      }
    }}, state.enabled ? t('tfa.turnOff') : t('tfa.turnOn'));
    const newCodes = h('button', {type: 'button', class: 'secondary', onclick: async () => {
      const r = await ctx.act(() => api('POST', 'profile/2fa/recovery-codes', {password: password.input.value}));
      if (r) {
        replace(shown, codesBox(r.recoveryCodes));
        draw({recoveryCodesLeft: r.recoveryCodes.length});
      }
    }}, t('tfa.newCodes'));
    replace(area,
      h('p', {'data-2fa-state': state.enabled ? 'on' : 'off'}, state.enabled ? t('tfa.on') : t('tfa.off'), ' ',
        t('tfa.codesLeft', {count: state.recoveryCodesLeft ?? 0})),
      auths.length ? h('ul', {class: 'cards', 'data-list': 'authenticators'}, auths.map(authenticatorCard))
        : h('p', {}, t('tfa.none')),
      h('div', {class: 'actions'}, auths.some((a) => a.confirmed) || state.enabled ? toggle : null, newCodes));
  }

  draw();
  return h('section', {'aria-labelledby': 'tfa-h'}, h('h3', {id: 'tfa-h'}, t('tfa.title')),
    alert, password, area, shown, addApp(ctx), addPhone(ctx, state.smsAvailable));
}

function addApp(ctx) {
  const name = field({field: 'name', label: t('tfa.app.name'), value: t('tfa.app.defaultName')});
  const add = h('button', {type: 'button', onclick: async () => {
    const r = await ctx.act(() => api('POST', 'profile/2fa/totp', {name: name.input.value,
      password: ctx.password.input.value}));
    if (r) {
      replace(ctx.shown, appEnrolment(r, ctx));
      ctx.shown.querySelector('input')?.focus();
    }
  }}, t('tfa.app.add'));
  return h('div', {}, h('h4', {}, t('tfa.app.title')), name, h('div', {class: 'actions'}, add));
}

/** What happens once an authenticator is confirmed: the state is drawn again, the codes shown once. */
function paired(ctx, r, message) {
  ctx.redraw({enabled: r.enabled, authenticators: r.authenticators, recoveryCodesLeft: r.recoveryCodesLeft});
  replace(ctx.shown, h('p', {role: 'status'}, message), r.recoveryCodes ? codesBox(r.recoveryCodes) : null,
    h('button', {type: 'button', class: 'secondary', onclick: () => replace(ctx.shown)}, t('tfa.app.done')));
  ctx.shown.querySelector('button')?.focus();
}

/** Pairing an authenticator app: its QR code and key, then a first code confirms it. */
function appEnrolment(added, ctx) {
  const qr = h('img', {src: 'data:image/svg+xml;base64,' + btoa(added.qrSvg), alt: t('tfa.app.qrAlt'), width: 200,
    height: 200, 'data-qr': true});
  const secret = h('code', {'data-secret': true}, added.secret);
  const copied = h('span', {class: 'hint', role: 'status'});
  const copy = h('button', {type: 'button', class: 'secondary', onclick: async () => {
    try {
      await navigator.clipboard.writeText(added.secret);
      replace(copied, t('tfa.app.copied'));
    } catch (e) {
      replace(copied, t('tfa.app.copyFailed'));
    }
  }}, t('tfa.app.copy'));
  const code = field({field: 'code', label: t('tfa.app.code'), autocomplete: 'one-time-code', inputmode: 'numeric'});
  const confirm = form([code], t('tfa.app.confirm'), async () => {
    const r = await api('POST', 'profile/2fa/authenticators/' + encodeURIComponent(added.id) + '/confirm',
      {code: code.input.value.trim()});
    paired(ctx, r, t('tfa.app.paired'));
    return '';
  });
  return h('div', {class: 'enrolment'}, h('p', {}, t('tfa.app.scan')), qr,
    h('p', {class: 'secret'}, t('tfa.app.secret'), ' ', secret, ' ', copy, ' ', copied), confirm);
}

// ------------------------------------------------------------------------------- phones (SMS codes)

function addPhone(ctx, available) {
  const title = h('h4', {}, t('sms.title'));
  if (!available) {
    return h('div', {'data-sms': 'unavailable'}, title, h('p', {class: 'hint'}, t('sms.unavailable')));
  }
  const name = field({field: 'name', label: t('sms.name'), value: t('sms.defaultName')});
  const phone = field({field: 'phone', label: t('sms.phone'), type: 'tel', autocomplete: 'tel', hint: t('sms.phoneHint')});
  const step = h('div', {});
  const start = form([name, phone], t('sms.send'), async () => {
    let r;
    try {
      r = await api('POST', 'profile/2fa/sms', {name: name.input.value, phone: phone.input.value,
        password: ctx.password.input.value});
    } catch (e) {
      const pw = e instanceof ApiError && e.fields.find((f) => f.field === 'password');
      if (!pw) {
        throw e;
      }
      ctx.password.setError(pw.message); // the password asked once for the whole section
      ctx.password.input.focus();
      return '';
    }
    replace(step, phoneConfirmation(r, ctx, () => {
      replace(step);
      phone.input.value = '';
      start.hidden = false;
    }));
    start.hidden = true;
    step.querySelector('input')?.focus();
    return '';
  });
  return h('div', {'data-sms': 'available'}, title, h('p', {}, t('sms.intro')), start, step);
}

/** The passcode sent to a phone being added: its countdowns, a resend, and the confirmation. */
function phoneConfirmation(sent, ctx, done) {
  const status = h('p', {class: 'hint', 'aria-live': 'polite', 'data-sms-status': true});
  const resend = h('button', {type: 'button', class: 'secondary'}, t('sms.resend'));
  const code = field({field: 'code', label: t('sms.code'), autocomplete: 'one-time-code', inputmode: 'numeric'});
  const timer = countdown(status, resend);
  timer.start(sent);
  resend.addEventListener('click', async () => {
    resend.disabled = true;
    try {
      timer.start(await api('POST', 'profile/2fa/authenticators/' + encodeURIComponent(sent.id) + '/resend', {}));
    } catch (e) {
      code.setError(e.message);
      resend.disabled = false;
    }
  });
  const confirm = form([code], t('sms.confirm'), async () => {
    const r = await api('POST', 'profile/2fa/authenticators/' + encodeURIComponent(sent.id) + '/confirm',
      {code: code.input.value.trim()});
    timer.stop();
    done();
    paired(ctx, r, t('sms.paired', {phone: sent.phone}));
    return '';
  });
  return h('div', {class: 'enrolment', 'data-sms-enrolment': sent.id},
    h('p', {}, t('sms.sent', {phone: sent.phone})), status, h('div', {class: 'actions'}, resend), confirm);
}
