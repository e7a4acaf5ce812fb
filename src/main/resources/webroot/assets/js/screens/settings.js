// Settings (guide ch. 9.8): Proxy (/settings/proxy, the default) and Mobile Backup
// (/settings/mobile-backup). Neither exists agent-wide yet: each comes with its own issue, and the
// page says so and names what the agent offers today instead of showing fields that do nothing.
import {h} from '../dom.js';
import {t} from '../i18n.js';

const SECTIONS = [
  {key: 'proxy', path: '/settings/proxy', draw: proxy},
  {key: 'mobile', path: '/settings/mobile-backup', draw: mobile}
];

export async function screen({path}) {
  const section = SECTIONS.find((s) => s.path === path) || SECTIONS[0];
  return h('div', {}, h('h1', {}, t('settings.title')),
    h('nav', {'aria-label': t('settings.title')}, h('ul', {class: 'settings-nav'}, SECTIONS.map((s) =>
      h('li', {}, h('a', {href: s.path, 'data-link': true, 'aria-current': s === section ? 'page' : null},
        t('settings.' + s.key)))))),
    h('section', {'aria-labelledby': 'settings-section', 'data-section': section.key},
      h('h2', {id: 'settings-section'}, t('settings.' + section.key)), section.draw()));
}

function proxy() {
  return [h('p', {}, t('settings.proxy.what')),
    h('p', {class: 'note'}, t('settings.proxy.later')),
    h('h3', {}, t('settings.today')),
    h('ul', {}, h('li', {}, t('settings.proxy.url'), ' ', h('code', {}, '&proxy=http://host:port')),
      h('li', {}, t('settings.proxy.login'), ' ', h('code', {}, 'proxy-username'), ', ', h('code', {}, 'proxy-password')),
      h('li', {}, t('settings.proxy.test'), ' ', h('code', {}, 'b247 repo test --repo URL --credentials FILE')))];
}

function mobile() {
  return [h('p', {}, t('settings.mobile.what')),
    h('p', {class: 'note'}, t('settings.mobile.later')),
    h('h3', {}, t('settings.today')),
    h('p', {}, t('settings.mobile.today'))];
}
