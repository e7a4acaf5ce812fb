// First-run setup and login, with every second factor the agent offers (docs/SECURITY.md §1, §3).
import {api, ApiError} from '../api.js';
import {loggedIn, navigate} from '../app.js';
import {alertBox, field, h, replace, showErrors} from '../dom.js';
import {t} from '../i18n.js';

/** Runs a form's submit: disables its buttons meanwhile, shows refusals beside the fields. */
function submitting(form, alert, fields, action) {
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const buttons = [...form.querySelectorAll('button')];
    buttons.forEach((b) => (b.disabled = true));
    try {
      await action();
    } catch (e) {
      if (!(e instanceof ApiError)) {
        throw e;
      }
      showErrors(form, alert, e.status === 0 ? {message: t('error.unreachable')}
        : e.status === 429 ? {message: t('login.throttled', {seconds: e.retryAfter ?? '?'})} : e, fields);
    } finally {
      buttons.forEach((b) => (b.disabled = false));
    }
  });
}

export async function setupScreen() {
  const state = await api('GET', 'auth/setup');
  if (!state.needed) {
    return h('div', {}, h('h1', {}, t('setup.title')), h('p', {}, t('setup.done')),
      h('p', {}, h('a', {href: '/login', 'data-link': true}, t('setup.toLogin'))));
  }
  const alert = alertBox();
  const code = field({field: 'setupCode', label: t('setup.code'), hint: t('setup.codeHint'), autocomplete: 'off',
    required: true});
  const login = field({field: 'login', label: t('field.login'), hint: t('setup.loginHint'), autocomplete: 'username',
    required: true});
  const name = field({field: 'displayName', label: t('field.displayName'), autocomplete: 'name'});
  const password = field({field: 'password', label: t('field.password'), type: 'password', hint: t('setup.passwordHint'),
    autocomplete: 'new-password', required: true});
  const again = field({field: 'passwordAgain', label: t('field.passwordAgain'), type: 'password',
    autocomplete: 'new-password', required: true});
  const fields = [code, login, name, password, again];
  const form = h('form', {novalidate: true}, alert, fields,
    h('div', {class: 'actions'}, h('button', {type: 'submit'}, t('setup.submit'))));
  submitting(form, alert, fields, async () => {
    if (password.input.value !== again.input.value) {
      throw new ApiError(400, {error: {message: t('setup.mismatch'),
        fields: [{field: 'passwordAgain', message: t('setup.mismatch')}]}});
    }
    const body = await api('POST', 'auth/setup', {setupCode: code.input.value, login: login.input.value,
      displayName: name.input.value || undefined, password: password.input.value});
    await loggedIn(body);
  });
  return h('div', {}, h('h1', {}, t('setup.title')), h('p', {}, t('setup.intro')), form);
}

/** Where this browser keeps the login name whose password it saved (the token is an HttpOnly cookie). */
const SAVED = 'b247.savedLogin';

function savedLogin() {
  try {
    return localStorage.getItem(SAVED);
  } catch (e) {
    return null;
  }
}

function keepSavedLogin(login) {
  try {
    if (login) {
      localStorage.setItem(SAVED, login);
    } else {
      localStorage.removeItem(SAVED);
    }
  } catch (e) {
    // storage refused (private window): the password is asked next time
  }
}

/** Forgets this browser's saved password: on the agent (the device and its cookie) and here. */
async function forgetSaved() {
  keepSavedLogin(null);
  try {
    await api('POST', 'auth/forget-device', {});
  } catch (e) {
    // unreachable agent: the cookie ends by itself; the password is asked either way
  }
}

/**
 * The login (guide ch. 7.1): login name, password and, where the agent allows it
 * (auth.allowRememberDevice), "Save password": this browser then logs in without the password (a
 * token in an HttpOnly cookie), the second factor still asked.
 */
export async function loginScreen() {
  let allowed = false;
  try {
    allowed = Boolean((await api('GET', 'auth/setup')).rememberAllowed);
  } catch (e) {
    allowed = false;
  }
  const view = h('div', {});
  const saved = allowed ? savedLogin() : null;
  replace(view, saved ? savedForm(view, saved) : passwordForm(view, allowed, null));
  return view;
}

/** After the password (or the saved one) is accepted: the second step, or the console. */
async function accepted(view, body, login) {
  const done = async (session) => {
    if (session.rememberExpiresAt) {
      keepSavedLogin(login);
    }
    await loggedIn(session);
  };
  if (body.twoFactor) {
    replace(view, secondFactor(body.twoFactor, done));
    view.querySelector('h1').focus();
  } else {
    await done(body);
  }
}

function passwordForm(view, allowed, notice) {
  const alert = alertBox();
  const login = field({field: 'login', label: t('field.login'), autocomplete: 'username', required: true});
  const password = field({field: 'password', label: t('field.password'), type: 'password',
    autocomplete: 'current-password', required: true});
  const remember = allowed ? h('input', {type: 'checkbox', id: 'remember', name: 'remember'}) : null;
  const fields = [login, password];
  const form = h('form', {novalidate: true}, alert, fields,
    remember ? h('div', {class: 'field'}, h('label', {class: 'check', for: 'remember'}, remember, t('login.remember')),
      h('p', {class: 'hint'}, t('login.rememberHint'))) : null,
    h('div', {class: 'actions'}, h('button', {type: 'submit'}, t('login.submit'))));
  if (notice) {
    replace(alert, notice);
    alert.hidden = false;
  }
  submitting(form, alert, fields, async () => {
    const body = await api('POST', 'auth/login', {login: login.input.value, password: password.input.value,
      remember: remember && remember.checked ? true : undefined, cookieOnly: true});
    await accepted(view, body, login.input.value);
  });
  return [h('h1', {}, t('login.title')), form];
}

