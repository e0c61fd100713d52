// The crash path makes process.stdin only when something reads it (creating it costs
// 5-20 ms, which `cluster status` need not pay: issue #12), and the stream made then
// still gets the crash path's error handler. Checked in a child process: the test
// runner's own stdin is made long before.

import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const CLEANUP = resolve(import.meta.dirname, '..', '..', '..', 'src', 'lab', 'cleanup.ts');

const script = `
import { installCrashHandlers } from ${JSON.stringify(CLEANUP)};
import { getEventListeners } from 'node:events';
const before = Object.getOwnPropertyDescriptor(process, 'stdin').get;
installCrashHandlers();
const wrapped = Object.getOwnPropertyDescriptor(process, 'stdin').get !== before;
const stdin = process.stdin;
const after = Object.getOwnPropertyDescriptor(process, 'stdin').get === before;
console.log(JSON.stringify({
	wrapped,
	restored: after,
	same: process.stdin === stdin,
	stdinErrorHandlers: getEventListeners(stdin, 'error').length,
}));
process.exit(0);
`;

describe('stdin made on demand', () => {
	it('is not made by installing the crash path, and gets its error handler when it is', () => {
		const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
			encoding: 'utf8',
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		expect(JSON.parse(out)).toEqual({
			wrapped: true,
			restored: true,
			same: true,
			stdinErrorHandlers: 1,
		});
	});
});
