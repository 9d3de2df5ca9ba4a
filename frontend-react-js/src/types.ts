// The API's shapes, from the backend itself: a type-only import, erased from the bundle,
// so the UI and the API cannot drift apart.
export type { Activity, Message, MessageGroup, Reply } from '../../backend-flask-ts/src/services/types.ts';
