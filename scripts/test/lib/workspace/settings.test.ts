// Settings at their boundaries: the environment over .env, an empty value as none, every
// default, the region chain the collector also gets, and each AWS credential source.
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { addressFault, addressProblem, describeSource, loadSettings, readDotEnv, settingsSecrets } from '../../../lib/workspace/settings.ts';

const emptyHome = () => mkdtempSync(join(tmpdir(), 'settings-home-'));

test('the environment wins over .env, .env over the default; an empty value counts as none', () => {
  let s = loadSettings({ OTEL_SERVICE_NAME: 'from-env', HOME: emptyHome() }, { OTEL_SERVICE_NAME: 'from-dotenv' });
  assert.equal([s.serviceName.value, s.serviceName.source], ['from-env', 'environment']);
  s = loadSettings({ OTEL_SERVICE_NAME: '', HOME: emptyHome() }, { OTEL_SERVICE_NAME: 'from-dotenv' });
  assert.equal([s.serviceName.value, s.serviceName.source], ['from-dotenv', '.env']);
  s = loadSettings({ HOME: emptyHome() }, { OTEL_SERVICE_NAME: '' });
  assert.equal([s.serviceName.value, s.serviceName.source], ['backend-flask', 'default']);
  assert.is(describeSource(s.serviceName), 'OTEL_SERVICE_NAME unset, default');
  assert.is(describeSource(loadSettings({ XRAY_GROUP: 'G' }, {}).xrayGroup), 'XRAY_GROUP from environment');
});

test('each setting is read from its own variable', () => {
  const env = {
    HOME: emptyHome(),
    HONEYCOMB_API_KEY: 'k',
    HONEYCOMB_API_ENDPOINT: 'https://api.eu1.honeycomb.io',
    HONEYCOMB_ENVIRONMENT: 'bootcamp',
    CLOUDWATCH_LOGS: 'true',
    CLOUDWATCH_LOG_GROUP: 'g',
    CLOUDWATCH_LOG_STREAM: 's',
    OTEL_COLLECTOR_URL: 'http://c:4318',
    OTEL_COLLECTOR_HEALTH_URL: 'http://c:13133/',
    BACKEND_URL: 'http://b:4567',
    FRONTEND_URL: 'http://f:3000',
    FRONTEND_SERVER_URL: 'http://fs:3000',
  };
  const s = loadSettings(env, {});
  assert.equal(
    [s.honeycombKey?.value, s.honeycombEndpoint.value, s.honeycombEnvironment?.value, s.cloudwatchLogs.value, s.logGroup.value, s.logStream.value, s.collectorUrl.value, s.backendUrl.value, s.frontendUrl.value, s.frontendServerUrl.value],
    ['k', 'https://api.eu1.honeycomb.io', 'bootcamp', 'true', 'g', 's', 'http://c:4318', 'http://b:4567', 'http://f:3000', 'http://fs:3000'],
  );
  assert.equal([s.honeycombKey!.name, s.logStream.name, s.frontendServerUrl.name], ['HONEYCOMB_API_KEY', 'CLOUDWATCH_LOG_STREAM', 'FRONTEND_SERVER_URL']);
  assert.equal(s.collectorHealthUrl, { name: 'OTEL_COLLECTOR_HEALTH_URL', value: 'http://c:13133/', source: 'environment' });
  assert.is(loadSettings({ HOME: env.HOME }, {}).collectorHealthUrl, undefined, 'unset: 13133 of the collector’s host');
});

test('every default is the one docker-compose.yml and the collector use', () => {
  const s = loadSettings({ HOME: emptyHome() }, {});
  assert.equal(
    [s.honeycombEndpoint.value, s.serviceName.value, s.xrayGroup.value, s.cloudwatchLogs.value, s.logGroup.value, s.logStream.value, s.collectorUrl.value, s.backendUrl.value, s.frontendServerUrl.value, s.frontendUrl.value],
    ['https://api.honeycomb.io', 'backend-flask', 'Cruddur', 'false', 'cruddur', 'cruddur-workspace', 'http://localhost:4318', 'http://localhost:4567', 'http://localhost:3000', 'http://localhost:3000'],
  );
  assert.equal([s.metricsDataset.name, s.metricsDataset.value, s.metricsDataset.source], ['HONEYCOMB_METRICS_DATASET', 'cruddur-metrics', 'default']);
  assert.is(loadSettings({ HOME: emptyHome(), HONEYCOMB_METRICS_DATASET: 'm' }, {}).metricsDataset.value, 'm');
  assert.is(s.honeycombKey, undefined);
  assert.is(s.honeycombEnvironment, undefined);
  assert.is(s.splitMode, false);
  assert.equal([s.frontendServiceName.name, s.frontendServiceName.value], ['FRONTEND_OTEL_SERVICE_NAME', 'frontend-react-js']);
});

