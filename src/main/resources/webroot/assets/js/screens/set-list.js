// A list of items edited in place (the guide's "Existing ..." lists with Add and Remove): the
// retention policies, commands and bandwidth limits of a set.
import {groupError, h, replace} from '../dom.js';

/**
 * spec: {field (the API's name of the list, e.g. "bandwidth.limits"), items, row(item, path, i) →
 * {el, fields, value()}, newItem(count), addLabel, removeLabel, empty}. Returns {el, fields, value()}.
 */
export function listEditor(spec) {
  let items = spec.items.map((x) => ({...x}));
  let rows = [];
  const list = h('div', {});
  const group = groupError(spec.field);

  function current() {
    return rows.map((r) => r.value());
  }

  function draw() {
    rows = items.map((item, i) => {
      const r = spec.row(item, spec.field + '[' + i + ']', i);
      r.el.appendChild(h('button', {type: 'button', class: 'secondary', onclick: () => {
        items = current();
        items.splice(i, 1);
        draw();
      }}, spec.removeLabel));
      return r;
    });
    replace(list, rows.length ? rows.map((r) => r.el) : h('p', {}, spec.empty));
  }

  draw();
  const add = h('button', {type: 'button', class: 'secondary', onclick: () => {
    items = current();
    items.push(spec.newItem(items.length + 1));
    draw();
    list.lastChild.querySelector('input, select, textarea')?.focus();
  }}, spec.addLabel);
  return {
    el: h('div', {class: 'list-editor'}, list, group.el, h('div', {class: 'actions'}, add)),
    get fields() {
      return [group, ...rows.flatMap((r) => r.fields)];
    },
    value: current
  };
}
