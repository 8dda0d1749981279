import { isIPv6 } from 'node:net';

/**
 * The address rate limits count a request against. Behind `trustProxyHops` proxies it is
 * the `X-Forwarded-For` entry the outermost trusted proxy appended (entries further left
 * are the client's own claims); otherwise the socket's peer. IPv6 addresses count per /64,
 * the block one host usually gets, so a host cannot step around its limit by address.
 */
export function clientIp(remoteAddress: string | undefined, forwardedFor: string | null | undefined, trustProxyHops: number): string {
  let ip = remoteAddress ?? 'unknown';
  if (trustProxyHops > 0 && forwardedFor) {
    const hops = forwardedFor.split(',').map((s) => s.trim()).filter(Boolean);
    ip = hops[Math.max(0, hops.length - trustProxyHops)] ?? ip;
  }
  if (ip.startsWith('::ffff:') && ip.includes('.')) ip = ip.slice(7);
  return isIPv6(ip) ? ipv6Prefix64(ip) : ip;
}

function ipv6Prefix64(ip: string): string {
  const [head = '', tail] = ip.split('%')[0]!.split('::');
  const left = head ? head.split(':') : [];
  const right = tail === undefined ? [] : tail ? tail.split(':') : [];
  const groups = [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `${groups.slice(0, 4).map((g) => parseInt(g || '0', 16).toString(16)).join(':')}::/64`;
}
