// Language (guide ch. 9.2): stored in the account's profile; every label changes at once.
import {api} from '../api.js';
import {render, session} from '../app.js';
import {alertBox, h, showErrors} from '../dom.js';
import {LANGUAGES, currentLanguage, setLanguage, t} from '../i18n.js';

export function languageScreen() {
  const alert = alertBox();
  const options = LANGUAGES.map((l) => h('label', {class: 'check'},
    h('input', {type: 'radio', name: 'language', value: l, checked: l === currentLanguage()}),
    t('language.' + l)));
  const form = h('form', {}, alert, h('fieldset', {}, h('legend', {}, t('language.legend')), options),
    h('div', {class: 'actions'}, h('button', {type: 'submit'}, t('language.save'))));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const chosen = form.querySelector('input[name=language]:checked').value;
    try {
      const profile = await api('PUT', 'profile', {language: chosen});
      session.user = {...session.user, language: profile.language ?? chosen};
      await setLanguage(chosen);
      await render();
    } catch (e) {
      showErrors(form, alert, e, []);
    }
  });
  return h('div', {}, h('h1', {}, t('entry.language')), form);
}
