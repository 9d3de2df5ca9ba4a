import { isEu, sameEnvironment } from '../../lib/honeycomb/api.ts';
import { honeycombEnvironment } from '../../lib/honeycomb/links.ts';
import { fail, pass, skip, warn, type Check } from '../types.ts';

export const honeycombAuth: Check = {
  id: 'honeycomb.auth',
  group: 'honeycomb',
  title: 'Honeycomb team, environment and region',
  async run({ settings, shared }) {
    if (!shared.api) return skip('needs a usable key (see honeycomb.key)');
    const region = isEu(settings.honeycombEndpoint.value) ? 'EU' : 'US';
    const auth = await shared.honeycombAuth();
    if (!auth.ok) {
      if (auth.status === 401) {
        const other = await shared.otherRegionAccepts();
        if (other) {
          return fail(
            `the key is refused by ${settings.honeycombEndpoint.value} but accepted by ${other}: it belongs to the other region`,
            `set HONEYCOMB_API_ENDPOINT=${other} (npm run setup saves it) and recreate the containers: docker compose up -d --force-recreate`,
          );
        }
      }
      return fail(auth.fault.cause, auth.fault.fix);
    }
    const { team, environment } = auth.value;
    const place = { endpoint: settings.honeycombEndpoint.value, team: team.slug, environment: environment.slug };
    const links = { environment: honeycombEnvironment(place) };
    const where = `team "${team.name}", environment "${environment.name}", region ${region}`;
    const expected = settings.honeycombEnvironment?.value;
    // /1/auth answers an empty environment for Honeycomb Classic: there is none to check, and
    // Classic wants a dataset header (x-honeycomb-dataset) that the collector does not send.
    if (!environment.name && !environment.slug) {
      return warn(
        `a Honeycomb Classic key (team "${team.name}", region ${region}): it has no environment${expected ? `, so HONEYCOMB_ENVIRONMENT="${expected}" cannot be checked` : ''}, and Classic needs an x-honeycomb-dataset header the collector does not send`,
        'create an environment in Honeycomb (the course uses "bootcamp"), make an ingest key there, and save it with npm run setup',
        links,
      );
    }
    if (!expected) {
      return warn(`the key writes to ${where}`, `set HONEYCOMB_ENVIRONMENT=${environment.name} so smoke and doctor fail if data ever goes elsewhere`, links);
    }
    const matches = sameEnvironment(expected, environment);
    if (!matches) {
      return fail(
        `the key writes to ${where}, but HONEYCOMB_ENVIRONMENT is "${expected}": data lands in "${environment.name}", not "${expected}"`,
        `use a key from environment "${expected}" (Honeycomb: Environment settings > API keys) and save it with npm run setup; or, if "${environment.name}" is right, set HONEYCOMB_ENVIRONMENT=${environment.name}`,
        links,
      );
    }
    return pass(where, links);
  },
};
