/**
 * The files an external Mosquitto needs to authenticate devices itself (Anlan only subscribes there): a password
 * file (`password_file`) with each enabled device's token hash, which is already in Mosquitto 2's `$7$` format
 * (device-token.ts), and an ACL file (`acl_file`) in which each device writes only its own readings topic and
 * Anlan's own user reads all of them. Disabled devices are left out of both, so Mosquitto refuses them.
 */
import { isTopicSafeId, READINGS_SUFFIX, readingsTopic, TOPIC_PREFIX } from './mqtt.types.ts';

export interface MosquittoDevice {
  id: string;
  tokenHash: string;
  enabled: boolean;
}

/** One `username:hash` line per enabled device (device id = MQTT username). */
export function mosquittoPasswordFile(devices: readonly MosquittoDevice[]): string {
  const lines = enabled(devices).map((d) => {
    if (!/^\$7\$\d+\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/.test(d.tokenHash)) {
      throw new Error(`device ${d.id}: its token hash is not in Mosquitto's $7$ format`);
    }
    return `${d.id}:${d.tokenHash}`;
  });
  return lines.map((l) => `${l}\n`).join('');
}

/** Anlan's user reads every device's readings (also through `$share/anlan/…`); each enabled device writes its own. */
export function mosquittoAclFile(devices: readonly MosquittoDevice[], anlanUser: string): string {
  if (!isTopicSafeId(anlanUser)) throw new Error(`the MQTT user name "${anlanUser}" cannot stand in an ACL file`);
  const out = ['# written by Anlan: each device writes only its own readings topic', '', `user ${anlanUser}`];
  out.push(`topic read ${TOPIC_PREFIX}+${READINGS_SUFFIX}`, '');
  for (const d of enabled(devices)) out.push(`user ${d.id}`, `topic write ${readingsTopic(d.id)}`, '');
  return `${out.join('\n')}`;
}

function enabled(devices: readonly MosquittoDevice[]): MosquittoDevice[] {
  const seen = new Set<string>();
  return devices.filter((d) => {
    // an id with a space, ':' or a wildcard would change the meaning of the line it stands in
    if (!isTopicSafeId(d.id)) throw new Error(`device id "${d.id}" cannot stand in a Mosquitto file`);
    if (seen.has(d.id)) throw new Error(`device id "${d.id}" appears twice`);
    seen.add(d.id);
    return d.enabled;
  });
}
