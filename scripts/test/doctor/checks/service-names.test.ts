import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { interpolate, serviceNames, serviceNamesCheck } from '../../../doctor/checks/service-names.ts';
import { loadSettings } from '../../../lib/workspace/settings.ts';
import { runCheck } from '../helpers.ts';

test('compose values resolve like compose: environment first, then the default', () => {
  assert.is(interpolate('${OTEL_SERVICE_NAME:-backend-flask}', {}), 'backend-flask');
  assert.is(interpolate('${OTEL_SERVICE_NAME:-backend-flask}', { OTEL_SERVICE_NAME: 'api' }), 'api');
  assert.is(interpolate('${NAME}', {}), '');
});

test('reads each service’s name from the compose file', async () => {
  const yaml = 'services:\n  a:\n    environment:\n      OTEL_SERVICE_NAME: ${OTEL_SERVICE_NAME:-backend-flask}\n  b:\n    environment:\n      VITE_OTEL_SERVICE_NAME: ${FRONTEND_OTEL_SERVICE_NAME:-frontend-react-js}\n  c:\n    image: x\n';
  assert.equal(await serviceNames(yaml, {}), { a: 'backend-flask', b: 'frontend-react-js' });
});

test('passes with this repository’s compose file and defaults', async () => {
  const r = await runCheck(serviceNamesCheck, loadSettings({}, {}));
  assert.is(r.status, 'pass');
  assert.is(r.detail, 'backend-flask-ts as "backend-flask", frontend-react-js as "frontend-react-js"');
});

test('warns when every service reports under the same name (the course’s trap)', async () => {
  const r = await runCheck(serviceNamesCheck, loadSettings({ FRONTEND_OTEL_SERVICE_NAME: 'backend-flask' }, {}));
  assert.is(r.status, 'warn', 'an optional check: a warning');
  assert.match(r.detail, /backend-flask-ts and frontend-react-js all report as "backend-flask"/);
  assert.match(r.fix!, /FRONTEND_OTEL_SERVICE_NAME/);
});

test.run();
