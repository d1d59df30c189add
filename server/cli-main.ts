import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from './config.ts';
import { AppError } from './errors.ts';
import { MODULES } from './modules.ts';
import { verifyAuditChain } from './platform/audit/audit.service.ts';
import type { VerifyResult } from './platform/audit/audit.ts';
import type { AnyModule, CliCommand, CliRun } from './platform/module.ts';
import { findRunningServer } from './platform/operator.ts';
import { createPlatform } from './platform/platform.ts';

/** `audit verify` is the platform's; every other command comes from a module's descriptor. */
const PLATFORM_COMMANDS: CliCommand<unknown>[] = [
  {
    name: 'audit verify',
    usage: 'audit verify',
    help:
      'Walk the hash-chained audit trail and check it against the anchors written outside the database\n' +
      '(ANLAN_AUDIT_ANCHORS); print the first tampered row, or that there is none (exit 1 if tampered).',
    async run(c) {
      const local = c.server ? undefined : (await c.local()).platform;
      const r = local
        ? await verifyAuditChain({ db: local.db, anchorsPath: local.config.auditAnchors })
        : await c.server!.call<VerifyResult>('/api/v1/audit/verify');
      for (const line of describeVerify(r)) c.print(line);
      return r.firstTampered ? 1 : 0;
    },
  },
];

/** The verification result as an operator reads it. */
function describeVerify(r: VerifyResult): string[] {
  const t = r.firstTampered;
  const anchors = r.anchors.count
    ? `${r.anchors.checked} of ${r.anchors.count} anchors checked (last: seq ${r.anchors.last?.seq} at ${r.anchors.last?.at})`
    : 'no anchors yet (they are written every minute the trail moves, and at shutdown)';
  const unreadable = r.anchors.unreadable
    ? [`WARNING: ${r.anchors.unreadable} unreadable lines in the anchor file`]
    : [];
  if (!t) {
    return [
      `audit chain intact: ${r.checked} rows checked, none tampered; ${anchors}`,
      ...(r.head ? [`head: seq ${r.head.seq} hash ${r.head.hash}`] : []),
      ...unreadable,
    ];
  }
  const what = {
    content: `its content does not match its hash`,
    link: `it does not link to the row before it`,
    anchor: `its hash differs from the one anchored at ${t.anchoredAt}: rows after seq ${t.after} up to it were rewritten and their hashes recomputed`,
    missing: `it was anchored at ${t.anchoredAt} and is gone`,
    truncated: `it was anchored at ${t.anchoredAt} but the trail ends before it: its newest rows were removed`,
  }[t.reason];
  return [`TAMPERED: audit row seq ${t.seq} (${t.reason}): ${what}; ${r.checked} rows checked`, ...unreadable];
}

function commands(modules: readonly AnyModule[]): { command: CliCommand<unknown>; module?: AnyModule }[] {
  return [
    ...PLATFORM_COMMANDS.map((command) => ({ command })),
    ...modules.flatMap((module) => (module.cli ?? []).map((command: CliCommand<unknown>) => ({ command, module }))),
  ];
}

function help(modules: readonly AnyModule[]): string {
  const lines = commands(modules).map(
    ({ command }) => `  npx anlan ${command.usage}\n${command.help.replace(/^/gm, '      ')}`,
  );
  return `anlan — operator commands for Anlan 安澜

Usage:
${lines.join('\n')}
  npx anlan --help

The commands read the same environment as the server (DATA_DIR, DATABASE_URL). When a server runs on the
same DATA_DIR (embedded or PostgreSQL), they go through its admin API; otherwise they open the database themselves.`;
}

export interface CliOptions {
  /** the environment the commands read (default: process.env) */
  env?: Record<string, string | undefined>;
  modules?: readonly AnyModule[];
  /** where output lines go (default: stdout) */
  out?: (line: string) => void;
  /** where complaints go (default: stderr) */
  err?: (line: string) => void;
}

/**
 * Runs one command line; resolves with the exit status (0 done, 1 failed, 2 not a command). Never throws: an error is
 * reported on `err`. bin/anlan.mjs runs it in its own process (cli.ts); tests call it in theirs.
 */
export async function runCli(argv: string[], opts: CliOptions = {}): Promise<number> {
  const err = opts.err ?? ((line: string) => console.error(line));
  try {
    return await main(argv, opts.modules ?? MODULES, opts.env ?? process.env, opts.out ?? ((l) => console.log(l)), err);
  } catch (e) {
    err(
      e instanceof ConfigError
        ? `configuration error: ${e.message}`
        : `error: ${e instanceof AppError ? e.message_('en') : (e as Error).message}`,
    );
    return 1;
  }
}

async function main(
  argv: string[],
  modules: readonly AnyModule[],
  env: Record<string, string | undefined>,
  out: (line: string) => void,
  err: (line: string) => void,
): Promise<number> {
  const all = commands(modules);
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = {
    help: { type: 'boolean', short: 'h' },
  };
  for (const { command } of all) Object.assign(options, command.options ?? {});
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options });
  if (values.help || positionals.length === 0) {
    out(help(modules));
    return 0;
  }
  const found = all
    .filter(({ command }) => {
      const words = command.name.split(' ');
      return words.every((w, i) => positionals[i] === w);
    })
    .sort((a, b) => b.command.name.length - a.command.name.length)[0];
  if (!found) {
    err(`unknown command: ${positionals.join(' ')}\n\n${help(modules)}`);
    return 2;
  }
  const config = loadConfig(env);
  // Through the running server whatever the engine: PGlite allows one process per data directory, and with
  // PostgreSQL the server's memory (the road engine, caches) must see the change as well.
  const server = findRunningServer(config.dataDir);
  let opened: Awaited<ReturnType<typeof createPlatform>> | undefined;
  const run: CliRun<unknown> = {
    args: positionals.slice(found.command.name.split(' ').length),
    values: values as Record<string, string | boolean | undefined>,
    server: server && {
      async call<T>(path: string, init?: { method: string; body: unknown }): Promise<T> {
        // a FormData body (an upload) goes as multipart/form-data, streamed; anything else as JSON
        const form = init?.body instanceof FormData ? init.body : undefined;
        const res = await fetch(`${server.url}${path}`, {
          method: init?.method ?? 'GET',
          headers: {
            authorization: `Bearer ${server.operatorToken}`,
            ...(form ? {} : { 'content-type': 'application/json' }),
            'accept-language': 'en',
          },
          body: form ?? (init ? JSON.stringify(init.body) : undefined),
        });
        const body = (await res.json()) as { error?: { message: string } };
        if (!res.ok) throw new Error(body.error?.message ?? `HTTP ${res.status}`);
        return body as T;
      },
    },
    async local() {
      opened ??= await createPlatform(config, modules);
      const api = found.module ? opened.modules.find((m) => m.descriptor === found.module)?.api : undefined;
      return { api, platform: opened.platform };
    },
    print: out,
  };
  try {
    return await found.command.run(run);
  } finally {
    // the process ends after one command, but a test's process carries on: nothing is left running
    opened?.platform.jobs.stop();
    await opened?.platform.workers.close();
    await opened?.platform.db.close();
  }
}
