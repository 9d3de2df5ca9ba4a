/** A round avatar with the person's initials, its colour fixed by the handle (there are no photos yet). */
export function Avatar({ handle, name, size = 48 }: { handle: string; name?: string; size?: number }) {
  const words = (name ?? handle).split(/[\s._-]+/).filter(Boolean);
  const initials = (words.length > 1 ? words[0]![0]! + words[1]![0]! : (words[0] ?? '?').slice(0, 2)).toUpperCase();
  let hash = 0;
  for (const c of handle) hash = (hash * 31 + c.charCodeAt(0)) >>> 0;
  // Hues in the purple-to-blue-to-pink range, dark enough for white initials (contrast >= 4.5).
  const hue = 200 + (hash % 140);
  return (
    <span className="avatar" aria-hidden="true" style={{ width: size, height: size, fontSize: size * 0.38, background: `hsl(${hue} 70% 38%)` }}>
      {initials}
    </span>
  );
}