test('the secrets no output may show: the Honeycomb key and the AWS secret and session token, as given; nothing else', () => {
  const s = loadSettings({ HOME: emptyHome(), HONEYCOMB_API_KEY: ' key-as-pasted ', AWS_SECRET_ACCESS_KEY: 'secret', AWS_SESSION_TOKEN: 'token', AWS_ACCESS_KEY_ID: 'AKIAID' }, {});
  assert.equal(settingsSecrets(s), [' key-as-pasted ', 'secret', 'token']);
  assert.equal(settingsSecrets(loadSettings({ HOME: emptyHome() }, {})), [undefined, undefined, undefined]);
});

test('the region: AWS_REGION, else AWS_DEFAULT_REGION, else us-east-1, each from the environment or .env', () => {
  const region = (env: Record<string, string>, dotenv: Record<string, string>) => {
    const r = loadSettings({ HOME: emptyHome(), ...env }, dotenv).awsRegion;
    return `${r.name}=${r.value} (${r.source})`;
  };
  assert.is(region({}, {}), 'AWS_REGION=us-east-1 (default)');
  assert.is(region({ AWS_DEFAULT_REGION: 'eu-west-2' }, {}), 'AWS_DEFAULT_REGION=eu-west-2 (environment)');
  assert.is(region({}, { AWS_DEFAULT_REGION: 'eu-west-2' }), 'AWS_DEFAULT_REGION=eu-west-2 (.env)');
  assert.is(region({ AWS_DEFAULT_REGION: 'eu-west-2' }, { AWS_REGION: 'ap-south-1' }), 'AWS_REGION=ap-south-1 (.env)', 'AWS_REGION in .env beats AWS_DEFAULT_REGION in the shell');
  assert.is(region({ AWS_REGION: 'us-west-2', AWS_DEFAULT_REGION: 'eu-west-2' }, {}), 'AWS_REGION=us-west-2 (environment)');
});

