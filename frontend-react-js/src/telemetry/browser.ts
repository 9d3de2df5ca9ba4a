/** The browser's name and version, from User-Agent Client Hints where the browser has them. */
export function browserInfo(nav: Navigator = navigator): { name: string; version: string } {
  const brands = (nav as Navigator & { userAgentData?: { brands: { brand: string; version: string }[] } }).userAgentData?.brands ?? [];
  const brand = brands.find((b) => !/Not.?A.?Brand|Chromium/i.test(b.brand)) ?? brands.find((b) => /Chromium/i.test(b.brand));
  if (brand) return { name: brand.brand, version: brand.version };
  const ua = nav.userAgent;
  for (const [name, re] of [
    ['Edge', /Edg\/([\d.]+)/],
    ['Firefox', /Firefox\/([\d.]+)/],
    ['Chrome', /Chrome\/([\d.]+)/],
    ['Safari', /Version\/([\d.]+).*Safari/],
  ] as const) {
    const m = re.exec(ua);
    if (m) return { name, version: m[1]! };
  }
  return { name: 'unknown', version: 'unknown' };
}

/** One id per browser tab, kept across reloads, to group a person's traces in Honeycomb. */
export function sessionId(storage: Storage = sessionStorage): string {
  const key = 'cruddur.session.id';
  let id = storage.getItem(key);
  if (!id) {
    id = Array.from(crypto.getRandomValues(new Uint8Array(8)), (b) => b.toString(16).padStart(2, '0')).join('');
    storage.setItem(key, id);
  }
  return id;
}
