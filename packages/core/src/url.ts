/**
 * The part of the WHATWG `URL` interface that core reads.
 *
 * Why a local description instead of the DOM or Node typings: core compiles against
 * the ES library only, so that `process`, `fetch`, timers and other I/O do not even
 * type-check here (SPEC §2: core is pure). The `URL` class itself is a pure parser
 * available as a global in every runtime that core targets (Node ≥ 20, browsers).
 */
export interface ParsedUrl {
  readonly protocol: string;
  readonly username: string;
  readonly password: string;
  readonly hostname: string;
  /** `''` when the URL uses its scheme's default port. */
  readonly port: string;
  readonly pathname: string;
  readonly href: string;
}

type UrlConstructor = new (input: string) => ParsedUrl;

const WhatwgUrl = (globalThis as unknown as { URL: UrlConstructor }).URL;

/** Parses an absolute URL with the WHATWG parser; `null` when it is not one. */
export function parseUrl(input: string): ParsedUrl | null {
  try {
    return new WhatwgUrl(input);
  } catch {
    return null;
  }
}

/** Whether the URL carries a user-info part (`https://user:pass@host/`). */
export function hasUserInfo(url: ParsedUrl): boolean {
  return url.username !== '' || url.password !== '';
}
