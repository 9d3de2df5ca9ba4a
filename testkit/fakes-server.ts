// The cloud fakes as one process for the stack lane's `fakes` container: Honeycomb, X-Ray,
// STS and CloudWatch Logs on fixed ports of every interface of that container, so the collector reaches them
// by service name and the lane's scripts through the published ports. A fourth port answers
// what the fakes hold (GET /spans, GET /xray, GET /logs), for the lane's assertions only.
import { startClouds } from './clouds.ts';
import { listen } from './http.ts';
import { KEYS } from './honeycomb.ts';

export const FAKE_PORTS = { honeycomb: 8081, xray: 8082, sts: 8083, logs: 8084, inspect: 8090 };

// Honeycomb's real minute: the smoke runs in the lane as users run it, with no overrides.
const clouds = await startClouds({ host: '0.0.0.0', ports: FAKE_PORTS, minuteMs: 60_000 });
await listen((req, res) => {
  const json = (body: unknown) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  if (req.url === '/spans') {
    const spans = [...clouds.honeycomb.datasets(KEYS.enterprise).values()].flatMap((d) => d.events.map((e) => ({ ...e, dataset: d.name })));
    return json(spans);
  }
  if (req.url === '/logs') return json(Object.fromEntries([...clouds.logs.groups].map(([name, g]) => [name, { retentionInDays: g.retentionInDays, events: [...g.streams.values()].flat() }])));
  if (req.url === '/xray') return json([...clouds.xray.traces.values()].flat().map((s) => JSON.parse(s.Document)));
  res.writeHead(404).end();
}, FAKE_PORTS.inspect, '0.0.0.0');
console.log(`fakes: honeycomb :${FAKE_PORTS.honeycomb}, xray :${FAKE_PORTS.xray}, sts :${FAKE_PORTS.sts}, logs :${FAKE_PORTS.logs}, inspect :${FAKE_PORTS.inspect}`);
