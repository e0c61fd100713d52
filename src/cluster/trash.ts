// A fresh start clears the previous run's data and logs. Deleting them before the first spawn
// took ~50 ms of the sandbox's start on this 2-core machine with a short previous run (issue #12:
// the dashboard ≤ 1 s), and grows with the JetStream store a long run leaves. So they are moved
// aside (one rename each, same filesystem) and deleted behind the start; a trash that a run
// killed mid-delete left behind goes with the next start.

import { mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';

const TRASH_PREFIX = '.trash-';
/** Trash this process is deleting: a second fresh start (the next lesson) must not delete it again. */
const deleting = new Set<string>();

/** Empties `dirs` (children of `workspaceDir`) now, and deletes what they held in the background. */
export function clearAside(workspaceDir: string, dirs: string[]): void {
	const trash = join(workspaceDir, `${TRASH_PREFIX}${process.pid}-${Date.now()}-${deleting.size}`);
	mkdirSync(trash, { recursive: true });
	dirs.forEach((dir, i) => {
		try {
			renameSync(dir, join(trash, String(i)));
		} catch (err) {
			// Absent: nothing to clear. Anything else (another filesystem): delete it here, as before.
			if ((err as NodeJS.ErrnoException).code !== 'ENOENT') rmSync(dir, { recursive: true, force: true });
		}
	});
	for (const entry of readdirSync(workspaceDir)) {
		const path = join(workspaceDir, entry);
		if (!entry.startsWith(TRASH_PREFIX) || deleting.has(path)) continue;
		deleting.add(path);
		rm(path, { recursive: true, force: true, maxRetries: 2 })
			.catch(() => {}) // left for the next start
			.finally(() => deleting.delete(path));
	}
}
