import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../errors.ts';
import { ctxAs } from '../../test/factories.ts';
import { startTestPlatform, type TestPlatform } from '../../test/helpers.ts';
import type { RequestCtx } from '../core/context.ts';
import { JobService } from './jobs.service.ts';

let t: TestPlatform;
let owner: RequestCtx;
beforeAll(async () => {
  t = await startTestPlatform();
  owner = await ctxAs(t.platform, 'duty_officer', 'yjj', 'city', 'en');
});
afterAll(() => t.stop());

describe('jobs', () => {
  it('report progress and their result, to the owner and to holders of the permission', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const { job, done } = await t.platform.jobs.start(
      owner,
      { kind: 'test.count', permission: 'audit.read' },
      async (progress) => {
        progress({ phase: 'counting', done: 1, total: 2 });
        await gate;
        return { counted: 2 };
      },
    );
    expect(job.state).toBe('running');
    expect(job.ownerName).toBe(owner.actor.name);
    release();
    const finished = await done;
    expect(finished).toMatchObject({ state: 'done', phase: 'counting', done: 1, total: 2, result: { counted: 2 } });
    const auditor = await ctxAs(t.platform, 'auditor', 'szfb', 'city');
    expect((await t.platform.jobs.get(auditor, job.id)).state).toBe('done');
    const viewer = await ctxAs(t.platform, 'viewer', 'yjj', 'city');
    await expect(t.platform.jobs.get(viewer, job.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('keep a failure with its message in the owner’s language', async () => {
    const { done } = await t.platform.jobs.start(owner, { kind: 'test.fail', permission: 'audit.read' }, async () => {
      throw new AppError('VALIDATION', { field: 'rows.3.title', reason: 'required' });
    });
    const failed = await done;
    expect(failed.state).toBe('failed');
    expect(failed.error).toEqual({
      code: 'VALIDATION',
      field: 'rows.3.title',
      message: 'Invalid field rows.3.title: required',
    });
  });

  it('are marked failed when the instance running them stopped', async () => {
    const stopped = new JobService({ db: t.platform.db, clock: t.platform.clock, ids: t.platform.ids });
    const { job } = await stopped.start(
      owner,
      { kind: 'test.hang', permission: 'audit.read' },
      () => new Promise(() => {}),
    );
    stopped.stop();
    // another instance starts three minutes later
    const later = new JobService({
      db: t.platform.db,
      clock: { now: () => new Date(Date.now() + 4 * 60_000) },
      ids: t.platform.ids,
    });
    expect(await later.failAbandoned()).toBeGreaterThanOrEqual(1);
    const seen = await t.platform.jobs.get(owner, job.id);
    expect(seen.state).toBe('failed');
    expect(seen.error?.code).toBe('INTERRUPTED');
  });
});
