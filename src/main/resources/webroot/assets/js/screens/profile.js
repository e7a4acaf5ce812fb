// Profile (guide ch. 9.1), general part: who is logged in and their last successful login.
import {api} from '../api.js';
import {h} from '../dom.js';
import {currentLanguage, t} from '../i18n.js';

function when(ms) {
  if (!ms) {
    return t('profile.never');
  }
  return new Intl.DateTimeFormat(currentLanguage(), {dateStyle: 'medium', timeStyle: 'short'}).format(new Date(ms));
}

export async function profileScreen() {
  const p = await api('GET', 'profile');
  const last = p.lastLogin || {};
  const rows = [
    [t('field.login'), p.login],
    [t('field.displayName'), p.displayName || ''],
    [t('profile.role'), t('profile.role.' + p.role)],
    [t('profile.timeZone'), p.timeZone || ''],
    [t('profile.twoFactor'), p.twoFactor ? t('profile.on') : t('profile.off')],
    [t('profile.lastLogin'), last.time ? t('profile.lastLoginValue', {time: when(last.time), ip: last.ip || '?',
      agent: last.userAgent || '?'}) : t('profile.never')]
  ];
  return h('div', {}, h('h1', {}, t('entry.profile')), h('h2', {}, t('profile.general')),
    h('table', {'data-table': 'profile'}, h('tbody', {}, rows.map(([k, v]) =>
      h('tr', {}, h('th', {scope: 'row'}, k), h('td', {}, v))))));
}
