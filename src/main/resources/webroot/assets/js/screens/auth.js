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

export async function loginScreen() {
  const alert = alertBox();
  const login = field({field: 'login', label: t('field.login'), autocomplete: 'username', required: true});
  const password = field({field: 'password', label: t('field.password'), type: 'password',
    autocomplete: 'current-password', required: true});
  const fields = [login, password];
  const form = h('form', {novalidate: true}, alert, fields,
    h('div', {class: 'actions'}, h('button', {type: 'submit'}, t('login.submit'))));
  const view = h('div', {}, h('h1', {}, t('login.title')), form);
  submitting(form, alert, fields, async () => {
    const body = await api('POST', 'auth/login', {login: login.input.value, password: password.input.value});
    if (body.twoFactor) {
      replace(view, secondFactor(body.twoFactor));
      view.querySelector('h1').focus();
    } else {
      await loggedIn(body);
    }
  });
  return view;
}

/** The second step of a login: a code from an authenticator app, an SMS or a recovery code. */
function secondFactor(challenge) {
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
    const body = await api('POST', 'auth/2fa', {challenge: challenge.challenge, method, code: code.input.value.trim()});
    await loggedIn(body);
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
  let timer = null;
  send.addEventListener('click', async () => {
    send.disabled = true;
    try {
      const r = await api('POST', 'auth/2fa/sms', {challenge: challenge.challenge, authenticator: select.value});
      let expires = r.expiresIn;
      let resend = r.resendIn;
      clearInterval(timer);
      const tick = () => {
        replace(status, t('twoFactor.sms.sent', {seconds: Math.max(expires, 0)}),
          r.resendsLeft > 0 && resend > 0 ? ' ' + t('twoFactor.sms.resendIn', {seconds: resend}) : '');
        send.disabled = resend > 0 || r.resendsLeft <= 0;
        expires--;
        resend--;
        if (expires < 0) {
          clearInterval(timer);
          replace(status, t('twoFactor.sms.expired'));
          send.disabled = r.resendsLeft <= 0;
        }
      };
      tick();
      timer = setInterval(() => (status.isConnected ? tick() : clearInterval(timer)), 1000);
    } catch (e) {
      send.disabled = false;
      showErrors(null, alert, e, []);
    }
  });
  return h('div', {}, h('label', {for: 'sms-phone'}, t('twoFactor.sms.phone')), select,
    h('div', {class: 'actions'}, send), status);
}
