// A set's destinations (guide ch. 9.5 "Destination", ch. 10 steps 10-12): backup mode, then the
// list of storage destinations (local folder, SFTP, FTP, FTPS, S3, Azure) with their fields. The
// password or keys typed here go to the set's credentials (PUT .../credentials) and are never shown
// back; "Test" checks a saved destination (POST .../test) or, before it is saved, the destination as
// typed with the password or keys typed (POST /destinations/test, used for that test only). An SFTP
// host key is trusted on request: stored for a saved destination; for one not saved yet kept with
// what was typed, so that saving stores it with the destination's credentials.
import {api} from '../api.js';
import {field, groupError, h, replace, selectField, textareaField} from '../dom.js';
import {t} from '../i18n.js';

const TYPES = ['local', 'sftp', 'ftp', 'ftps', 's3', 'azure'];
const PREFIX = {local: 'Local', sftp: 'SFTP', ftp: 'FTP', ftps: 'FTPS', s3: 'S3', azure: 'Azure'};
/** The fields of each type: [key, label key, credential key (secret, never shown back) or null]. */
const SPEC = {
  local: [['path', 'sets.dest.folder']],
  sftp: [['host', 'sets.dest.host'], ['port', 'sets.dest.port'], ['user', 'sets.dest.user'],
    ['path', 'sets.dest.remoteFolder'], ['password', 'sets.dest.password', 'password'],
    ['key', 'sets.dest.identityKey', 'identity-key']],
  ftp: [['host', 'sets.dest.host'], ['port', 'sets.dest.port'], ['user', 'sets.dest.user'],
    ['path', 'sets.dest.remoteFolder'], ['password', 'sets.dest.password', 'password']],
  s3: [['bucket', 'sets.dest.bucket'], ['path', 'sets.dest.prefix'], ['endpoint', 'sets.dest.endpoint'],
    ['region', 'sets.dest.region'], ['access', 'sets.dest.accessKey', 'access-key'],
    ['secret', 'sets.dest.secretKey', 'secret-key']],
  azure: [['account', 'sets.dest.account'], ['container', 'sets.dest.container'], ['path', 'sets.dest.prefix'],
    ['endpoint', 'sets.dest.endpoint'], ['accountKey', 'sets.dest.accountKey', 'account-key']]
};
SPEC.ftps = SPEC.ftp;

