import { Type as T } from 'typebox';
import {
  ActivationEnd,
  ActivationInput,
  ActivationPatch,
  Assignee,
  CommentInput,
  Plan,
  PlanActivation,
  PlanInput,
  PlanListQuery,
  PlanPatch,
  PlanVersion,
  Suggestion,
  Task,
  TaskComment,
  TaskListQuery,
  TaskPatch,
} from '../../../contracts/command.ts';
import { IdParams, ListOf } from '../../../contracts/common.ts';
import { Incident } from '../../../contracts/incidents.ts';
import { whenClientGone } from '../../platform/http/client-gone.ts';
import { prefixedAttachment, XLSX_TYPE } from '../../platform/http/download.ts';
import type { TypedApp } from '../../platform/module.ts';
import { cityDate } from '../../platform/time.ts';
import { exportPlans } from './plans.export.ts';
import * as plans from './plans.service.ts';
import * as response from './response.service.ts';
import * as tasks from './tasks.service.ts';

const ActivationParams = T.Object({ id: T.String({ format: 'uuid' }), aid: T.String({ format: 'uuid' }) });
const Suggestions = ListOf(Suggestion);

export function commandRoutes(app: TypedApp, deps: response.ResponseDeps): void {
  const tags = ['command'];
  // ————— plans —————
  app.get(
    '/api/v1/plans',
    {
      config: { permission: 'plans.read' },
      schema: { tags, querystring: PlanListQuery, response: { 200: ListOf(Plan) } },
    },
    async (req) => plans.listPlans(deps, req.ctx, req.query),
  );
  app.post(
    '/api/v1/plans',
    { config: { permission: 'plans.manage' }, schema: { tags, body: PlanInput, response: { 201: Plan } } },
    async (req, reply) => {
      const plan = await plans.createPlan(deps, req.ctx, req.body);
      return reply.status(201).header('location', `/api/v1/plans/${plan.id}`).send(plan);
    },
  );
  app.get(
    '/api/v1/plans/export.xlsx',
    {
      config: { permission: 'plans.read' },
      schema: {
        tags,
        description: 'The plans register as an Excel workbook, same filters as the list.',
        querystring: PlanListQuery,
      },
    },
    async (req, reply) => {
      const { file, rows } = await exportPlans(deps, req.ctx, req.query, whenClientGone(reply));
      const name = `plans-${cityDate(deps.clock.now())}.xlsx`;
      return reply
        .header('content-type', XLSX_TYPE)
        .header('content-disposition', prefixedAttachment('应急预案', name))
        .header('x-row-count', String(rows))
        .send(file);
    },
  );
  app.get(
    '/api/v1/plans/:id',
    { config: { permission: 'plans.read' }, schema: { tags, params: IdParams, response: { 200: Plan } } },
    async (req) => plans.getPlan(deps, req.ctx, req.params.id),
  );
  app.patch(
    '/api/v1/plans/:id',
    {
      config: { permission: 'plans.manage' },
      schema: {
        tags,
        description:
          'Edits, approves (`status: approved`, permission plans.approve) or retires a plan. Every change of an ' +
          'approved plan is a new edition, kept in `GET /api/v1/plans/{id}/versions`.',
        params: IdParams,
        body: PlanPatch,
        response: { 200: Plan },
      },
    },
    async (req) => plans.updatePlan(deps, req.ctx, req.params.id, req.body),
  );
  app.get(
    '/api/v1/plans/:id/versions',
    {
      config: { permission: 'plans.read' },
      schema: { tags, params: IdParams, response: { 200: ListOf(PlanVersion) } },
    },
    async (req) => plans.planVersions(deps, req.ctx, req.params.id),
  );

  // ————— suggestions, promotion —————
  app.get(
    '/api/v1/incidents/:id/plan-suggestions',
    {
      config: { permission: 'plans.read' },
      schema: {
        tags,
        description:
          "Approved digital plans whose hazard codes cover the incident's type (a code covers the types under it), " +
          "whose minLevel its level meets (unassessed: offered at the plan's minLevel) and whose districts contain it.",
        params: IdParams,
        response: { 200: Suggestions },
      },
    },
    async (req) => response.incidentSuggestions(deps, req.ctx, req.params.id),
  );
  app.get(
    '/api/v1/warnings/:id/plan-suggestions',
    {
      config: { permission: 'plans.read' },
      schema: { tags, params: IdParams, response: { 200: Suggestions } },
    },
    async (req) => response.warningSuggestions(deps, req.ctx, req.params.id),
  );
  app.post(
    '/api/v1/warnings/:id/promote',
    {
      config: { permission: 'incidents.create' },
      schema: {
        tags,
        description: 'The warning becomes an incident in one step; the answer carries the plans it calls for.',
        params: IdParams,
        response: { 201: T.Object({ incident: Incident, suggestions: Suggestions }) },
      },
    },
    async (req, reply) => reply.status(201).send(await response.promoteWarning(deps, req.ctx, req.params.id)),
  );

  // ————— activations —————
  app.get(
    '/api/v1/incidents/:id/activations',
    {
      config: { permission: 'tasks.read' },
      schema: { tags, params: IdParams, response: { 200: ListOf(PlanActivation) } },
    },
    async (req) => response.listActivations(deps, req.ctx, req.params.id),
  );
  app.post(
    '/api/v1/incidents/:id/activations',
    {
      config: { permission: 'plans.activate' },
      schema: { tags, params: IdParams, body: ActivationInput, response: { 201: PlanActivation } },
    },
    async (req, reply) => reply.status(201).send(await response.activate(deps, req.ctx, req.params.id, req.body)),
  );
  app.patch(
    '/api/v1/incidents/:id/activations/:aid',
    {
      config: { permission: 'plans.activate' },
      schema: {
        tags,
        description:
          "Raises or lowers the response level: the new level's actions without a live task get one (due from now); " +
          'open tasks of actions the new level lacks are cancelled with a note; done tasks stay done.',
        params: ActivationParams,
        body: ActivationPatch,
        response: { 200: PlanActivation },
      },
    },
    async (req) => response.changeLevel(deps, req.ctx, req.params.id, req.params.aid, req.body),
  );
  app.post(
    '/api/v1/incidents/:id/activations/:aid/end',
    {
      config: { permission: 'plans.activate' },
      schema: { tags, params: ActivationParams, body: ActivationEnd, response: { 200: PlanActivation } },
    },
    async (req) => response.endActivation(deps, req.ctx, req.params.id, req.params.aid, req.body),
  );

  // ————— tasks —————
  app.get(
    '/api/v1/tasks',
    {
      config: { permission: 'tasks.read' },
      schema: { tags, querystring: TaskListQuery, response: { 200: ListOf(Task) } },
    },
    async (req) => tasks.listTasks(deps, req.ctx, req.query),
  );
  app.get(
    '/api/v1/tasks/:id',
    { config: { permission: 'tasks.read' }, schema: { tags, params: IdParams, response: { 200: Task } } },
    async (req) => tasks.getTask(deps, req.ctx, req.params.id),
  );
  app.patch(
    '/api/v1/tasks/:id',
    {
      config: { permission: 'tasks.update' },
      schema: { tags, params: IdParams, body: TaskPatch, response: { 200: Task } },
    },
    async (req) => tasks.updateTask(deps, req.ctx, req.params.id, req.body),
  );
  app.get(
    '/api/v1/tasks/:id/comments',
    {
      config: { permission: 'tasks.read' },
      schema: { tags, params: IdParams, response: { 200: ListOf(TaskComment) } },
    },
    async (req) => tasks.listComments(deps, req.ctx, req.params.id),
  );
  app.post(
    '/api/v1/tasks/:id/comments',
    {
      config: { permission: 'tasks.update' },
      schema: { tags, params: IdParams, body: CommentInput, response: { 201: TaskComment } },
    },
    async (req, reply) => reply.status(201).send(await tasks.addComment(deps, req.ctx, req.params.id, req.body)),
  );
  app.get(
    '/api/v1/tasks/:id/assignees',
    {
      config: { permission: 'tasks.read' },
      schema: { tags, params: IdParams, response: { 200: ListOf(Assignee) } },
    },
    async (req) => tasks.assignees(deps, req.ctx, req.params.id),
  );
}
