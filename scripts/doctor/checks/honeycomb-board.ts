import { BOARD_NAME, missingForBoard } from '../../lib/honeycomb/board.ts';
import { named } from '../../lib/honeycomb/permissions.ts';
import { fail, pass, skip, warn, type Check } from '../types.ts';

export const honeycombBoardCheck: Check = {
  id: 'honeycomb.board',
  group: 'honeycomb',
  title: `the "${BOARD_NAME}" board`,
  required: false,
  async run({ shared }) {
    if (!shared.api) return skip('needs a usable key (see honeycomb.key)');
    const auth = await shared.authBeside(shared.honeycombBoard);
    if (!auth.ok) return skip('needs the key to authenticate (see honeycomb.auth)');
    if (auth.value.type === 'ingest') return skip("an ingest key cannot see boards; npm run honeycomb:board prints the week's queries as links");
    const missing = missingForBoard(auth.value);
    if (missing.length) return skip(`a key without ${named(missing)} cannot make the board; npm run honeycomb:board prints the week's queries as links`);
    const found = await shared.honeycombBoard();
    if (!found.ok) return fail(found.fault.cause, found.fault.fix);
    if (!found.value) return warn(`no board "${BOARD_NAME}" in environment "${auth.value.environment.name}" yet`, 'npm run honeycomb:board makes it: the week’s questions, one saved query each');
    return pass(`board "${BOARD_NAME}" exists`, found.value.links?.board_url ? { board: found.value.links.board_url } : undefined);
  },
};
