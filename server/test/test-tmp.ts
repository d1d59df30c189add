import { mkdtempSync, rmSync, statfsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Where test databases live: a memory file system (/dev/shm) when there is one with room, else the system's
 * temporary directory. Each test file copies the 70 MB template and deletes its copy at the end, and PGlite writes
 * its files at every statement: on CI's disk the copy and the deletion alone took 2.5 s per file, in memory a tenth
 * of it. No test checks durability across a machine's crash, and PGlite's files are the same either way.
 */
export const TEST_TMP = (() => {
  const shm = '/dev/shm';
  try {
    const fs = statfsSync(shm);
    // two files' copies at once, the template, and what the tests write (road networks, imports), with room to spare
    if (fs.bavail * fs.bsize >= 2 * 1024 ** 3) {
      rmSync(mkdtempSync(join(shm, 'anlan-probe-')), { recursive: true });
      return shm;
    }
  } catch {
    // no /dev/shm (macOS), too small (a container's default 64 MB) or not writable: the temporary directory
  }
  return tmpdir();
})();
