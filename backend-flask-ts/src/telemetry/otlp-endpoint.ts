/**
 * Where the OTLP trace exporter sends, resolved the way the exporters resolve it
 * (signal-specific variable first, then the base endpoint plus /v1/traces).
 * Only for messages: the exporters read the same variables themselves.
 */
export function tracesEndpoint(env: NodeJS.ProcessEnv = process.env): string {
  const specific = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim();
  if (specific) return specific;
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim() || 'http://localhost:4318';
  return `${base.replace(/\/+$/, '')}/v1/traces`;
}

export type OtlpProtocol = 'http/protobuf' | 'http/json';

export function tracesProtocol(env: NodeJS.ProcessEnv = process.env): OtlpProtocol {
  const value = (env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? env.OTEL_EXPORTER_OTLP_PROTOCOL)?.trim() || 'http/protobuf';
  if (value === 'http/protobuf' || value === 'http/json') return value;
  throw new Error(
    `OTEL_EXPORTER_OTLP_PROTOCOL="${value}" is not supported by backend-flask-ts: use http/protobuf (the default) or http/json`,
  );
}
