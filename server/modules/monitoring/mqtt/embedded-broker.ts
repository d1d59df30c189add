/**
 * The embedded broker (aedes) devices publish readings to. MQTT username = device id, password = its API token; a
 * device may publish only to `anlan/v1/devices/{its id}/readings` and subscribe only under its own topics.
 *
 * Acknowledgement and backpressure: aedes writes a QoS 1 PUBACK before its `published` hook runs, but only after
 * `authorizePublish` has called back. So the sink is called inside authorizePublish and the callback waits for it:
 * the PUBACK says the reading is stored (or dead-lettered). aedes reads a client's socket again only when every
 * packet of its previous read is done, so a slow sink stops the device's TCP stream instead of growing a queue:
 * what waits is at most one socket read per connected client, and at most `maxInFlight` sink calls run at once.
 */
import { once } from 'node:events';
import { createServer } from 'node:net';
import { Aedes, type AuthenticateError, type Client } from 'aedes';
import {
  type IngestSink,
  idOfRouteTopic,
  isTopicSafeId,
  type MqttLog,
  type MqttStats,
  type MqttStatus,
  type MqttTransport,
  readingsTopic,
  TOPIC_PREFIX,
  type TopicRoute,
} from './mqtt.types.ts';

export interface EmbeddedBrokerOptions {
  /** 0: any free port (tests); the config's MQTT_PORT=0 means no broker and never reaches here */
  port: number;
  host?: string;
  sink: IngestSink;
  log: MqttLog;
  /** sink calls running at once over all clients; more wait in arrival order (default 256) */
  maxInFlight?: number;
  /** other modules' topics published by users (read at every CONNECT: routes registered later count) */
  routes?: readonly TopicRoute[];
}

export interface EmbeddedBroker extends MqttTransport {
  /** the port it listens on (the chosen one when started with port 0) */
  readonly port: number;
}

/**
 * Starts aedes on `port`. If the port is taken it logs one warning and returns a transport whose status is `off`
 * with the reason: Anlan keeps running with HTTP ingestion.
 */
