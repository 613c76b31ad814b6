import { lookup } from 'node:dns/promises';
import { isPrivateAddress, literalAddress } from './url-guard.js';

/**
 * Why `url` may not be a webhook target, or undefined when it may. Only http and https; with
 * `allowPrivate` false (production default), a host that is or resolves to a private address is
 * refused (WebhookSender checks again at every connection, against DNS rebinding).
 */
export async function urlRefusal(url: string, allowPrivate: boolean): Promise<string | undefined> {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return 'not a valid URL';
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') return 'only http and https are allowed';
  if (target.username || target.password) return 'credentials in the URL are not allowed';
  if (allowPrivate) return undefined;
  const literal = literalAddress(target);
  if (literal !== undefined) return isPrivateAddress(literal) ? 'it is a private or loopback address' : undefined;
  try {
    const addresses = await lookup(target.hostname, { all: true });
    if (addresses.some((address) => isPrivateAddress(address.address)))
      return 'it resolves to a private or loopback address';
    return undefined;
  } catch {
    return 'the host does not resolve';
  }
}
