import { Type as T } from 'typebox';
import { IdParams, ListOf } from '../../../contracts/common.ts';
import {
  Exercise,
  ExerciseInput,
  ExerciseListQuery,
  ExercisePatch,
  ExerciseSummary,
  InjectParams,
  TargetsInput,
  TargetsSetting,
  VersionBody,
} from '../../../contracts/exercises.ts';
import { attachment } from '../../platform/http/download.ts';
import type { TypedApp } from '../../platform/module.ts';
import { exerciseReport } from './exercise-docx.ts';
import * as svc from './exercises.service.ts';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

export function exercisesRoutes(app: TypedApp, deps: svc.ExercisesDeps): void {
  const tags = ['exercises'];
  app.get(
    '/api/v1/exercises',
    {
      config: { permission: 'exercises.read' },
      schema: { tags, querystring: ExerciseListQuery, response: { 200: ListOf(ExerciseSummary) } },
    },
    async (req) => svc.listExercises(deps, req.ctx, req.query),
  );
  app.get(
    '/api/v1/exercises/running',
    {
      config: { permission: 'exercises.read' },
      schema: {
        tags,
        description: 'The exercises running now (the banner the app shows while a drill is on)',
        response: {
          200: T.Array(T.Object({ id: T.String(), number: T.String(), title: T.String(), startedAt: T.String() })),
        },
      },
    },
    async (req) => svc.running(deps, req.ctx),
  );
  app.get(
    '/api/v1/exercises/targets',
    { config: { permission: 'exercises.read' }, schema: { tags, response: { 200: TargetsSetting } } },
    async () => svc.getTargets(deps),
  );
  app.put(
    '/api/v1/exercises/targets',
    {
      config: { permission: 'exercises.settings' },
      schema: { tags, body: TargetsInput, response: { 200: TargetsSetting } },
    },
    async (req) => svc.setTargets(deps, req.ctx, req.body),
  );
  app.post(
    '/api/v1/exercises',
    { config: { permission: 'exercises.run' }, schema: { tags, body: ExerciseInput, response: { 201: Exercise } } },
    async (req, reply) => {
      const e = await svc.createExercise(deps, req.ctx, req.body);
      return reply.status(201).header('location', `/api/v1/exercises/${e.id}`).send(e);
    },
  );
  app.get(
    '/api/v1/exercises/:id',
    { config: { permission: 'exercises.read' }, schema: { tags, params: IdParams, response: { 200: Exercise } } },
    async (req) => svc.getExercise(deps, req.ctx, req.params.id),
  );
  app.patch(
    '/api/v1/exercises/:id',
    {
      config: { permission: 'exercises.run' },
      schema: { tags, params: IdParams, body: ExercisePatch, response: { 200: Exercise } },
    },
    async (req) => svc.updateExercise(deps, req.ctx, req.params.id, req.body),
  );
  for (const [verb, fn] of [
    ['start', svc.startExercise],
    ['end', svc.endExercise],
    ['cancel', svc.cancelExercise],
  ] as const)
    app.post(
      `/api/v1/exercises/:id/${verb}`,
      {
        config: { permission: 'exercises.run' },
        schema: { tags, params: IdParams, body: VersionBody, response: { 200: Exercise } },
      },
      async (req) => fn(deps, req.ctx, req.params.id, req.body.version),
    );
  app.post(
    '/api/v1/exercises/:id/injects/:injectId/play',
    {
      config: { permission: 'exercises.run' },
      schema: {
        tags,
        params: InjectParams,
        description: 'Play an inject now ("play now")',
        response: { 200: Exercise },
      },
    },
    async (req) => svc.playNow(deps, req.ctx, req.params.id, req.params.injectId),
  );
  app.get(
    '/api/v1/exercises/:id/report.docx',
    {
      config: { permission: 'exercises.read' },
      schema: { tags, params: IdParams, description: 'The evaluation report (演练评估报告) as a Word document' },
    },
    async (req, reply) => {
      const ex = await svc.getExercise(deps, req.ctx, req.params.id);
      const file = await exerciseReport(ex, deps.clock.now());
      return reply
        .header('content-type', DOCX)
        .header('content-disposition', attachment(`演练评估报告-${ex.number}.docx`, `exercise-${ex.number}.docx`))
        .send(file);
    },
  );
}