/** A destination URL in parts: {type, path, host, port, user, bucket, endpoint, region, account, container}. */
export function parseUrl(url) {
  let m = /^(sftp|ftps?):\/\/(?:([^@/]*)@)?(\[[^\]]+\]|[^/:?]+)(?::(\d+))?(\/[^?]*)?$/.exec(url);
  if (m) {
    return {type: m[1], user: decodeURIComponent(m[2] || ''), host: m[3], port: m[4] || '',
      path: decodeURIComponent(m[5] || '')};
  }
  m = /^(s3|azure):\/\/([^/?]+)(\/[^?]*)?(?:\?(.*))?$/.exec(url);
  if (m) {
    const q = new URLSearchParams(m[4] || '');
    const rest = decodeURIComponent((m[3] || '').replace(/^\//, ''));
    const out = {type: m[1], endpoint: q.get('endpoint') || '', region: q.get('region') || ''};
    if (m[1] === 's3') {
      return {...out, bucket: m[2], path: rest};
    }
    const [container, ...prefix] = rest.split('/');
    return {...out, account: m[2], container, path: prefix.join('/')};
  }
  return {type: 'local', path: url.startsWith('file://') ? decodeURIComponent(url.slice(7)) : url};
}

/** The URL of the parts (as parseUrl gives them). */
export function buildUrl(p) {
  const path = (s) => encodeURI(s || '').replace(/\?/g, '%3F').replace(/#/g, '%23');
  const query = (o) => {
    const q = new URLSearchParams(Object.entries(o).filter(([, v]) => v)).toString();
    return q ? '?' + q : '';
  };
  switch (p.type) {
    case 'local':
      return p.path;
    case 'sftp': case 'ftp': case 'ftps': {
      const dir = p.path ? (p.path.startsWith('/') ? '' : '/') + path(p.path) : '';
      return p.type + '://' + (p.user ? encodeURIComponent(p.user) + '@' : '') + p.host + (p.port ? ':' + p.port : '')
        + dir;
    }
    case 's3':
      return 's3://' + p.bucket + (p.path ? '/' + path(p.path.replace(/^\//, '')) : '')
        + query({endpoint: p.endpoint, region: p.region});
    default:
      return 'azure://' + p.account + '/' + p.container + (p.path ? '/' + path(p.path.replace(/^\//, '')) : '')
        + query({endpoint: p.endpoint});
  }
}

/**
 * The destinations editor of a set ({} for a new one). setId: the saved set's id, or null. Returns {el, fields, value(), credentials(): [{name, values}], testAll()}.
 */
export function destinationsEditor(set, setId) {
  let items = (set.destinations || []).map((d) => ({name: d.name, url: d.url, stored: d.credentials === 'stored'}));
  const mode = selectField({field: 'backupMode', label: t('sets.dest.mode'), value: set.backupMode || 'sequential',
    options: [['sequential', t('sets.dest.mode.sequential')], ['concurrent', t('sets.dest.mode.concurrent')]],
    onchange: () => shownMax()});
  const max = field({field: 'maxConcurrentDestinations', label: t('sets.dest.max'), type: 'number',
    value: set.maxConcurrentDestinations ?? 2, inputmode: 'numeric'});
  const shownMax = () => (max.hidden = mode.input.value !== 'concurrent');
  shownMax();
  const list = h('div', {});
  const group = groupError('destinations');
  let rows = [];

  function current() {
    return rows.map((r) => r.state());
  }

  function draw() {
    rows = items.map((d, i) => destinationRow(d, i, setId, () => {
      items = current();
      items.splice(i, 1);
      draw();
    }));
    replace(list, rows.length ? rows.map((r) => r.el) : h('p', {}, t('sets.dest.none')));
  }

  const typeToAdd = selectField({label: t('sets.dest.type'), options: TYPES.map((x) => [x, t('sets.dest.type.' + x)])});
  const add = h('button', {type: 'button', class: 'secondary', onclick: () => {
    items = current();
    const type = typeToAdd.input.value;
    let n = 1;
    while (items.some((d) => d.name.toLowerCase() === (PREFIX[type] + '-' + n).toLowerCase())) {
      n++;
    }
    items.push({name: PREFIX[type] + '-' + n, type, url: '', stored: false});
    draw();
    list.lastChild.querySelector('input')?.focus();
  }}, t('sets.dest.add'));
  draw();
  return {
    el: h('div', {}, mode, max, h('h3', {}, t('sets.dest.existing')), list, group.el,
      h('div', {class: 'add-destination'}, typeToAdd, h('div', {class: 'actions'}, add))),
    get fields() {
      return [mode, max, group, ...rows.flatMap((r) => r.fields)];
    },
    value: () => ({backupMode: mode.input.value, maxConcurrentDestinations: Number(max.input.value) || 2,
      destinations: rows.map((r) => r.value())}),
    credentials: () => rows.map((r) => ({name: r.value().name, values: r.secrets()}))
      .filter((c) => Object.keys(c.values).length),
    testAll: () => Promise.all(rows.map((r) => r.test && r.test()))
  };
}

function destinationRow(d, i, setId, remove) {
  const p = 'destinations[' + i + ']';
  const parts = d.type && !d.url ? {type: d.type} : parseUrl(d.url);
  const type = parts.type;
  const name = field({field: p + '.name', label: t('sets.dest.name'), value: d.name});
  const inputs = {};
  const fields = [name];
  for (const [key, label, secret] of SPEC[type]) {
    const first = !fields[1];
    const spec = {field: first ? p + '.url' : null, label: t(label),
      value: secret ? (d.typed && d.typed[key]) || '' : parts[key] || ''};
    if (secret) {
      spec.hint = d.stored ? t('sets.dest.storedHint') : t('sets.dest.secretHint');
    }
    const f = key === 'key' ? textareaField(spec) : field({...spec, type: secret ? 'password' : key === 'port'
      ? 'number' : 'text', autocomplete: secret ? 'new-password' : 'off'});
    inputs[key] = f.input;
    fields.push(f);
  }
  const result = h('div', {class: 'test-result', 'aria-live': 'polite'});
  const saved = setId && d.url;
  // a host key trusted before saving: {url, fingerprint}, given while the URL stays the one it was trusted for
  let trusted = d.trusted || null;
  const trustedKey = () => (trusted && trusted.url === value().url ? trusted.fingerprint : null);
  const test = saved ? () => runTest(setId, d.name, result)
    : () => showTest(result, value().name, () => api('POST', 'destinations/test', {destination: value(),
      credentials: secrets()}), async (fingerprint) => {
      trusted = {url: value().url, fingerprint};
    });
  const el = h('fieldset', {class: 'item', 'data-destination': d.name},
    h('legend', {}, d.name + ' — ' + t('sets.dest.type.' + type)), fields,
    h('div', {class: 'actions'},
      h('button', {type: 'button', class: 'secondary', onclick: test,
        'aria-label': t('sets.dest.testNamed', {name: d.name})}, t('sets.dest.test')),
      h('button', {type: 'button', class: 'secondary', onclick: remove,
        'aria-label': t('sets.dest.removeNamed', {name: d.name})}, t('sets.dest.remove'))),
    result);
  const value = () => {
    const got = {type};
    for (const [key, , secret] of SPEC[type]) {
      if (!secret) {
        got[key] = inputs[key].value.trim();
      }
    }
    return {name: name.input.value.trim(), url: buildUrl(got)};
  };
  const secrets = () => {
    const out = {};
    for (const [key, , secret] of SPEC[type]) {
      if (secret && inputs[key].value) {
        out[secret] = inputs[key].value;
      }
    }
    if (type === 'sftp' && trustedKey()) {
      out['host-key-fingerprint'] = trustedKey();
    }
    return out;
  };
  const typed = () => Object.fromEntries(SPEC[type].filter(([, , secret]) => secret)
    .map(([key]) => [key, inputs[key].value]));
  return {el, fields, value, secrets, test,
    state: () => ({...value(), type, stored: d.stored, trusted, typed: typed()})};
}

/** Stores what was typed for each destination of a saved set (never shown again). */
export async function storeCredentials(setId, credentials) {
  for (const c of credentials) {
    await api('PUT', 'sets/' + setId + '/destinations/' + encodeURIComponent(c.name) + '/credentials?merge=true',
      c.values);
  }
}

/** Runs the guide's Test on a saved destination and shows the outcome in into. */
export function runTest(setId, name, into) {
  const path = 'sets/' + setId + '/destinations/' + encodeURIComponent(name);
  return showTest(into, name, () => api('POST', path + '/test', {}),
    (fingerprint) => api('PUT', path + '/credentials?merge=true', {'host-key-fingerprint': fingerprint}));
}

/**
 * Runs a Test (run() answers as POST .../test) and shows the outcome in into; for an SFTP host key
 * not trusted yet, its fingerprint and "Trust this host key", which calls trust(fingerprint) and tests again.
 */
async function showTest(into, name, run, trust) {
  replace(into, h('p', {class: 'hint'}, t('sets.dest.testing', {name})));
  let r;
  try {
    r = await run();
  } catch (e) {
    replace(into, h('p', {class: 'alert', role: 'alert'}, e.message));
    return false;
  }
  const steps = h('ul', {class: 'test-steps'}, (r.steps || []).map((s) => h('li', {},
    t('sets.dest.step.' + s.name) + ': ' + (s.ok ? t('sets.dest.step.ok', {ms: s.millis}) : t('sets.dest.step.failed')))));
  const where = r.testedAt ? h('p', {class: 'hint'}, t('sets.dest.testedAt', {at: r.testedAt})) : null;
  if (r.ok) {
    replace(into, h('p', {class: 'ok', role: 'status', 'data-test-ok': name}, t('sets.dest.testOk', {name})), steps,
      where);
    return true;
  }
  const trustBox = r.hostKey ? h('div', {class: 'note'},
    h('p', {}, t('sets.dest.hostKey', {host: r.hostKey.host, port: r.hostKey.port, type: r.hostKey.type})),
    h('p', {}, h('code', {'data-fingerprint': true}, r.hostKey.fingerprint)),
    h('p', {class: 'hint'}, t('sets.dest.hostKeyHint')),
    h('button', {type: 'button', onclick: async () => {
      try {
        await trust(r.hostKey.fingerprint);
        await showTest(into, name, run, trust);
      } catch (e) {
        replace(into, h('p', {class: 'alert', role: 'alert'}, e.message));
      }
    }}, t('sets.dest.trust'))) : null;
  replace(into, h('p', {class: 'alert', role: 'alert', 'data-test-failed': name}, t('sets.dest.testFailed', {name}),
    ' ', r.error || ''), steps, where, trustBox);
  return false;
}

