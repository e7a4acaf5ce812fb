// Profile (guide ch. 9.1), one section per address: General (/profile), Contacts, Time Zone, Encryption
// Recovery, Authentication (password and second factors, in profile-auth.js) and Sessions.
import {api, ApiError} from '../api.js';
import {logout, render, session} from '../app.js';
import {alertBox, checkField, field, h, replace, selectField, showErrors} from '../dom.js';
import {formatDateTime, setTimeZone, t} from '../i18n.js';
import {authenticationSection} from './profile-auth.js';

const SECTIONS = [
  {path: '', key: 'profile.general', draw: general},
  {path: 'contacts', key: 'contacts.title', draw: contacts},
  {path: 'time-zone', key: 'timeZone.title', draw: timeZone},
  {path: 'encryption-recovery', key: 'recovery.title', draw: recovery},
  {path: 'authentication', key: 'profile.authentication', draw: () => authenticationSection()},
  {path: 'sessions', key: 'sessions.title', draw: sessions}
];

export async function screen({path}) {
  const sub = path.replace(/^\/profile\/?/, '');
  const section = SECTIONS.find((s) => s.path === sub);
  if (!section) {
    return h('div', {}, h('h1', {}, t('entry.profile')), h('p', {}, t('notFound.text', {path})),
      h('p', {}, h('a', {href: '/profile', 'data-link': true}, t('profile.general'))));
  }
  const p = await api('GET', 'profile');
  const nav = h('nav', {class: 'subnav', 'aria-label': t('profile.sections')}, h('ul', {}, SECTIONS.map((s) =>
    h('li', {}, h('a', {href: '/profile' + (s.path ? '/' + s.path : ''), 'data-link': true,
      'aria-current': s === section ? 'page' : null}, t(s.key))))));
  return h('div', {class: 'profile'}, h('h1', {}, t('entry.profile')), nav,
    h('section', {class: 'profile-section', 'aria-labelledby': 'section-h', 'data-section': section.path || 'general'},
      h('h2', {id: 'section-h'}, t(section.key)), await section.draw(p)));
}

/** A date and time in the console's language ({@code ms} null: never). */
export function when(ms) {
  if (!ms) {
    return t('profile.never');
  }
  return formatDateTime(ms, {dateStyle: 'medium', timeStyle: 'short'});
}

/** Label/value pairs as a description list (stacks on a phone, long values break anywhere). */
function pairs(name, rows) {
  return h('dl', {class: 'pairs', 'data-pairs': name}, rows.filter(Boolean).map(([k, v]) =>
    h('div', {}, h('dt', {}, k), h('dd', {}, v))));
}

/**
 * A form whose submit calls action(); refusals are shown beside its fields (the API's field names,
 * mapped by rename when given), success in its status line.
 */
export function form(fields, button, action, opts = {}) {
  const alert = alertBox();
  const done = h('p', {class: 'hint', role: 'status'});
  const el = h('form', {novalidate: true}, alert, fields, opts.extra || null,
    h('div', {class: 'actions'}, h('button', {type: 'submit'}, button), opts.cancel || null), done);
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
      const err = opts.rename ? {message: e.message, fields: e.fields.map((f) => ({...f, field: opts.rename(f.field)}))}
        : e;
      showErrors(el, alert, err, fields);
    } finally {
      buttons.forEach((b) => (b.disabled = false));
    }
  });
  return el;
}

// ------------------------------------------------------------------------------------------ general

function general(p) {
  const last = p.lastLogin || null;
  const name = field({field: 'displayName', label: t('field.displayName'), value: p.displayName || '',
    autocomplete: 'name'});
  return h('div', {},
    pairs('profile', [
      [t('field.login'), p.login],
      [t('profile.role'), t('profile.role.' + p.role)],
      [t('profile.timeZone'), p.timeZone || t('profile.timeZone.agent')],
      [t('profile.twoFactor'), p.twoFactor ? t('profile.on') : t('profile.off')],
      ...(p.authenticators || []).filter((a) => a.type === 'sms' && a.confirmed)
        .map((a) => [t('profile.phoneMfa'), a.phone + ' (' + a.name + ')'])
    ]),
    form([name], t('profile.save'), async () => {
      const saved = await api('PUT', 'profile', {displayName: name.input.value});
      session.user = {...session.user, displayName: saved.displayName};
      await render();
      return t('profile.saved');
    }),
    h('h3', {}, t('profile.lastLogin')),
    last ? pairs('last-login', [
      [t('profile.last.time'), when(last.time)],
      [t('profile.last.ip'), last.ip || '?'],
      [t('profile.last.agent'), last.userAgent || '?'],
      last.device ? [t('profile.last.device'), last.device] : null
    ]) : h('p', {}, t('profile.noLogin')));
}

