import { TTL_HOURS, type Ttl } from '../services/time.ts';

/** One thing wrong with a request, in the shape every 4xx body uses. */
export interface Problem {
  field: string;
  code: string;
  message: string;
}

/** A client error with the status and problems to send back. */
export class RequestError extends Error {
  readonly status: number;
  readonly problems: Problem[];
  constructor(status: number, problems: Problem[]) {
    super(problems.map((p) => p.message).join('; '));
    this.status = status;
    this.problems = problems;
  }
}

export const LIMITS = { activity: 280, message: 1024, searchTerm: 100, handle: 32 } as const;

// Handles are what the course's seed users have: letters, digits, '_', '.', '-'.
const HANDLE = /^[A-Za-z0-9_.-]+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function handle(value: string | undefined, field = 'handle'): string {
  if (!value) throw new RequestError(400, [{ field, code: `${field}_blank`, message: `${field} is required` }]);
  if (value.length > LIMITS.handle || !HANDLE.test(value)) {
    throw new RequestError(400, [
      {
        field,
        code: `${field}_invalid`,
        message: `${field} must be 1-${LIMITS.handle} letters, digits, '_', '.' or '-'`,
      },
    ]);
  }
  return value;
}

export function uuid(value: string | undefined, field = 'activity_uuid'): string {
  if (!value || !UUID.test(value)) {
    throw new RequestError(400, [{ field, code: `${field}_invalid`, message: `${field} must be a UUID` }]);
  }
  return value.toLowerCase();
}

export function searchTerm(value: unknown): string {
  const term = typeof value === 'string' ? value.trim() : '';
  if (!term) {
    throw new RequestError(422, [
      { field: 'term', code: 'search_term_blank', message: 'term is required: /api/activities/search?term=cloud' },
    ]);
  }
  if (term.length > LIMITS.searchTerm) {
    throw new RequestError(422, [
      { field: 'term', code: 'search_term_too_long', message: `term must be at most ${LIMITS.searchTerm} characters` },
    ]);
  }
  return term;
}

/** The JSON object body of a POST; anything else is a 400 that says what was sent. */
export function jsonObject(body: unknown): Record<string, unknown> {
  if (body === undefined) {
    throw new RequestError(415, [
      { field: 'body', code: 'json_required', message: 'send a JSON body with Content-Type: application/json' },
    ]);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new RequestError(400, [{ field: 'body', code: 'json_object_required', message: 'the body must be a JSON object' }]);
  }
  return body as Record<string, unknown>;
}

function text(value: unknown, field: string, max: number, problems: Problem[]): string {
  if (typeof value !== 'string' || value.trim() === '') {
    problems.push({ field, code: `${field}_blank`, message: `${field} is required and must be a non-empty string` });
    return '';
  }
  if (value.length > max) {
    problems.push({
      field,
      code: `${field}_exceed_max_chars`,
      message: `${field} is ${value.length} characters; the limit is ${max}`,
    });
  }
  return value;
}

function fail(problems: Problem[]): void {
  if (problems.length > 0) throw new RequestError(422, problems);
}

export function newActivity(body: unknown): { message: string; ttl: Ttl } {
  const input = jsonObject(body);
  const problems: Problem[] = [];
  const message = text(input.message, 'message', LIMITS.activity, problems);
  const ttl = input.ttl;
  if (typeof ttl !== 'string' || !Object.hasOwn(TTL_HOURS, ttl)) {
    problems.push({
      field: 'ttl',
      code: ttl === undefined || ttl === '' ? 'ttl_blank' : 'ttl_invalid',
      message: `ttl must be one of ${Object.keys(TTL_HOURS).join(', ')}`,
    });
  }
  fail(problems);
  return { message, ttl: ttl as Ttl };
}

export function newReply(body: unknown): { message: string } {
  const problems: Problem[] = [];
  const message = text(jsonObject(body).message, 'message', LIMITS.activity, problems);
  fail(problems);
  return { message };
}

export function newMessage(body: unknown): { message: string; receiver: string } {
  const input = jsonObject(body);
  const problems: Problem[] = [];
  const message = text(input.message, 'message', LIMITS.message, problems);
  const receiverRaw = input.user_receiver_handle;
  let receiver = '';
  if (typeof receiverRaw !== 'string' || receiverRaw === '') {
    problems.push({
      field: 'user_receiver_handle',
      code: 'user_receiver_handle_blank',
      message: 'user_receiver_handle is required',
    });
  } else {
    try {
      receiver = handle(receiverRaw, 'user_receiver_handle');
    } catch (err) {
      problems.push(...(err as RequestError).problems);
    }
  }
  fail(problems);
  return { message, receiver };
}
