/**
 * What a session or audit row keeps of a client's `User-Agent`: enough to tell devices
 * apart, bounded so a hostile header cannot bloat every row it lands in.
 */
export const USER_AGENT_MAX_LENGTH = 512;

export function truncateUserAgent(userAgent: string | null | undefined): string | null {
  return userAgent?.slice(0, USER_AGENT_MAX_LENGTH) ?? null;
}
