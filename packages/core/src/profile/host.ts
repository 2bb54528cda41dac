/**
 * Host checks shared by every URL rule that points at a third-party resource.
 *
 * The input is a hostname as the WHATWG URL parser returns it: lower-cased, IDNs in
 * punycode, and every IPv4 spelling (`0x7f.1`, `2130706433`, `0177.0.0.1`) already
 * normalised to dotted decimal, IPv6 kept in brackets. Checking the parser's output,
 * never the raw string, is what makes the IP-literal test complete.
 */

/** Suffixes that only resolve inside a network (RFC 6761, RFC 6762, RFC 8375, ICANN name-collision list). */
export const PRIVATE_HOST_SUFFIXES = [
  'localhost',
  'local',
  'internal',
  'localdomain',
  'home.arpa',
  'lan',
  'intranet',
  'corp',
] as const;

const DOTTED_IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;
const DNS_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
/** A top-level domain is alphabetic (or an IDN in punycode): never all digits. */
const TOP_LEVEL_LABEL = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;

export function isIpLiteralHost(hostname: string): boolean {
  return hostname.startsWith('[') || DOTTED_IPV4.test(hostname);
}

/** Drops one trailing dot: `localhost.` and `localhost` are the same name. */
function withoutTrailingDot(hostname: string): string {
  return hostname.endsWith('.') ? hostname.slice(0, -1) : hostname;
}

export function isPrivateNetworkHost(hostname: string): boolean {
  const name = withoutTrailingDot(hostname);
  return PRIVATE_HOST_SUFFIXES.some((suffix) => name === suffix || name.endsWith(`.${suffix}`));
}

/** A fully qualified DNS name: at least two labels, each a valid label, with an alphabetic TLD. */
export function isPublicDnsName(hostname: string): boolean {
  const labels = withoutTrailingDot(hostname).split('.');
  const topLevel = labels.at(-1) ?? '';
  return (
    labels.length >= 2 && labels.every((label) => DNS_LABEL.test(label)) && TOP_LEVEL_LABEL.test(topLevel)
  );
}

/**
 * Why `hostname` may not be fetched from or linked to as a public resource, or `null`
 * when it is a public DNS name. Names that *resolve* to private addresses
 * (`127.0.0.1.nip.io`) cannot be detected without DNS; a component that fetches the
 * URL must check the resolved address itself.
 */
export function describeHostProblem(hostname: string): string | null {
  if (isIpLiteralHost(hostname)) return 'must use a domain name, not an IP address';
  if (isPrivateNetworkHost(hostname)) return 'must not point to localhost or a private network name';
  if (!isPublicDnsName(hostname)) return 'must use a fully qualified public domain name';
  return null;
}
