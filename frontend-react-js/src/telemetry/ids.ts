const hex = (bytes: number): string => Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, '0')).join('');

/**
 * A trace id X-Ray accepts: its first 8 hex digits are the epoch second the trace began
 * (X-Ray's "1-{8 hex time}-{24 hex}" format, as @opentelemetry/id-generator-aws-xray makes them),
 * so the collector's awsxray exporter can send it on unchanged.
 */
export const traceId = (now = Date.now()): string => Math.floor(now / 1000).toString(16).padStart(8, '0') + hex(12);

export const spanId = (): string => hex(8);
