// The anchor of the list benchmark: a plain Fastify route, no database, no auth, answering each URL with the
// body Anlan gave for it (captured just before). Run as a child process: ANCHOR_BODIES=<json file> PORT=<port>.
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';

const file = process.env.ANCHOR_BODIES;
const port = Number(process.env.PORT);
if (!file || !port) throw new Error('ANCHOR_BODIES and PORT are required');
const bodies = new Map<string, unknown>(
  Object.entries(JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>).map(([url, body]) => [
    url,
    JSON.parse(body),
  ]),
);

const app = Fastify({ logger: false });
app.get('/api/v1/incidents', async (req, reply) => {
  const body = bodies.get(req.url);
  return body === undefined ? reply.status(404).send({ error: { code: 'NOT_FOUND' } }) : body;
});
await app.listen({ port, host: '127.0.0.1' });
console.log(`anchor listening on http://127.0.0.1:${port}`);
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => void app.close().then(() => process.exit(0)));
