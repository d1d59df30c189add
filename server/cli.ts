// `npx anlan` (bin/anlan.mjs runs this file through tsx): one command line, its status as the exit code. The
// commands are in cli-main.ts, which the tests also call in their own process.
import { runCli } from './cli-main.ts';

runCli(process.argv.slice(2)).then((code) => process.exit(code));
