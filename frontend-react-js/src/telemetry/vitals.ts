import type { Tracer } from '@opentelemetry/api';
import { onCLS, onINP, onLCP, type Metric } from 'web-vitals';
import { telemetry } from './hooks.ts';

/**
 * Each Core Web Vital, when the browser settles it, as a span with its value and rating. They
 * measure the document the visit loaded (`firstPath`), though the browser reports them later,
 * on an input or when the tab is hidden, often on another route by then: the span says the
 * page they were measured on, not the page open when they were reported.
 */
export function recordWebVitals(tracer: Tracer, firstPath: string): void {
  const record = (metric: Metric) => {
    const span = tracer.startSpan(`web-vital ${metric.name}`, {
      attributes: {
        'web_vital.name': metric.name,
        'web_vital.value': metric.value,
        'web_vital.rating': metric.rating,
        'web_vital.id': metric.id,
        'web_vital.navigation_type': metric.navigationType,
      },
    });
    // After the span processors, which stamp the page open now.
    span.setAttributes({ 'page.path': firstPath, 'page.route': telemetry.routePattern(firstPath) });
    span.end();
  };
  onLCP(record);
  onCLS(record);
  onINP(record);
}
