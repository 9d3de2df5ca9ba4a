import { onCLS, onINP, onLCP, type CLSMetricWithAttribution, type INPMetricWithAttribution, type LCPMetricWithAttribution } from 'web-vitals/attribution';
import { pathAt } from './navigation.ts';
import { recordVital, type Attributes } from './spans.ts';

type Metric = LCPMetricWithAttribution | CLSMetricWithAttribution | INPMetricWithAttribution;

/**
 * Each Core Web Vital, when the browser settles it, as a span with its value, its rating, and
 * the element it is about (web_vital.target, a CSS selector from web-vitals' attribution). The
 * browser reports them late (on an input, when the tab is hidden), often on another page by
 * then: each span names the page it measured. LCP is the loaded document's (`firstPath`); INP
 * the page where the slowest interaction happened, CLS where the largest shift did (the route
 * open at their time). web-vitals' observers are buffered: loaded after the first page, they
 * still see its LCP.
 */
export function recordWebVitals(firstPath: string, opts: { lcp?: boolean } = {}): void {
  const record = (metric: Metric, path: string, target: string | undefined, extra: Attributes = {}) =>
    recordVital(metric.name, path, {
      'web_vital.value': metric.value,
      'web_vital.rating': metric.rating,
      'web_vital.id': metric.id,
      'web_vital.navigation_type': metric.navigationType,
      ...(target ? { 'web_vital.target': target } : {}),
      ...extra,
    });
  // Not when the page sent it already, hidden before the SDK came (tracing.ts): one LCP a document.
  if (opts.lcp !== false) onLCP((m) => record(m, firstPath, m.attribution.target));
  onCLS((m) => record(m, m.attribution.largestShiftTime === undefined ? firstPath : pathAt(m.attribution.largestShiftTime), m.attribution.largestShiftTarget));
  onINP((m) =>
    record(m, m.attribution.interactionTime === undefined ? firstPath : pathAt(m.attribution.interactionTime), m.attribution.interactionTarget, m.attribution.interactionType ? { 'web_vital.interaction_type': m.attribution.interactionType } : {}),
  );
}
