import { isIP } from 'node:net';

/**
 * The part of a client address that rate limits count: an IPv4 address as it is, an IPv6 address by
 * its /64 (one subscriber usually holds a whole /64 and can rotate through it freely).
 */
export function clientAddressKey(ip: string | undefined): string {
  if (!ip) return 'unknown';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1];
  if (isIP(ip) !== 6) return ip;
  return `${expandIpv6(ip).slice(0, 4).join(':')}::/64`;
}

/** The eight hextets of an IPv6 address (zone id dropped), lower-case, without leading zeros. */
function expandIpv6(ip: string): string[] {
  const address = ip.split('%')[0].toLowerCase();
  const [head, tail] = address.includes('::') ? address.split('::') : [address, undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  // An embedded IPv4 tail (::1.2.3.4) counts as two hextets; only the first four matter here.
  const rightCount = right.reduce((n, part) => n + (part.includes('.') ? 2 : 1), 0);
  const zeros = tail === undefined ? [] : Array.from({ length: 8 - left.length - rightCount }, () => '0');
  return [...left, ...zeros, ...right].map((part) =>
    part.includes('.') ? part : String(parseInt(part, 16).toString(16)),
  );
}
