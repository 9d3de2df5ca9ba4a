import { randomUUID } from 'node:crypto';
import { displayNameOf } from './people.ts';
import { ago } from './time.ts';
import type { Message, MessageGroup } from './types.ts';

/** Week 2 has no sign-in yet: the course hard-codes the current user. */
export const CURRENT_USER = { handle: 'andrewbrown', display_name: 'Andrew Brown' } as const;

export function messageGroups(now = new Date()): MessageGroup[] {
  return [
    {
      uuid: '24b95582-9e7b-4e0a-9ad1-639773ab7552',
      display_name: 'Andrew Brown',
      handle: 'andrewbrown',
      message: 'Hello world!',
      created_at: ago(now, { days: 1 }),
    },
    {
      uuid: '417c360e-c4e6-4fce-873b-d2d71469b4ac',
      display_name: 'Worf',
      handle: 'worf',
      message: 'Qapla!',
      created_at: ago(now, { days: 3 }),
    },
  ];
}

export function messages(otherHandle: string, now = new Date()): Message[] {
  return [
    {
      uuid: '4e81c06a-db0f-4281-b4cc-98208537772a',
      display_name: CURRENT_USER.display_name,
      handle: CURRENT_USER.handle,
      message: 'Cloud is fun!',
      created_at: ago(now, { days: 2 }),
    },
    {
      uuid: '66e12864-8c26-4c3a-9658-95a10f8fea67',
      display_name: displayNameOf(otherHandle) ?? otherHandle,
      handle: otherHandle,
      message: 'This platform is great!',
      created_at: ago(now, { days: 1 }),
    },
  ];
}

export function createMessage(message: string, now = new Date()): Message {
  return { uuid: randomUUID(), ...CURRENT_USER, message, created_at: now.toISOString() };
}
