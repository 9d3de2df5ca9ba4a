// A scripted run's tags, from the address it opened the app at: npm run smoke opens it with
// ?smoke_id=<id>, npm run synthetic with ?synthetic=<session>. Kept for the tab
// (sessionStorage), so a reload keeps them; on every span (the resource) as app.smoke_id or
// app.synthetic_session, with app.traffic saying whose the traffic is (user, smoke or
// synthetic, for the board's "synthetic against real users"); and sent to the backend as W3C
// baggage, which it copies onto its own spans, so the smoke finds both halves by one id.
const PARAMS = { smoke_id: 'app.smoke_id', synthetic: 'app.synthetic_session' } as const;
// An id the scripts make (smoke-browser-1a2b3c): anything else in the address is ignored.
const SAFE = /^[A-Za-z0-9._:-]{1,80}$/;

let tags: Record<string, string> | undefined;

export function runTags(): Record<string, string> {
  if (tags) return tags;
  const found: Record<string, string> = {};
  const query = new URLSearchParams(window.location.search);
  for (const [param, attribute] of Object.entries(PARAMS)) {
    const key = `cruddur.${param}`;
    let value = query.get(param);
    try {
      if (value !== null && SAFE.test(value)) sessionStorage.setItem(key, value);
      else value = sessionStorage.getItem(key);
    } catch {
      // Storage off (a private window's policy): the address's value still counts for this page.
    }
    if (value !== null && SAFE.test(value)) found[attribute] = value;
  }
  found['app.traffic'] = found['app.smoke_id'] ? 'smoke' : found['app.synthetic_session'] ? 'synthetic' : 'user';
  tags = found;
  return tags;
}

/** The tags the backend should carry too, as a W3C baggage header; none for a user's traffic. */
export function runBaggage(): string | undefined {
  const entries = Object.values(PARAMS)
    .filter((attribute) => runTags()[attribute])
    .map((attribute) => `${attribute}=${encodeURIComponent(runTags()[attribute]!)}`);
  return entries.length ? entries.join(',') : undefined;
}
