// The console's words: assets/i18n/<language>.json (the shell, login, profile and the small screens)
// plus one file per screen module, assets/i18n/<module>.<language>.json, so each screen keeps its own
// labels. English complete; other languages fall back to English key by key. Changing the language
// re-renders the current screen, so every label changes at once.

export const LANGUAGES = ['en', 'fr'];
/** The label files of each language: '' is <language>.json, the others <module>.<language>.json. */
const BUNDLES = ['', 'live', 'sets', 'backup', 'report', 'restore', 'settings', 'utilities'];
let language = 'en';
let words = {};
let english = {};

async function fetchBundle(lang, bundle) {
  const name = (bundle ? bundle + '.' : '') + lang + '.json';
  const r = await fetch('/assets/i18n/' + name, {cache: 'no-cache'});
  if (!r.ok) {
    throw new Error('cannot load the console\'s labels ' + name + ' (' + r.status + ')');
  }
  return r.json();
}

async function fetchWords(lang) {
  const parts = await Promise.all(BUNDLES.map((b) => fetchBundle(lang, b)));
  return Object.assign({}, ...parts);
}

/** The best language of the browser that the console speaks. */
export function browserLanguage() {
  for (const l of navigator.languages || [navigator.language || 'en']) {
    const base = String(l).split('-')[0].toLowerCase();
    if (LANGUAGES.includes(base)) {
      return base;
    }
  }
  return 'en';
}

export async function setLanguage(lang) {
  const wanted = LANGUAGES.includes(lang) ? lang : 'en';
  if (!Object.keys(english).length) {
    english = await fetchWords('en');
  }
  words = wanted === 'en' ? english : await fetchWords(wanted);
  language = wanted;
  document.documentElement.lang = wanted;
}

export function currentLanguage() {
  return language;
}

let timeZone; // the profile's IANA zone; undefined: the browser's (the profile says "the agent's", usually the same)

/** Times are shown in this zone from now on (the profile's; null or unknown: the browser's). */
export function setTimeZone(zone) {
  try {
    timeZone = zone ? new Intl.DateTimeFormat('en', {timeZone: zone}).resolvedOptions().timeZone : undefined;
  } catch (e) { // a zone this browser does not know
    timeZone = undefined;
  }
}

/**
 * A time (milliseconds since the epoch) in the console's language and the profile's time zone; the
 * one formatter of the console's screens. options: Intl.DateTimeFormat's (dateStyle, timeStyle, ...).
 */
export function formatDateTime(ms, options) {
  return new Intl.DateTimeFormat(language, {...options, timeZone}).format(new Date(ms));
}

/** The label for key, with {name} placeholders filled from vars. */
export function t(key, vars) {
  const text = words[key] ?? english[key];
  if (text === undefined) {
    console.warn('no console label ' + key);
    return key;
  }
  return text.replace(/\{(\w+)\}/g, (m, name) => (vars && name in vars ? String(vars[name]) : m));
}
