// Information (guide ch. 9.3): the agent's version and system, as the guide's table, in the
// reader's language (the API renders the rows).
import {api} from '../api.js';
import {h} from '../dom.js';
import {t} from '../i18n.js';

export async function informationScreen() {
  const info = await api('GET', 'info');
  return h('div', {}, h('h1', {}, t('entry.information')),
    h('table', {'data-table': 'information'}, h('caption', {class: 'hint'}, t('information.caption')),
      h('tbody', {}, (info.table || []).map((row) => h('tr', {}, h('th', {scope: 'row'}, row.label),
        h('td', {}, row.value))))),
    h('div', {class: 'actions'}, h('a', {href: '/information', 'data-link': true}, t('information.refresh'))));
}