export async function startEmbeddedBroker(opts: EmbeddedBrokerOptions): Promise<EmbeddedBroker> {
  const { sink, log } = opts;
  const host = opts.host ?? '127.0.0.1';
  const counts: MqttStats = { received: 0, authRefused: 0, publishRefused: 0, ignored: 0, sinkFailures: 0 };
  const gate = new Gate(opts.maxInFlight ?? 256);
  const deviceOf = new WeakMap<Client, string>();
  // a user's connection: the routes that know them, with the principal each gave
  const userOf = new WeakMap<Client, { route: TopicRoute; principal: unknown }[]>();
  const routes = opts.routes ?? [];
  /** the routes that know this username and password (a device's credentials are tried first) */
  async function userRoutes(username: string, password: string) {
    const out: { route: TopicRoute; principal: unknown }[] = [];
    for (const route of routes) {
      const principal = await route.authenticate(username, password);
      if (principal !== undefined) out.push({ route, principal });
    }
    return out;
  }
  // MQTT lets a new connection with a client id take over the session of the one holding it: only the same device may
  const holder = new Map<string, Client>();
  const holderName = new WeakMap<Client, string>();
  let lastSinkWarning = 0;

  const broker = await Aedes.createBroker({
    authenticate(client, username, password, done) {
      const refuse = (code: 2 | 3 | 4) => {
        const err = new Error(
          code === 4
            ? 'bad device id or token'
            : code === 2
              ? 'client id held by another device'
              : 'ingestion unavailable',
        ) as AuthenticateError;
        err.returnCode = code as AuthenticateError['returnCode'];
        done(err, false);
      };
      if (!username || !password || (!isTopicSafeId(username) && routes.length === 0)) {
        counts.authRefused++;
        return refuse(4);
      }
      const secret = password.toString('utf8');
      const asDevice = isTopicSafeId(username) ? sink.authenticate(username, secret) : Promise.resolve(false);
      asDevice
        .then(async (ok) => ({ ok, users: ok ? [] : await userRoutes(username, secret) }))
        .then(
          ({ ok, users }) => {
            if (!ok && users.length === 0) {
              counts.authRefused++;
              return refuse(4);
            }
            // the session of a client id stays with whoever holds it (a device, or the same user)
            const who = ok ? `device:${username}` : `user:${username}`;
            const current = holder.get(client.id);
            if (current && holderName.get(current) !== who) {
              counts.authRefused++;
              return refuse(2);
            }
            holderName.set(client, who);
            if (ok) deviceOf.set(client, username);
            else userOf.set(client, users);
            done(null, true);
          },
          () => refuse(3),
        );
    },
    authorizePublish(client, packet, done) {
      const users = client ? userOf.get(client) : undefined;
      if (users) return routePublish(users, packet, done);
      // client is null for the will of a client that is gone: no device stands behind it
      const deviceId = client ? deviceOf.get(client) : undefined;
      if (!deviceId || packet.topic !== readingsTopic(deviceId)) {
        counts.publishRefused++;
        return done(new Error(`device ${deviceId ?? '?'} may not publish to ${packet.topic}`));
      }
      // readings are not kept as retained messages: the sink stores them
      packet.retain = false;
      const payload = Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload);
      gate
        .run(() => sink.ingest(deviceId, payload, 'mqtt'))
        .then(
          () => {
            counts.received++;
            done(null);
          },
          (err: unknown) => {
            // not bad content (the sink records that) but the sink itself failing: no PUBACK, the device sends it again
            counts.sinkFailures++;
            const now = Date.now();
            if (now - lastSinkWarning > 10_000) {
              lastSinkWarning = now;
              log.warn(`MQTT: storing a reading failed, the device will send it again: ${String(err)}`);
            }
            done(err instanceof Error ? err : new Error(String(err)));
          },
        );
    },
    authorizeSubscribe(client, sub, done) {
      // a device may listen under its own topics (e.g. commands one day), never to another device's
      const deviceId = deviceOf.get(client);
      // (the id has no wildcard, so a filter that starts with the device's own prefix stays inside it)
      const ok = deviceId !== undefined && sub.topic.startsWith(`${TOPIC_PREFIX}${deviceId}/`);
      done(null, ok ? sub : null);
    },
  });

  /** a user's publication on a route's topic: authorised for the id, then handed over (PUBACK once handled) */
  function routePublish(
    users: { route: TopicRoute; principal: unknown }[],
    packet: { topic: string; payload: Buffer | string; retain: boolean },
    done: (err?: Error | null) => void,
  ): void {
    let hit: { route: TopicRoute; principal: unknown; id: string } | undefined;
    for (const u of users) {
      const id = idOfRouteTopic(u.route, packet.topic);
      if (id) {
        hit = { ...u, id };
        break;
      }
    }
    if (!hit) {
      counts.publishRefused++;
      done(new Error(`no route for ${packet.topic}`));
      return;
    }
    const { route, principal, id } = hit;
    packet.retain = false;
    const payload = Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload);
    route.authorize(principal, id).then(
      (ok) => {
        if (!ok) {
          counts.publishRefused++;
          return done(new Error(`not authorised to publish to ${packet.topic}`));
        }
        gate
          .run(() => route.handle(principal, id, payload))
          .then(
            () => {
              counts.received++;
              done(null);
            },
            (err: unknown) => {
              counts.sinkFailures++;
              log.warn(`MQTT ${route.name}: a message could not be stored, it will come again: ${String(err)}`);
              done(err instanceof Error ? err : new Error(String(err)));
            },
          );
      },
      (err: unknown) => done(err instanceof Error ? err : new Error(String(err))),
    );
  }

  broker.on('client', (client) => holder.set(client.id, client));
  broker.on('clientDisconnect', (client) => {
    if (holder.get(client.id) === client) holder.delete(client.id);
  });
  // aedes reports its own failures as 'error': said, never thrown out of the process
  (broker as unknown as NodeJS.EventEmitter).on('error', (err: Error) => log.warn(`MQTT broker: ${err.message}`));

  const server = createServer(broker.handle);
  const closeBroker = () => new Promise<void>((resolve) => broker.close(() => resolve()));
  try {
    server.listen(opts.port, host);
    await once(server, 'listening');
  } catch (err) {
    await closeBroker();
    const code = (err as NodeJS.ErrnoException).code;
    const reason =
      code === 'EADDRINUSE'
        ? `port ${opts.port} on ${host} is taken (another MQTT broker?)`
        : `cannot listen on ${host}:${opts.port}: ${(err as Error).message}`;
    log.warn(
      `The embedded MQTT broker is off: ${reason}. Set MQTT_PORT to a free port, or MQTT_URL to use that broker; ` +
        'Anlan keeps running and devices can still report over HTTP.',
    );
    return offTransport(reason, counts);
  }
  const port = (server.address() as { port: number }).port;
  log.info(`Embedded MQTT broker listening on ${host}:${port}`);
  return {
    port,
    publish: (topic, payload) =>
      new Promise<void>((resolve, reject) =>
        broker.publish(
          { cmd: 'publish', topic, payload: Buffer.from(payload), qos: 1, retain: false, dup: false },
          (err?: Error | null) => (err ? reject(err) : resolve()),
        ),
      ),
    status: () => ({ mode: 'embedded', port }),
    stats: () => ({ ...counts }),
    async close() {
      // closing aedes ends every client's connection, which lets the server close
      await Promise.all([new Promise<void>((resolve) => server.close(() => resolve())), closeBroker()]);
    },
  };
}

function offTransport(reason: string, counts: MqttStats): EmbeddedBroker {
  return {
    port: 0,
    status: () => ({ mode: 'off', reason }),
    stats: () => ({ ...counts }),
    close: async () => undefined,
  };
}

/** At most `limit` calls at once; the others start in the order they came. */
class Gate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly limit: number) {}

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running++;
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}

export type { MqttStatus };
