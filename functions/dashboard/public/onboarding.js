// An empty lake is not a page of zeros: when nothing reached the lake in the range (and no filter
// hides it), say how to send events, with the settings block of this endpoint, or how to try the
// page on made-up data with `npm run demo`.

export function isEmpty(totals) {
  const row = totals?.rows[0];
  if (!row) return true;
  return !['messages', 'sessions', 'api_requests', 'cost_usd'].some((c) => Number(row[c] ?? 0) > 0);
}

/** Shows or hides the onboarding panel; `totals` is the unfiltered team_totals answer, or null. */
export function showOnboarding(meta, totals) {
  const panel = document.getElementById('onboarding');
  panel.hidden = !totals || !isEmpty(totals);
  if (panel.hidden) return;
  const settings = document.getElementById('onboarding-settings');
  // The block comes from the endpoint itself (serve), with the token left out.
  settings.hidden = !meta.settingsBlock;
  if (meta.settingsBlock) document.getElementById('settings-block').textContent = meta.settingsBlock;
  document.getElementById('onboarding-serve').hidden = Boolean(meta.settingsBlock);
}
