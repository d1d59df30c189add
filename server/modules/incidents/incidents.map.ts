/** Incidents on the one map: their layer in the catalogue, a GeoJSON source, and search by number or title. */
import { LEVEL_INFO, LEVELS, UNASSESSED_COLOR } from '../../../contracts/incidents.ts';
import type { RequestCtx } from '../../platform/core/context.ts';
import type { LayerRegistration, SearchHit } from '../../platform/map-catalogue.ts';
import type { TypedApp } from '../../platform/module.ts';
import { type IncidentDeps, listIncidents } from './incidents.service.ts';

const OPEN = 'reported,verified,responding,recovering';

/** Open incidents with a location, as a FeatureCollection (the user's scope; personal fields left out). */
export async function incidentsGeoJson(deps: IncidentDeps, ctx: RequestCtx) {
  const { items } = await listIncidents(deps, ctx, { status: OPEN, limit: 500 });
  return {
    type: 'FeatureCollection' as const,
    features: items
      .filter((i) => i.location)
      .map((i) => ({
        type: 'Feature' as const,
        id: i.id,
        geometry: i.location,
        properties: {
          id: i.id,
          number: i.number,
          title: i.title,
          /** drill mode: the popup tags it 演练 */
          exercise: i.exercise?.title ?? null,
          level: i.level,
          status: i.status,
          typeCode: i.typeCode,
          occurredAt: i.occurredAt,
        },
      })),
  };
}

export function incidentMapRoutes(app: TypedApp, deps: IncidentDeps): void {
  app.get(
    '/api/v1/incidents/geojson',
    { config: { permission: 'incidents.read' }, schema: { tags: ['incidents'] } },
    async (req) => incidentsGeoJson(deps, req.ctx),
  );
}

export const INCIDENT_LAYER: LayerRegistration = {
  layer: {
    id: 'incidents',
    name: '突发事件',
    nameEn: 'Incidents',
    group: 'incidents',
    source: { kind: 'geojson', url: '/api/v1/incidents/geojson' },
    geometry: 'point',
    defaultOn: true,
    legend: [
      ...LEVELS.map((l) => ({
        label: `${l}级 ${LEVEL_INFO[l].zh}`,
        labelEn: `Level ${l}`,
        color: LEVEL_INFO[l].color,
      })),
      { label: '未定级', labelEn: 'Not assessed', color: UNASSESSED_COLOR },
    ],
  },
  permission: 'incidents.read',
  order: 50,
};

/**
 * Incidents by number or title, for the map's search box. A closed incident is found too (by its number, say) but
 * the map draws it only with "Show closed" on: its hit says so, rather than flying to an empty spot unexplained.
 */
export async function searchIncidents(
  deps: IncidentDeps,
  ctx: RequestCtx,
  q: string,
  limit: number,
): Promise<SearchHit[]> {
  const { items } = await listIncidents(deps, ctx, { q, limit });
  return items
    .filter((i) => i.location)
    .map((i) => {
      const closed = i.status === 'closed';
      return {
        kind: 'incident',
        id: `incident:${i.id}`,
        name: i.title,
        subtitle: `${i.number} · ${i.level ? `${i.level}级` : '未定级'}${closed ? ' · 已关闭（打开“显示已关闭”后在地图上显示）' : ''}`,
        subtitleEn: `${i.number} · ${i.level ? `level ${i.level}` : 'not assessed'}${closed ? ' · closed (on the map with “Show closed”)' : ''}`,
        point: i.location!.coordinates as [number, number],
      };
    });
}
