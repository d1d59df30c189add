import { createHash } from 'node:crypto';
import { Type as T } from 'typebox';
import type { TypedApp } from '../../platform/module.ts';
import { glyphRange } from './glyphs.ts';
import { MAP_THEMES } from './map-style.ts';
import type { createTileService, TileDeps } from './tiles.service.ts';

/**
 * The offline basemap, public like /api/v1/geo/basemap (map data only): vector tiles, the MapLibre style, glyphs.
 * Tiles revalidate on every use (ETag from the data version): a closed road or a new network shows at the next
 * reload, and an unchanged tile costs a 304.
 */
export function tileRoutes(app: TypedApp, deps: TileDeps & { service: ReturnType<typeof createTileService> }): void {
  const etag = () =>
    `"${createHash('sha1')
      .update(`${deps.version()}|${deps.network()?.id ?? '-'}`)
      .digest('base64url')
      .slice(0, 20)}"`;

  app.get(
    '/tiles/:z/:x/:y.mvt',
    {
      config: { public: true },
      schema: {
        tags: ['geo'],
        summary: 'A Mapbox Vector Tile of the basemap (layers roads, water, land, boundaries, boundary_labels)',
        params: T.Object({
          z: T.Integer({ minimum: 0, maximum: 22 }),
          x: T.Integer({ minimum: 0 }),
          y: T.Integer({ minimum: 0 }),
        }),
      },
    },
    async (req, reply) => {
      const { z, x, y } = req.params;
      const tag = etag();
      reply.header('etag', tag).header('cache-control', 'no-cache');
      if (req.headers['if-none-match'] === tag) return reply.status(304).send();
      const bytes = await deps.service.tile(z, x, y);
      if (!bytes.length) return reply.status(204).send();
      return reply.type('application/vnd.mapbox-vector-tile').send(bytes);
    },
  );

  app.get(
    '/map/style.json',
    {
      config: { public: true },
      schema: {
        tags: ['geo'],
        summary: 'The MapLibre style of the basemap (Anlan tiles and glyphs only)',
        querystring: T.Object({
          lang: T.Optional(T.Enum(['zh', 'en'] as const, { default: 'zh' })),
          theme: T.Optional(T.Enum(MAP_THEMES, { default: 'light', description: 'light (default) or dark' })),
        }),
      },
    },
    async (req, reply) => {
      const { lang = 'zh', theme = 'light' } = req.query;
      await deps.service.prepare();
      reply.header('cache-control', 'no-cache');
      return deps.service.style(lang, `${req.protocol}://${req.host}`, theme);
    },
  );

  app.get(
    '/map/glyphs/:fontstack/:range.pbf',
    {
      config: { public: true },
      schema: {
        tags: ['geo'],
        summary: 'Latin glyphs (SDF) of the basemap; other ranges answer an empty glyph set',
        params: T.Object({ fontstack: T.String({ minLength: 1, maxLength: 200 }), range: T.String() }),
      },
    },
    async (req, reply) => {
      const { fontstack, range } = req.params;
      const bytes = glyphRange(fontstack, range);
      return reply.type('application/x-protobuf').header('cache-control', 'public, max-age=86400').send(bytes);
    },
  );
}