/** This browser saved the password of {@code login}: one click logs in (the second factor still asked). */
function savedForm(view, login) {
  const alert = alertBox();
  const form = h('form', {novalidate: true, 'data-saved-login': login}, alert,
    h('p', {}, t('login.saved', {login})),
    h('div', {class: 'actions'}, h('button', {type: 'submit'}, t('login.savedSubmit', {login})),
      h('button', {type: 'button', class: 'secondary', onclick: async () => {
        await forgetSaved();
        replace(view, passwordForm(view, true, null));
        view.querySelector('input')?.focus();
      }}, t('login.forget'))));
  submitting(form, alert, [], async () => {
    try {
      await accepted(view, await api('POST', 'auth/login', {login, cookieOnly: true}), login);
    } catch (e) {
      if (!(e instanceof ApiError) || (e.status !== 401 && e.status !== 400)) {
        throw e;
      }
      await forgetSaved(); // revoked, expired, or the password changed since
      replace(view, passwordForm(view, true, t('login.savedGone')));
    }
  });
  return [h('h1', {}, t('login.title')), form];
}

/** The second step of a login: a code from an authenticator app, an SMS or a recovery code. */
function secondFactor(challenge, done) {
  const methods = challenge.methods || [];
  let method = methods.includes('totp') ? 'totp' : methods[0];
  const alert = alertBox();
  const code = field({field: 'code', label: '', autocomplete: 'one-time-code', inputmode: 'numeric', required: true});
  const label = code.querySelector('label');
  const smsArea = h('div', {});
  const form = h('form', {novalidate: true}, alert, smsArea, code,
    h('div', {class: 'actions'}, h('button', {type: 'submit'}, t('twoFactor.submit'))));
  const choices = h('div', {class: 'actions'});

  function choose(m) {
    method = m;
    replace(label, t('twoFactor.code.' + m));
    code.input.setAttribute('inputmode', m === 'recovery' ? 'text' : 'numeric');
    code.input.value = '';
    code.setError('');
    replace(smsArea, m === 'sms' ? smsSender(challenge, alert) : null);
    replace(choices, methods.filter((x) => x !== m).map((x) =>
      h('button', {type: 'button', class: 'secondary', 'data-method': x, onclick: () => choose(x)},
        t('twoFactor.use.' + x))));
    code.input.focus();
  }

  submitting(form, alert, [code], async () => {
    await done(await api('POST', 'auth/2fa', {challenge: challenge.challenge, method, code: code.input.value.trim()}));
  });
  const view = h('div', {}, h('h1', {}, t('twoFactor.title')), h('p', {}, t('twoFactor.intro')), form, choices,
    h('details', {}, h('summary', {}, t('twoFactor.unable')), h('p', {}, t('twoFactor.unableText'))),
    h('p', {}, h('a', {href: '/login', 'data-link': true}, t('twoFactor.restart'))));
  choose(method);
  return view;
}

/** Sends the SMS passcode to one of the account's phones, with the expiry and resend countdowns. */
function smsSender(challenge, alert) {
  const phones = challenge.sms || [];
  const select = h('select', {id: 'sms-phone', name: 'authenticator'},
    phones.map((p) => h('option', {value: p.id}, p.phone)));
  const status = h('p', {class: 'hint', 'aria-live': 'polite'});
  const send = h('button', {type: 'button', class: 'secondary'}, t('twoFactor.sms.send'));
  const timer = countdown(status, send);
  send.addEventListener('click', async () => {
    send.disabled = true;
    try {
      timer.start(await api('POST', 'auth/2fa/sms', {challenge: challenge.challenge, authenticator: select.value}));
    } catch (e) {
      send.disabled = false;
      showErrors(null, alert, e, []);
    }
  });
  return h('div', {}, h('label', {for: 'sms-phone'}, t('twoFactor.sms.phone')), select,
    h('div', {class: 'actions'}, send), status);
}

/**
 * The expiry and resend countdowns of an SMS passcode, second by second, from an answer with
 * expiresIn, resendIn and resendsLeft; the resend button is usable once the wait is over and while
 * resends are left. Stops by itself once the status line leaves the page.
 */
export function countdown(status, resend) {
  let timer = null;
  const stop = () => {
    clearInterval(timer);
    timer = null;
  };
  function start(r) {
    stop();
    let expires = r.expiresIn;
    let wait = r.resendIn ?? 0;
    const left = r.resendsLeft ?? 0;
    const tick = () => {
      if (timer && !status.isConnected) {
        stop();
        return;
      }
      replace(status, expires > 0 ? t('twoFactor.sms.sent', {seconds: expires}) : t('twoFactor.sms.expired'),
        left > 0 && wait > 0 ? ' ' + t('twoFactor.sms.resendIn', {seconds: wait}) : '',
        left <= 0 ? ' ' + t('twoFactor.sms.noResend') : '');
      resend.disabled = wait > 0 || left <= 0;
      expires--;
      wait--;
    };
    tick();
    timer = setInterval(tick, 1000);
  }
  return {start, stop};
}
