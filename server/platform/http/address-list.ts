import { BlockList, isIP } from 'node:net';

/**
 * A matcher for a list of addresses and CIDR blocks (validated by config.ts); undefined for an empty list.
 * IPv4 clients seen through an IPv6 socket (`::ffff:10.0.0.5`) match their IPv4 entries.
 */
export function addressMatcher(entries: readonly string[]): ((address: string) => boolean) | undefined {
  if (!entries.length) return undefined;
  const list = new BlockList();
  for (const e of entries) {
    const [addr, bits] = e.split('/');
    const type = isIP(addr) === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) list.addAddress(addr, type);
    else list.addSubnet(addr, Number(bits), type);
  }
  return (address) => {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    const a = mapped ? mapped[1] : address;
    const family = isIP(a);
    return family !== 0 && list.check(a, family === 6 ? 'ipv6' : 'ipv4');
  };
}
