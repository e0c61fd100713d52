// Follows the nodes' log files and hands over complete lines. fs.watch gives
// quick wake-ups where it works; a ~250 ms stat poll is the fallback for files
// without a watcher (not there yet, or no inotify), and every 2 s a safety
// check of watched files too. Idle cost: with every file watched, one wake-up
// a second and a stat of each file every 2 s, no reads.

import { type FSWatcher, statSync, watch } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import type { NodeName } from '../base/names.js';

const POLL_MS = 250;
/** Even a watched file is checked this often, in case a change notification was missed. */
const WATCHED_CHECK_MS = 2000;
const CHUNK = 64 * 1024;

interface Followed {
	node: NodeName;
	path: string;
	offset: number;
	ino: number | null;
	partial: string;
	decoder: StringDecoder;
	watcher: FSWatcher | null;
	reading: boolean;
	again: boolean;
	checkedAt: number;
}

export function tailLogFiles(
	files: Record<NodeName, string>,
	onLine: (node: NodeName, line: string) => void,
	opts: { fromStart?: boolean; pollMs?: number } = {},
): { stop(): void } {
	let stopped = false;
	const followed: Followed[] = Object.entries(files).map(([node, path]) => ({
		node,
		path,
		offset: 0,
		ino: null,
		partial: '',
		decoder: new StringDecoder('utf8'),
		watcher: null,
		reading: false,
		again: false,
		checkedAt: 0,
	}));
	if (opts.fromStart !== true) {
		// "From now on" means from the moment of this call: take the current ends synchronously.
		for (const f of followed) {
			try {
				const info = statSync(f.path);
				f.ino = info.ino;
				f.offset = info.size;
			} catch {
				// appears later: read it from its start
			}
		}
	}

	const emit = (f: Followed, text: string) => {
		const parts = (f.partial + text).split('\n');
		f.partial = parts.pop() ?? '';
		for (const line of parts) {
			if (stopped) return;
			const clean = line.endsWith('\r') ? line.slice(0, -1) : line;
			if (clean !== '') onLine(f.node, clean);
		}
	};

	const reset = (f: Followed, ino: number | null, offset: number) => {
		f.ino = ino;
		f.offset = offset;
		f.partial = '';
		f.decoder = new StringDecoder('utf8');
	};

	const readNew = async (f: Followed): Promise<void> => {
		let info: Awaited<ReturnType<typeof stat>>;
		try {
			info = await stat(f.path);
		} catch {
			return; // not there (yet)
		}
		if (f.ino === null) {
			reset(f, info.ino, 0); // appeared after the start: all of it is new
			watchFile(f);
		} else if (info.ino !== f.ino || info.size < f.offset) {
			reset(f, info.ino, 0); // replaced or truncated: start over
			watchFile(f);
		}
		if (info.size <= f.offset) return;
		const handle = await open(f.path, 'r');
		try {
			const buf = Buffer.allocUnsafe(CHUNK);
			while (!stopped && f.offset < info.size) {
				const { bytesRead } = await handle.read(buf, 0, Math.min(CHUNK, info.size - f.offset), f.offset);
				if (bytesRead === 0) break;
				f.offset += bytesRead;
				emit(f, f.decoder.write(buf.subarray(0, bytesRead)));
			}
		} finally {
			await handle.close();
		}
	};

	const pump = (f: Followed) => {
		if (stopped) return;
		if (f.reading) {
			f.again = true;
			return;
		}
		f.reading = true;
		f.checkedAt = Date.now();
		readNew(f)
			.catch(() => {
				// a file that vanished between stat and open: the next tick retries
			})
			.finally(() => {
				f.reading = false;
				if (f.again && !stopped) {
					f.again = false;
					pump(f);
				}
			});
	};

	function watchFile(f: Followed): void {
		f.watcher?.close();
		f.watcher = null;
		try {
			f.watcher = watch(f.path, { persistent: false }, () => pump(f));
			f.watcher.on('error', () => {
				f.watcher?.close();
				f.watcher = null;
			});
		} catch {
			// no inotify: the poll alone will do
		}
	}

	for (const f of followed) {
		if (f.ino !== null) watchFile(f);
		pump(f);
	}
	const pollMs = opts.pollMs ?? POLL_MS;
	let timer: NodeJS.Timeout | null = null;
	const check = () => {
		const now = Date.now();
		for (const f of followed) if (f.watcher === null || now - f.checkedAt >= WATCHED_CHECK_MS) pump(f);
		// With every file watched only the safety check is due: waking every 250 ms for it was
		// 4 wake-ups a second of an idle sandbox for nothing (issue #12).
		const allWatched = followed.every((f) => f.watcher !== null);
		timer = setTimeout(check, allWatched ? Math.max(pollMs, WATCHED_CHECK_MS / 2) : pollMs);
		timer.unref();
	};
	timer = setTimeout(check, pollMs);
	timer.unref();

	return {
		stop() {
			if (stopped) return;
			stopped = true;
			if (timer) clearTimeout(timer);
			for (const f of followed) {
				f.watcher?.close();
				f.watcher = null;
			}
		},
	};
}
