import type { Tracer } from '@opentelemetry/api';
import { onCLS, onINP, onLCP, type Metric } from 'web-vitals';

/** Each Core Web Vital, when the browser settles it, as a span with its value and rating. */
export function recordWebVitals(tracer: Tracer): void {
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
    span.end();
  };
  onLCP(record);
  onCLS(record);
  onINP(record);
}
