// The tracing setup of OpenTelemetry's Node.js getting-started guide and @opentelemetry/sdk-node's
// README quick start: NodeSDK, every auto-instrumentation, the OTLP/proto exporter, loaded with
// `node --require` before the app. What a student writes without this template.
const { NodeSDK } = require('@opentelemetry/sdk-node');
const { getNodeAutoInstrumentations } = require('@opentelemetry/auto-instrumentations-node');
const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-proto');

const sdk = new NodeSDK({
  traceExporter: new OTLPTraceExporter(),
  instrumentations: [getNodeAutoInstrumentations()],
});
sdk.start();
process.once('SIGTERM', () => sdk.shutdown().finally(() => process.exit(0)));
