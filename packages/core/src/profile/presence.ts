import { MINUTE_MS } from '../time.js';
import type { PRESENCE_VALUES } from './profile.schema.js';

/** SPEC §7: ONLINE when a session was used in the last five minutes. */
export const PRESENCE_WINDOW_MS = 5 * MINUTE_MS;

export type Presence = (typeof PRESENCE_VALUES)[number];

/** A user's presence at `now`, given when any of their sessions was last used. */
export function presenceAt(lastActivity: Date | undefined, now: Date): Presence {
  return lastActivity !== undefined && now.getTime() - lastActivity.getTime() <= PRESENCE_WINDOW_MS
    ? 'ONLINE'
    : 'OFFLINE';
}
