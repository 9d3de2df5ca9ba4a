// Straight to X-Ray with PutTraceSegments: proves the credentials, the region and the group's filter.
import { PutTraceSegmentsCommand } from '@aws-sdk/client-xray';
import { awsFault } from '../../lib/aws/clients.ts';
import { canaryTrace } from '../../lib/otlp/canary.ts';
import { segmentDocuments } from '../../lib/aws/xray-segments.ts';
import { defineHop, ok, stamped, toSpanLike, type Hop } from './hop.ts';

/** Attributes the collector indexes as X-Ray annotations; this hop indexes the same. */
export const INDEXED = ['app.smoke_id', 'app.user_handle'];

export const xrayHop: Hop = defineHop({
  name: 'xray',
  configured: (settings) => settings.awsCredentials,
  destinations: () => ({ honeycomb: false, xray: true }),
  send: (ctx) =>
    stamped(ctx, false, async () => {
      const canary = canaryTrace(ctx.settings.serviceName.value, 'xray');
      const x = ctx.preflight.xray;
      if (!x?.client) return { ...canary, error: x?.error ?? 'no AWS credentials: run npm run setup' };
      try {
        const documents = segmentDocuments(canary.spans.map(toSpanLike), ctx.settings.serviceName.value, INDEXED);
        const out = await x.client.send(new PutTraceSegmentsCommand({ TraceSegmentDocuments: documents }), { abortSignal: AbortSignal.any([AbortSignal.timeout(10_000), ctx.signal]) });
        const unprocessed = out.UnprocessedTraceSegments ?? [];
        return { ...canary, error: unprocessed.length ? `X-Ray rejected a segment: ${unprocessed[0]!.ErrorCode} ${unprocessed[0]!.Message ?? ''}` : undefined };
      } catch (err) {
        const f = awsFault(err, 'PutTraceSegments');
        return { ...canary, error: `${f.cause}: ${f.fix}` };
      }
    }),
  likelyCause: (_r, all) =>
    ok(all, 'honeycomb')
      ? 'X-Ray only: Honeycomb works, so check the AWS credentials, AWS_REGION and the group filter (npm run doctor -- --only aws)'
      : 'AWS: credentials, region or the X-Ray group (npm run doctor -- --only aws)',
});
