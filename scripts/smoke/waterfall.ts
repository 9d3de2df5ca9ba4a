import type { ReceivedSpan } from '../lib/otlp/decode.ts';
import type { Colors } from '../lib/terminal/term.ts';

const SHOWN = ['http.route', 'http.response.status_code', 'app.result_length', 'app.user_handle', 'app.smoke_id'];

/**
 * The trace as a terminal waterfall: one line per span, indented by depth, a bar placed on
 * the trace's timeline, the duration and a few attributes a student looks for.
 */
export function waterfall(spans: ReceivedSpan[], c: Colors, width = 32): string[] {
  if (spans.length === 0) return [];
  const start = Math.min(...spans.map((s) => s.startMs));
  const end = Math.max(...spans.map((s) => s.endMs));
  const scale = width / Math.max(end - start, 0.001);
  const ids = new Set(spans.map((s) => s.spanId));
  const children = new Map<string, ReceivedSpan[]>();
  for (const s of spans) {
    const parent = ids.has(s.parentSpanId) ? s.parentSpanId : '';
    children.set(parent, [...(children.get(parent) ?? []), s]);
  }
  const rows: { span: ReceivedSpan; depth: number }[] = [];
  const walk = (parent: string, depth: number) => {
    for (const span of (children.get(parent) ?? []).sort((a, b) => a.startMs - b.startMs)) {
      rows.push({ span, depth });
      walk(span.spanId, depth + 1);
    }
  };
  walk('', 0);
  // A span whose service is not its parent's says whose it is: the page's spans, then the backend's.
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  const label = (s: ReceivedSpan) => {
    const service = String(s.resource['service.name'] ?? '');
    return service && service !== byId.get(s.parentSpanId)?.resource['service.name'] ? `${service}: ${s.name}` : s.name;
  };
  const nameWidth = Math.min(56, Math.max(...rows.map((r) => r.depth * 2 + label(r.span).length)));
  return rows.map(({ span, depth }) => {
    const name = `${'  '.repeat(depth)}${label(span)}`.slice(0, nameWidth).padEnd(nameWidth);
    const offset = Math.min(width - 1, Math.floor((span.startMs - start) * scale));
    const length = Math.max(1, Math.min(width - offset, Math.round(span.durationMs * scale)));
    const bar = ' '.repeat(offset) + '█'.repeat(length) + ' '.repeat(width - offset - length);
    const painted = span.status.code === 2 ? c.red(bar) : c.cyan(bar);
    const attrs = SHOWN.filter((k) => span.attributes[k] !== undefined)
      .filter((k) => k !== 'app.smoke_id' || depth === 0)
      .map((k) => `${k}=${span.attributes[k]}`)
      .join(' ');
    return `${name} ${painted} ${span.durationMs.toFixed(2).padStart(8)} ms  ${c.dim(attrs)}`;
  });
}