// ----------------------------------------------------------------------------------------- contacts

const CONTACT_FIELDS = [['name', 'name'], ['email', 'email'], ['address', 'street-address'],
  ['company', 'organization'], ['website', 'url'], ['phone1', 'tel'], ['phone2', 'tel']];

function contacts(p) {
  let list = (p.contacts || []).map((c) => ({...c}));
  const area = h('div', {});
  const status = h('p', {class: 'hint', role: 'status'});

  async function save(next) {
    const saved = await api('PUT', 'profile', {contacts: next});
    list = saved.contacts || [];
    draw();
    replace(status, t('contacts.saved'));
  }

  function editor(index) {
    const c = index === null ? {} : list[index];
    const fields = CONTACT_FIELDS.map(([k, auto]) => field({field: k, label: t('contacts.' + k), value: c[k] || '',
      type: k === 'email' ? 'email' : k.startsWith('phone') ? 'tel' : 'text', autocomplete: auto,
      required: k === 'email'}));
    const cancel = h('button', {type: 'button', class: 'secondary', onclick: () => draw()}, t('profile.cancel'));
    const prefix = 'contacts[' + (index === null ? list.length : index) + '].';
    const f = form(fields, t('contacts.ok'), async () => {
      const one = {};
      fields.forEach((x) => (one[x.input.name] = x.input.value.trim()));
      Object.keys(one).forEach((k) => (one[k] === '' ? delete one[k] : null));
      const next = list.slice();
      if (index === null) {
        next.push(one);
      } else {
        next[index] = one;
      }
      await save(next);
      return '';
    }, {cancel, rename: (name) => (name.startsWith(prefix) ? name.substring(prefix.length) : name)});
    replace(area, h('fieldset', {class: 'contact-editor'},
      h('legend', {}, index === null ? t('contacts.new') : t('contacts.edit.named', {name: c.name || c.email})), f));
    fields[0].input.focus();
  }

  function card(c, i) {
    const item = h('li', {class: 'card', 'data-contact': c.email});
    const lines = CONTACT_FIELDS.slice(1).filter(([k]) => c[k]).map(([k]) =>
      h('span', {class: 'line'}, t('contacts.' + k) + ': ', c[k]));
    const buttons = h('div', {class: 'actions'},
      h('button', {type: 'button', class: 'secondary', 'aria-label': t('contacts.edit.named', {name: c.name}),
        onclick: () => editor(i)}, t('contacts.edit')),
      h('button', {type: 'button', class: 'secondary', 'aria-label': t('contacts.remove.named', {name: c.name}),
        onclick: () => replace(buttons, h('span', {}, t('contacts.remove.sure', {name: c.name})),
          h('button', {type: 'button', onclick: () => save(list.filter((x, j) => j !== i)).catch(shown)},
            t('contacts.remove.yes')),
          h('button', {type: 'button', class: 'secondary', onclick: () => draw()}, t('profile.cancel')))},
      t('contacts.remove')));
    return replace(item, h('strong', {class: 'line'}, c.name), lines, buttons);
  }

  const alert = alertBox();
  function shown(e) {
    showErrors(null, alert, e, []);
  }

  function draw() {
    replace(area, list.length ? h('ul', {class: 'cards', 'data-list': 'contacts'}, list.map(card))
      : h('p', {}, t('contacts.none')),
    h('div', {class: 'actions'}, h('button', {type: 'button', onclick: () => editor(null)}, t('contacts.add'))));
  }
  draw();
  return h('div', {}, h('p', {}, t('contacts.intro')), alert, area, status);
}

// ---------------------------------------------------------------------------------------- time zone

/** "Australia/Sydney (GMT+11)": the zone and its offset now. */
function zoneLabel(zone) {
  try {
    const part = new Intl.DateTimeFormat('en', {timeZone: zone, timeZoneName: 'shortOffset'}).formatToParts(new Date())
      .find((x) => x.type === 'timeZoneName');
    return part ? zone + ' (' + part.value + ')' : zone;
  } catch (e) {
    return zone;
  }
}

