import { Type as T } from 'typebox';
import { IdParams, ListOf, Version } from '../../../contracts/common.ts';
import {
  HazardIdentification,
  HazardIdentificationRequest,
  HazardUnit,
  HazardUnitInput,
  HazardUnitPatch,
  MajorHazardQuery,
  RiskCounts,
  RiskPoint,
  RiskPointInput,
  RiskPointPatch,
  RiskPointQuery,
} from '../../../contracts/safety.ts';
import type { TypedApp } from '../../platform/module.ts';
import * as hz from './hazards.service.ts';
import * as rp from './risk-points.service.ts';
import type { SafetyDeps } from './safety.deps.ts';

const Uuid = T.String({ format: 'uuid' });
const UnitParams = T.Object({ id: Uuid, unitId: Uuid });
const PointParams = T.Object({ id: Uuid, pointId: Uuid });
const Removal = T.Object({ version: Version() });
const Removed = T.Object({ id: Uuid });

/** GB 18218-2018 identification, hazard units, the major hazards register; risk points and their counts. */
export function hazardRoutes(app: TypedApp, deps: SafetyDeps): void {
  const tags = ['safety'];
  app.post(
    '/api/v1/safety/hazard-identification',
    {
      config: { permission: 'enterprises.read' },
      schema: {
        tags,
        description:
          'GB 18218-2018: S = Σq/Q, a major hazard when S ≥ 1; then R = α·Σβq/Q and the grade (Table 6); the working per substance',
        body: HazardIdentificationRequest,
        response: { 200: HazardIdentification },
      },
    },
    async (req) => hz.identifyRequest(req.ctx, req.body),
  );
  app.get(
    '/api/v1/safety/major-hazards',
    {
      config: { permission: 'enterprises.read' },
      schema: {
        tags,
        description: 'Hazard units identified as major hazards, across the enterprises within the caller’s scope',
        querystring: MajorHazardQuery,
        response: { 200: ListOf(HazardUnit) },
      },
    },
    async (req) => hz.listMajorHazards(deps, req.ctx, req.query),
  );
  app.get(
    '/api/v1/enterprises/:id/hazard-units',
    {
      config: { permission: 'enterprises.read' },
      schema: { tags, params: IdParams, response: { 200: T.Array(HazardUnit) } },
    },
    async (req) => hz.listHazardUnits(deps, req.ctx, req.params.id),
  );
  app.post(
    '/api/v1/enterprises/:id/hazard-units',
    {
      config: { permission: 'enterprises.manage' },
      schema: { tags, params: IdParams, body: HazardUnitInput, response: { 201: HazardUnit } },
    },
    async (req, reply) => reply.status(201).send(await hz.createHazardUnit(deps, req.ctx, req.params.id, req.body)),
  );
  app.patch(
    '/api/v1/enterprises/:id/hazard-units/:unitId',
    {
      config: { permission: 'enterprises.manage' },
      schema: { tags, params: UnitParams, body: HazardUnitPatch, response: { 200: HazardUnit } },
    },
    async (req) => hz.updateHazardUnit(deps, req.ctx, req.params.id, req.params.unitId, req.body),
  );
  app.delete(
    '/api/v1/enterprises/:id/hazard-units/:unitId',
    {
      config: { permission: 'enterprises.manage' },
      schema: { tags, params: UnitParams, querystring: Removal, response: { 200: Removed } },
    },
    async (req) => hz.removeHazardUnit(deps, req.ctx, req.params.id, req.params.unitId, req.query.version),
  );
  app.get(
    '/api/v1/enterprises/:id/risk-points',
    {
      config: { permission: 'enterprises.read' },
      schema: { tags, params: IdParams, response: { 200: T.Array(RiskPoint) } },
    },
    async (req) => rp.listEnterpriseRiskPoints(deps, req.ctx, req.params.id),
  );
  app.post(
    '/api/v1/enterprises/:id/risk-points',
    {
      config: { permission: 'enterprises.manage' },
      schema: { tags, params: IdParams, body: RiskPointInput, response: { 201: RiskPoint } },
    },
    async (req, reply) => reply.status(201).send(await rp.createRiskPoint(deps, req.ctx, req.params.id, req.body)),
  );
  app.patch(
    '/api/v1/enterprises/:id/risk-points/:pointId',
    {
      config: { permission: 'enterprises.manage' },
      schema: { tags, params: PointParams, body: RiskPointPatch, response: { 200: RiskPoint } },
    },
    async (req) => rp.updateRiskPoint(deps, req.ctx, req.params.id, req.params.pointId, req.body),
  );
  app.delete(
    '/api/v1/enterprises/:id/risk-points/:pointId',
    {
      config: { permission: 'enterprises.manage' },
      schema: { tags, params: PointParams, querystring: Removal, response: { 200: Removed } },
    },
    async (req) => rp.removeRiskPoint(deps, req.ctx, req.params.id, req.params.pointId, req.query.version),
  );
  app.get(
    '/api/v1/safety/risk-points',
    {
      config: { permission: 'enterprises.read' },
      schema: {
        tags,
        description: 'Risk points across the enterprises within the caller’s scope; colours by the rule in force',
        querystring: RiskPointQuery,
        response: { 200: ListOf(RiskPoint) },
      },
    },
    async (req) => rp.listRiskPoints(deps, req.ctx, req.query),
  );
  app.get(
    '/api/v1/safety/risk-points/counts',
    {
      config: { permission: 'enterprises.read' },
      schema: {
        tags,
        description: 'Four-colour counts of the active risk points within the caller’s scope, by district',
        querystring: T.Object({
          district: T.Optional(T.String({ maxLength: 64 })),
          industry: T.Optional(RiskPointQuery.properties.industry),
        }),
        response: { 200: RiskCounts },
      },
    },
    async (req) => rp.riskCounts(deps, req.ctx, req.query),
  );
}
