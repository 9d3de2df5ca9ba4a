// The faults injected into every command that talks to a service (doctor, smoke, setup), each
// with the one-line cause and fix all three must print. TESTING.md lists this table.
import { closedPort, listen } from '../../testkit/http.ts';

export interface Injected {
  url: string;
  close(): Promise<void>;
}

export interface Fault {
  name: string;
  /** What answers in the service's place; the URL goes in HONEYCOMB_API_ENDPOINT or AWS_ENDPOINT_URL_STS. */
  start(): Promise<Injected>;
  honeycomb?: { cause: RegExp; fix: RegExp };
  sts?: { cause: RegExp; fix: RegExp };
}

const serving = async (status: number, type: string, body: string, headers: Record<string, string> = {}): Promise<Injected> => {
  const s = await listen((_req, res) => res.writeHead(status, { 'content-type': type, ...headers }).end(body));
  return { url: s.url, close: s.close };
};

export const FAULTS: Fault[] = [
  {
    name: 'nothing listening',
    start: async () => ({ url: `http://127.0.0.1:${await closedPort()}`, close: async () => {} }),
    honeycomb: { cause: /nothing is listening at http:\/\/127\.0\.0\.1:\d+\/1\/auth/, fix: /set HONEYCOMB_API_ENDPOINT/ },
    sts: { cause: /nothing is listening at https:\/\/127\.0\.0\.1:\d+/, fix: /AWS_ENDPOINT_URL_STS or AWS_ENDPOINT_URL/ },
  },
  {
    name: 'https to a plain-http port',
    start: async () => {
      const s = await serving(200, 'application/json', '{}');
      return { url: s.url.replace('http://', 'https://'), close: s.close };
    },
    honeycomb: { cause: /127\.0\.0\.1:\d+ does not speak TLS \(https\): it looks like a plain http port/, fix: /use http:\/\/ for a local endpoint/ },
    sts: { cause: /does not speak TLS \(https\): it looks like a plain http port/, fix: /use http:\/\/ for a local endpoint/ },
  },
  {
    name: 'an HTML page answering 200',
    start: () => serving(200, 'text/html', '<html><body>Welcome to nginx!</body></html>'),
    honeycomb: { cause: /answered 200 with something that is not JSON/, fix: /HONEYCOMB_API_ENDPOINT points at the Honeycomb API/ },
    sts: { cause: /answered GetCallerIdentity without an account id: that is not AWS STS/, fix: /AWS_ENDPOINT_URL_STS/ },
  },
  {
    name: 'a file:// URL',
    start: async () => ({ url: 'file:///etc/hosts', close: async () => {} }),
    honeycomb: { cause: /HONEYCOMB_API_ENDPOINT is file:\/\/\/etc\/hosts, not an http\(s\) URL/, fix: /set it to https:\/\/api\.honeycomb\.io/ },
  },
  {
    name: 'a 429 asking for an absurd wait',
    start: () => serving(429, 'application/json', '{"error":"slow down"}', { 'retry-after': '100000000000000000000' }),
    honeycomb: { cause: /rate-limiting this key \(retry after an hour or more\)/, fix: /wait an hour or more and run again/ },
  },
];
