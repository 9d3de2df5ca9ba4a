// Reads a V8 .cpuprofile (node --cpu-prof) into the frames that took the most self time.

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples: number[];
  timeDeltas: number[];
}

/** Where a frame's code lives: an npm package, a node: module, the app, or V8 itself. */
function owner(url: string, fn: string): string {
  const inModules = url.split('node_modules/').at(-1)!;
  if (inModules !== url) return inModules.split('/').slice(0, inModules.startsWith('@') ? 2 : 1).join('/');
  if (url.startsWith('node:')) return url;
  return url ? 'app' : fn; // (garbage collector), (idle), (program), native writev ...
}

/** Self time by package and by function over the profile's last `lastMs`, as text. */
export function topFrames(profile: CpuProfile, { lastMs, top }: { lastMs: number; top: number }): string {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const total = profile.timeDeltas.reduce((a, b) => a + b, 0);
  const byOwner = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let counted = 0;
  let elapsed = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    elapsed += dt;
    if (elapsed < total - lastMs * 1000) return; // start-up and warm-up
    const frame = nodes.get(id)!;
    const where = frame.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*?\/(backend-flask-ts|bench)\//, '$1/');
    const fn = `${frame.functionName || '(anonymous)'} ${where}${where ? `:${frame.lineNumber + 1}` : ''}`;
    byOwner.set(owner(frame.url, frame.functionName), (byOwner.get(owner(frame.url, frame.functionName)) ?? 0) + dt);
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + dt);
    counted += dt;
  });
  const list = (m: Map<string, number>, n: number) =>
    [...m].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, v]) => `  ${((100 * v) / counted).toFixed(1).padStart(5)} %  ${k}`).join('\n');
  return `by package:\n${list(byOwner, 10)}\nby function:\n${list(byFunction, top)}`;
}
