// Building the page: elements are made with h(), text always goes in as text nodes (never parsed
// as HTML), so a file or set name from the API can never become markup or script.

/**
 * h('button', {class: 'secondary', onclick: fn, 'aria-label': 'x'}, 'Text', child, [more])
 * Props: "class", "text", on<event> handlers, booleans (true sets an empty attribute, false/null omits
 * it); everything else becomes an attribute.
 */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props || {})) {
    if (v === null || v === undefined || v === false) {
      continue;
    }
    if (k.startsWith('on') && typeof v === 'function') {
      el.addEventListener(k.substring(2), v);
    } else if (k === 'value' && 'value' in el) {
      el.value = v;
    } else if (k === 'checked' || k === 'disabled') {
      el[k] = Boolean(v);
    } else {
      el.setAttribute(k, v === true ? '' : String(v));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) {
      continue;
    }
    if (Array.isArray(c)) {
      append(el, c);
    } else if (c instanceof Node) {
      el.appendChild(c);
    } else {
      el.appendChild(document.createTextNode(String(c)));
    }
  }
}

/** Replaces the children of el. */
export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

let fieldCount = 0;

/**
 * A labelled input with room for its error: {field, label, type, value, autocomplete, hint, required}.
 * The returned element has .input and .setError(message).
 */
export function field(spec) {
  const id = 'f' + (++fieldCount);
  const errorId = id + '-error';
  const hintId = spec.hint ? id + '-hint' : null;
  const input = h('input', {
    id, name: spec.field, type: spec.type || 'text', value: spec.value ?? '', autocomplete: spec.autocomplete,
    inputmode: spec.inputmode, required: spec.required, 'aria-describedby': [hintId, errorId].filter(Boolean).join(' '),
    spellcheck: spec.type === 'password' ? 'false' : null, autocapitalize: 'off'
  });
  const error = h('p', {id: errorId, class: 'field-error', 'aria-live': 'polite'});
  const wrap = h('div', {class: 'field', 'data-field': spec.field},
    h('label', {for: id}, spec.label), input, hintId ? h('p', {id: hintId, class: 'hint'}, spec.hint) : null, error);
  wrap.input = input;
  wrap.setError = (message) => {
    replace(error, message || '');
    if (message) {
      input.setAttribute('aria-invalid', 'true');
    } else {
      input.removeAttribute('aria-invalid');
    }
  };
  return wrap;
}

/**
 * Shows an API error on a form: each {field, message} of the answer beside its field (by name), the
 * rest (and the message) in the form's alert box. Returns nothing.
 */
export function showErrors(form, alertBox, err, fields) {
  for (const f of fields) {
    f.setError('');
  }
  const unplaced = [];
  for (const fe of err.fields || []) {
    const target = fields.find((f) => f.input.name === fe.field);
    if (target) {
      target.setError(fe.message);
    } else {
      unplaced.push(fe.field + ': ' + fe.message);
    }
  }
  const first = fields.find((f) => f.input.getAttribute('aria-invalid') === 'true');
  if (first) {
    first.input.focus();
  }
  replace(alertBox, err.fields && err.fields.length && !unplaced.length ? '' : err.message,
    unplaced.length ? h('ul', {}, unplaced.map((u) => h('li', {}, u))) : null);
  alertBox.hidden = !alertBox.textContent;
}

/** An alert box, hidden until it has something to say. */
export function alertBox() {
  const el = h('div', {class: 'alert', role: 'alert'});
  el.hidden = true;
  return el;
}

/** Puts a control with its label, hint and error place together; the element gets .input and .setError. */
function labelled(spec, control, labelAfter) {
  const id = 'f' + (++fieldCount);
  const errorId = id + '-error';
  const hintId = spec.hint ? id + '-hint' : null;
  control.id = id;
  if (spec.field) {
    control.setAttribute('name', spec.field);
  }
  control.setAttribute('aria-describedby', [hintId, errorId].filter(Boolean).join(' '));
  const label = h('label', {for: id, class: labelAfter ? 'check' : null}, spec.label);
  const error = h('p', {id: errorId, class: 'field-error', 'aria-live': 'polite'});
  const wrap = h('div', {class: 'field', 'data-field': spec.field},
    labelAfter ? h('div', {class: 'check'}, control, label) : [label, control],
    hintId ? h('p', {id: hintId, class: 'hint'}, spec.hint) : null, error);
  wrap.input = control;
  wrap.setError = (message) => {
    replace(error, message || '');
    if (message) {
      control.setAttribute('aria-invalid', 'true');
    } else {
      control.removeAttribute('aria-invalid');
    }
  };
  return wrap;
}

/** As field(), with a <select>: {field, label, options: [[value, text], ...], value, hint, onchange}. */
export function selectField(spec) {
  const select = h('select', {onchange: spec.onchange},
    spec.options.map(([v, text]) => h('option', {value: v}, text)));
  select.value = spec.value ?? spec.options[0]?.[0] ?? '';
  return labelled(spec, select, false);
}

/** As field(), a checkbox with its label after it: {field, label, checked, hint, onchange}. */
export function checkField(spec) {
  return labelled(spec, h('input', {type: 'checkbox', checked: spec.checked, onchange: spec.onchange}), true);
}

/** As field(), with a <textarea>: {field, label, value, rows, hint}. */
export function textareaField(spec) {
  const area = h('textarea', {rows: spec.rows || 3, spellcheck: 'false', autocapitalize: 'off'});
  area.value = spec.value ?? '';
  return labelled(spec, area, false);
}

/**
 * The error place of a group of controls (a list, a fieldset) that the API names as one field
 * (e.g. "source", "destinations"): put .el where the message belongs and pass the object to
 * showErrors with the fields.
 */
export function groupError(fieldName) {
  const el = h('p', {class: 'field-error', 'aria-live': 'polite', 'data-group-error': fieldName});
  return {el, input: {name: fieldName, getAttribute: () => null, focus: () => el.scrollIntoView({block: 'center'})},
    setError: (message) => replace(el, message || '')};
}