test('AWS credentials from any source the SDK reads, and none from an empty home', () => {
  const home = emptyHome();
  assert.is(loadSettings({ HOME: home }, {}).awsCredentials, false);
  for (const env of [{ AWS_ACCESS_KEY_ID: 'AKIA' }, { AWS_PROFILE: 'course' }, { AWS_WEB_IDENTITY_TOKEN_FILE: '/t' }, { AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://x' }, { AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2' }]) {
    assert.is(loadSettings({ HOME: home, ...env }, {}).awsCredentials, true, JSON.stringify(env));
  }
  assert.is(loadSettings({ HOME: home }, { AWS_ACCESS_KEY_ID: 'AKIA' }).awsCredentials, true, 'from .env');
  const bare = emptyHome();
  mkdirSync(join(bare, '.aws'));
  assert.is(loadSettings({ HOME: bare }, {}).awsCredentials, false, 'an empty ~/.aws holds none');
  const withFiles = emptyHome();
  mkdirSync(join(withFiles, '.aws'));
  writeFileSync(join(withFiles, '.aws', 'config'), '[default]\n');
  assert.is(loadSettings({ HOME: withFiles }, {}).awsCredentials, true, '~/.aws/config');
  const withCredentials = emptyHome();
  mkdirSync(join(withCredentials, '.aws'));
  writeFileSync(join(withCredentials, '.aws', 'credentials'), '[default]\n');
  assert.is(loadSettings({ HOME: withCredentials }, {}).awsCredentials, true, '~/.aws/credentials');
  assert.is(loadSettings({ HOME: withCredentials, AWS_SHARED_CREDENTIALS_FILE: join(home, 'none') }, {}).awsCredentials, false, 'AWS_SHARED_CREDENTIALS_FILE elsewhere: ~/.aws/credentials is not read');
  const creds = join(emptyHome(), 'creds');
  writeFileSync(creds, '[default]\n');
  assert.is(loadSettings({ HOME: home, AWS_SHARED_CREDENTIALS_FILE: creds }, {}).awsCredentials, true, 'AWS_SHARED_CREDENTIALS_FILE');
});

test('split mode is on when either VITE_ URL is set, from either place; the front end’s URL follows the host', () => {
  assert.is(loadSettings({ VITE_BACKEND_URL: 'https://api.example' }, {}).splitMode, true);
  assert.is(loadSettings({}, { VITE_OTEL_COLLECTOR_URL: 'https://otel.example' }).splitMode, true);
  const cs = loadSettings({ CODESPACE_NAME: 'c1', GITHUB_CODESPACES_PORT_FORWARDING_DOMAIN: 'app.github.dev' }, {});
  assert.equal([cs.frontendUrl.value, cs.frontendUrl.source], ['https://c1-3000.app.github.dev', 'default']);
});

test('the repository’s .env by default, and the EU endpoint as the name of the other region', async () => {
  const { HONEYCOMB_EU, REPO_ROOT } = await import('../../../lib/workspace/settings.ts');
  const { existsSync } = await import('node:fs');
  const dotenv = join(REPO_ROOT, '.env');
  assert.equal(readDotEnv(), existsSync(dotenv) ? readDotEnv(dotenv) : {}, 'the repository’s own .env, or none');
  assert.is(HONEYCOMB_EU, 'https://api.eu1.honeycomb.io');
  assert.ok(REPO_ROOT.endsWith('/') && (await import('node:fs')).existsSync(join(REPO_ROOT, 'package.json')), REPO_ROOT);
});

test('.env is read as compose reads it; a missing file is no values', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dotenv-'));
  assert.equal(readDotEnv(join(dir, 'missing.env')), {});
  writeFileSync(join(dir, '.env'), "A=1\n# comment\nB='two words'\nexport C=3\n");
  assert.equal(readDotEnv(join(dir, '.env')), { A: '1', B: 'two words', C: '3' });
});

test('an address setting: http and https URLs are addresses; a host:port without a scheme, another scheme or no URL at all is named, with the stack’s own address as the example', () => {
  const at = (name: string, value: string) => addressFault({ name, value, source: 'environment' });
  for (const value of ['http://localhost:4318', 'https://collector.example', 'HTTP://X:1/path', ' http://b:4567']) assert.is(at('OTEL_COLLECTOR_URL', value), undefined, value);
  assert.equal(at('OTEL_COLLECTOR_URL', 'localhost:4318'), { cause: 'OTEL_COLLECTOR_URL is "localhost:4318" (environment), not an http(s) URL', fix: 'set it to an address like http://localhost:4318' });
  assert.equal(at('BACKEND_URL', 'ftp://b'), { cause: 'BACKEND_URL is "ftp://b" (environment), not an http(s) URL', fix: 'set it to an address like http://localhost:4567' });
  assert.equal(at('FRONTEND_SERVER_URL', '::3000'), { cause: 'FRONTEND_SERVER_URL is "::3000" (environment), not an http(s) URL', fix: 'set it to an address like http://localhost:3000' });
  assert.equal(at('OTHER_URL', ''), { cause: 'OTHER_URL is "" (environment), not an http(s) URL', fix: 'set it to an http(s) URL' });
  assert.is(addressProblem({ name: 'BACKEND_URL', value: 'backend:4567', source: '.env' }), 'BACKEND_URL is "backend:4567" (.env), not an http(s) URL: set it to an address like http://localhost:4567');
  assert.is(addressProblem({ name: 'BACKEND_URL', value: 'http://backend:4567', source: '.env' }), undefined);
  // Every default is an address.
  const s = loadSettings({ HOME: emptyHome() }, {});
  for (const setting of [s.collectorUrl, s.backendUrl, s.frontendServerUrl]) assert.is(addressFault(setting), undefined, setting.name);
});

test.run();
