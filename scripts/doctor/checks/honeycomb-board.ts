import { BOARD_NAME, findBoard, missingPermission } from '../../lib/honeycomb-board.ts';
import { HoneycombError } from '../../lib/honeycomb.ts';
import { fail, pass, skip, warn, type Check } from '../types.ts';

export const honeycombBoardCheck: Check = {
  id: 'honeycomb.board',
  group: 'honeycomb',
  title: `the "${BOARD_NAME}" board`,
  required: false,
  async run({ shared }) {
    if (!shared.api) return skip('needs a usable key (see honeycomb.key)');
    const auth = await shared.honeycombAuth();
    if (!auth.ok) return skip('needs the key to authenticate (see honeycomb.auth)');
    const missing = auth.value.type === 'ingest' ? 'an ingest key' : missingPermission(auth.value);
    if (missing) return skip(`${missing === 'an ingest key' ? 'an ingest key' : `a key without "${missing}"`} cannot see boards; npm run honeycomb:board prints the week's queries as links`);
    try {
      const board = await findBoard(shared.api);
      if (!board) return warn(`no board "${BOARD_NAME}" in environment "${auth.value.environment.name}" yet`, 'npm run honeycomb:board makes it: the week’s questions, one saved query each');
      return pass(`board "${BOARD_NAME}" exists`, board.links?.board_url ? { board: board.links.board_url } : undefined);
    } catch (err) {
      const f = err instanceof HoneycombError ? err.fault : { cause: (err as Error).message, fix: 'run again' };
      return fail(f.cause, f.fix);
    }
  },
};
