// The peer: the front end traced as Honeycomb's web distribution documents its quick start
// (the package's README, "Initialize tracing at the start of your application"), sending to the
// collector as its README's "Send to an OpenTelemetry Collector" says: the page's own origin,
// as ours does. bench/frontend-bundle builds the app with this in place of src/telemetry/tracing.ts.
import { HoneycombWebSDK, WebVitalsInstrumentation } from '@honeycombio/opentelemetry-web';
import { getWebAutoInstrumentations } from '@opentelemetry/auto-instrumentations-web';

export function startTracing(): void {
  const sdk = new HoneycombWebSDK({
    endpoint: window.location.origin,
    serviceName: 'frontend-react-js',
    skipOptionsValidation: true, // no apiKey: the collector holds it
    instrumentations: [getWebAutoInstrumentations(), new WebVitalsInstrumentation()],
  });
  sdk.start();
}
