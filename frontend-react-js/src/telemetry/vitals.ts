import { onCLS, onINP, onLCP, type Metric } from 'web-vitals';
import { telemetry } from './hooks.ts';
import { startSpan } from './spans.ts';

/**
 * Each Core Web Vital, when the browser settles it, as a span with its value and rating. They
 * measure the document the visit loaded (`firstPath`), though the browser reports them later,
 * on an input or when the tab is hidden, often on another route by then: the span says the
 * page they were measured on, not the page open when they were reported. web-vitals' observers
 * are buffered: loaded after the first page, they still see its LCP.
 */
export function recordWebVitals(firstPath: string): void {
  const record = (metric: Metric) => {
    startSpan(`web-vital ${metric.name}`, {
      attributes: {
        'web_vital.name': metric.name,
        'web_vital.value': metric.value,
        'web_vital.rating': metric.rating,
        'web_vital.id': metric.id,
        'web_vital.navigation_type': metric.navigationType,
        'page.path': firstPath,
        'page.route': telemetry.routePattern(firstPath),
      },
    }).end();
  };
  onLCP(record);
  onCLS(record);
  onINP(record);
}