function timeZone(p) {
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  if (p.timeZone && !zones.includes(p.timeZone)) {
    zones.unshift(p.timeZone);
  }
  const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const zone = selectField({field: 'timeZone', label: t('profile.timeZone'), value: p.timeZone || '',
    options: [['', t('profile.timeZone.agent')], ...zones.map((z) => [z, zoneLabel(z)])],
    hint: t('timeZone.hint', {zone: browserZone || '?'})});
  return h('div', {}, h('p', {}, t('timeZone.intro')), form([zone], t('profile.save'), async () => {
    const saved = await api('PUT', 'profile', {timeZone: zone.input.value || null});
    setTimeZone(saved.timeZone);
    return t('timeZone.saved', {zone: saved.timeZone || t('profile.timeZone.agent')});
  }));
}

// ------------------------------------------------------------------------------ encryption recovery

function recovery(p) {
  const offline = h('div', {},
    h('h3', {}, t('recovery.how')),
    h('p', {}, t('recovery.how.text')),
    h('pre', {}, h('code', {}, 'b247 repo recover-key --repo URL --private-key recovery-private.pem --out SET.key')),
    h('p', {class: 'hint'}, t('recovery.how.offline')));
  if (!p.encryptionRecoveryAvailable) {
    return h('div', {'data-recovery': 'unavailable'}, h('p', {}, t('recovery.intro')),
      h('p', {class: 'note'}, t('recovery.unavailable')),
      h('p', {}, t('recovery.setup')),
      h('pre', {}, h('code', {}, 'b247 recovery keygen --out DIR\ncp DIR/recovery-public.pem HOME/config/\n'
        + '# agent.json: "encryptionRecovery": {"publicKeyFile": "config/recovery-public.pem"}\nb247 stop && b247 start')),
      h('p', {class: 'hint'}, t('recovery.setup.offline')), offline);
  }
  const on = checkField({field: 'encryptionRecovery', label: t('recovery.on'), checked: Boolean(p.encryptionRecovery)});
  return h('div', {'data-recovery': 'available'}, h('p', {}, t('recovery.intro')),
    form([on], t('profile.save'), async () => {
      const saved = await api('PUT', 'profile', {encryptionRecovery: on.input.checked});
      return saved.encryptionRecovery ? t('recovery.saved.on') : t('recovery.saved.off');
    }), offline);
}

// ----------------------------------------------------------------------------------------- sessions

async function sessions() {
  const area = h('div', {});
  const alert = alertBox();

  async function draw() {
    const r = await api('GET', 'profile/sessions');
    const items = (r.items || []).slice().sort((a, b) => (b.current - a.current) || (b.lastSeen - a.lastSeen));
    replace(area, items.length ? h('ul', {class: 'cards', 'data-list': 'sessions'}, items.map((s) => {
      const what = s.kind === 'remembered' ? t('sessions.remembered') : t('sessions.session');
      return h('li', {class: 'card', 'data-session': s.id, 'data-current': s.current ? 'true' : null},
        h('strong', {class: 'line'}, what, s.current ? ' — ' + t('sessions.current') : ''),
        h('span', {class: 'line'}, t('profile.last.agent') + ': ', s.userAgent || '?'),
        h('span', {class: 'line'}, t('profile.last.ip') + ': ', s.ip || '?'),
        h('span', {class: 'line'}, t('sessions.started', {time: when(s.createdAt)})),
        h('span', {class: 'line'}, t('sessions.lastSeen', {time: when(s.lastSeen)})),
        s.current ? null : h('div', {class: 'actions'}, h('button', {type: 'button', class: 'secondary',
          'aria-label': t('sessions.end.named', {what, ip: s.ip || '?', time: when(s.createdAt)}), onclick: async () => {
            try {
              await api('POST', 'profile/sessions/' + encodeURIComponent(s.id) + '/revoke', {});
              await draw();
            } catch (e) {
              showErrors(null, alert, e, []);
            }
          }}, t('sessions.end'))));
    })) : h('p', {}, t('sessions.none')));
  }
  await draw();
  return h('div', {}, h('p', {}, t('sessions.intro')), alert, area,
    h('div', {class: 'actions'}, h('button', {type: 'button', class: 'secondary', onclick: () => logout(true)},
      t('sessions.everywhere'))),
    h('p', {class: 'hint'}, t('sessions.everywhere.hint')));
}
