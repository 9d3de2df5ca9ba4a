import { BOARD_NAME, findBoard, missingPermission } from '../../lib/honeycomb-board.ts';
import { HoneycombError, keyInfo } from '../../lib/honeycomb.ts';
import { fail, pass, skip, warn, type Check } from '../types.ts';

export const honeycombBoardCheck: Check = {
  id: 'honeycomb.board',
  group: 'honeycomb',
  title: `the "${BOARD_NAME}" board`,
  required: false,
  async run({ settings, shared }) {
    if (!shared.api) return skip('needs a usable key (see honeycomb.key)');
    if (!keyInfo(settings.honeycombKey!.value).canRead) return skip('an ingest key cannot see boards; npm run honeycomb:board prints the week\'s queries as links');
    // Both at once: the list does not need the auth's answer to be asked, only to be read.
    const [auth, board] = await Promise.all([shared.honeycombAuth(), findBoard(shared.api).then((b) => ({ ok: true as const, b }), (err: unknown) => ({ ok: false as const, err }))]);
    if (!auth.ok) return skip('needs the key to authenticate (see honeycomb.auth)');
    const missing = missingPermission(auth.value);
    if (missing) return skip(`a key without "${missing}" cannot see boards; npm run honeycomb:board prints the week's queries as links`);
    if (!board.ok) {
      const f = board.err instanceof HoneycombError ? board.err.fault : { cause: (board.err as Error).message, fix: 'run again' };
      return fail(f.cause, f.fix);
    }
    if (!board.b) return warn(`no board "${BOARD_NAME}" in environment "${auth.value.environment.name}" yet`, 'npm run honeycomb:board makes it: the week’s questions, one saved query each');
    return pass(`board "${BOARD_NAME}" exists`, board.b.links?.board_url ? { board: board.b.links.board_url } : undefined);
  },
};
