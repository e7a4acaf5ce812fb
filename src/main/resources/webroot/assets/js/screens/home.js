// The main screen: the guide's nine entries (ch. 9), each a link to its own URL.
import {h} from '../dom.js';
import {t} from '../i18n.js';

/**
 * The nine entries in the guide's order. module: the file under screens/ that draws the entry's
 * screens (loaded when first visited; it serves its path and every path below it, e.g. /sets/12/schedule);
 * cli: the command that does the same, shown while a module's screen is not built.
 */
export const ENTRIES = [
  {key: 'profile', path: '/profile', module: 'profile'},
  {key: 'language', path: '/language'},
  {key: 'information', path: '/information'},
  {key: 'backup', path: '/backup', module: 'backup', cli: 'b247 backup SET --wait'},
  {key: 'sets', path: '/sets', module: 'sets', cli: 'b247 set list'},
  {key: 'report', path: '/report', module: 'report', cli: 'b247 report list'},
  {key: 'restore', path: '/restore', module: 'restore', cli: 'b247 restore SET --to FOLDER'},
  {key: 'settings', path: '/settings', module: 'settings', cli: 'b247 info'},
  {key: 'utilities', path: '/utilities', module: 'utilities', cli: 'b247 free-space SET --wait'}
];

export function homeScreen() {
  return h('div', {}, h('h1', {}, t('home.title')),
    h('nav', {'aria-label': t('home.title')}, h('ul', {class: 'entries'}, ENTRIES.map((e) =>
      h('li', {}, h('a', {href: e.path, 'data-link': true, 'data-entry': e.key},
        h('span', {class: 'title'}, t('entry.' + e.key)), h('span', {class: 'what'}, t('entry.' + e.key + '.what'))))))));
}

/** A screen the console does not have yet: says so and names the command that does the same. */
export function laterScreen(entry) {
  return () => h('div', {}, h('h1', {}, t('entry.' + entry.key)),
    h('p', {class: 'note'}, t('later.text')),
    h('p', {}, t('later.cli'), ' ', h('code', {}, entry.cli)),
    h('p', {}, h('a', {href: '/', 'data-link': true}, t('notFound.home'))));
}
