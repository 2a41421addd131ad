// The person, model and skill boxes: their choices are everyone (every model, every skill) in
// the range without filters, so another person can be picked from a person's page.

import { FILTERS } from './view-state.js';

const SOURCES = {
  person: { query: 'per_user_activity', column: 'user_name', all: 'Everyone' },
  model: { query: 'top_models', column: 'model', all: 'Every model' },
  skill: { query: 'top_skills', column: 'skill_name', all: 'Every skill' },
};

function setChoices(select, values, current, all) {
  const choices = [...new Set(values)].sort((a, b) => a.localeCompare(b));
  if (current && !choices.includes(current)) choices.unshift(current);
  select.replaceChildren(
    Object.assign(document.createElement('option'), { value: '', textContent: all }),
    ...choices.map((v) => Object.assign(document.createElement('option'), { value: v, textContent: v })),
  );
  select.value = current ?? '';
}

/** Fills each box from the unfiltered answers ({ name: answer }) and selects the current filters. */
export function fillFilterOptions(results, filters) {
  for (const name of FILTERS) {
    const select = document.getElementById(`filter-${name}`);
    const source = SOURCES[name];
    const answer = results[source.query];
    if (!select) continue;
    select.closest('label').hidden = !answer || Boolean(answer.error);
    if (!answer || answer.error) continue;
    const values = answer.rows.map((r) => r[source.column]).filter((v) => v !== null && v !== undefined);
    setChoices(select, values.map(String), filters[name], source.all);
  }
}

/** Shows the current filters in the boxes before their choices have loaded. */
export function showFilters(filters) {
  for (const name of FILTERS) {
    const select = document.getElementById(`filter-${name}`);
    if (!select) continue;
    const current = filters[name] ?? '';
    if (![...select.options].some((o) => o.value === current)) {
      select.append(
        Object.assign(document.createElement('option'), { value: current, textContent: current }),
      );
    }
    select.value = current;
  }
}
