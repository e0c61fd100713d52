// A separate natslab-like process that writes a run file through the real
// run-file API, for the lock tests (test/unit/cluster/run-file-lock.test.ts).
//   count <run.json> <go-file> <n>   waits for <go-file>, then n read-modify-writes that each add 1 to
//                                    basePort, pausing 1 ms between the read and the write (the
//                                    window in which an unlocked writer loses another's update)
//   unlocked <run.json> <go-file> <n>   the same without the lock (readRunFile, then writeRunFile)
//   hold <run.json> <ms>             one update that adds 1000 and holds the lock for <ms>
import { existsSync } from 'node:fs';
import { type RunFile, readRunFile, updateRunFile, writeRunFile } from '../../src/cluster/run-file.js';

const sleeper = new Int32Array(new SharedArrayBuffer(4));
const sleep = (ms: number) => Atomics.wait(sleeper, 0, 0, ms);

function bump(current: RunFile | null | 'invalid', by: number): RunFile {
	if (current === null || current === 'invalid') throw new Error(`run file is ${current}`);
	return { ...current, basePort: current.basePort + by };
}

const [mode, path = '', arg = '', n = '0'] = process.argv.slice(2);
if (mode === 'count' || mode === 'unlocked') {
	while (!existsSync(arg)) sleep(2);
	for (let i = 0; i < Number(n); i++) {
		if (mode === 'count') {
			updateRunFile(path, (current) => {
				const next = bump(current, 1);
				sleep(1);
				return next;
			});
		} else {
			const next = bump(readRunFile(path), 1);
			sleep(1);
			writeRunFile(path, next);
		}
	}
} else if (mode === 'hold') {
	updateRunFile(path, (current) => {
		process.stdout.write('holding\n');
		sleep(Number(arg));
		return bump(current, 1000);
	});
} else {
	throw new Error(`unknown mode ${mode}`);
}
