import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import {
	isAlive,
	isSameProcess,
	parseProcStat,
	processStartTime,
	processState,
	waitForDeath,
} from '../../../src/cluster/process-info.js';

const children: ChildProcess[] = [];
afterEach(() => {
	for (const c of children.splice(0)) c.kill('SIGKILL');
});

function sleeper(): ChildProcess & { pid: number } {
	const c = spawn('sleep', ['60'], { stdio: 'ignore' });
	children.push(c);
	if (c.pid === undefined) throw new Error('no pid');
	return c as ChildProcess & { pid: number };
}

const linux = process.platform === 'linux';

describe('parseProcStat', () => {
	it('reads state (field 3) and start time (field 22) past a command name with spaces and parens', () => {
		// A real line from /proc/<pid>/stat with a hostile command name.
		const line =
			'4242 (nats (x) y) S 1 4242 4242 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 9 0 987654 1000 100 18446744073709551615';
		expect(parseProcStat(line)).toEqual({ state: 'S', startTime: '987654' });
		expect(parseProcStat('garbage')).toBeNull();
	});
});

describe.runIf(linux)('process facts from /proc', () => {
	it('gives this process the start time in /proc/self/stat', () => {
		const own = readFileSync(`/proc/${process.pid}/stat`, 'utf8');
		const field22 = own.slice(own.lastIndexOf(')') + 2).split(' ')[19];
		expect(processStartTime(process.pid)).toBe(field22);
		expect(processState(process.pid)).toBe('running');
	});

	it('tells a paused process from a running one, and a dead one from both', async () => {
		const c = sleeper();
		expect(isAlive(c.pid)).toBe(true);
		c.kill('SIGSTOP');
		await expect.poll(() => processState(c.pid)).toBe('paused');
		expect(isAlive(c.pid)).toBe(true);
		c.kill('SIGCONT');
		c.kill('SIGKILL');
		expect(await waitForDeath(c.pid, 5000)).toBe(true);
		expect(isAlive(c.pid)).toBe(false);
		expect(processStartTime(c.pid)).toBeNull();
	});

	it('counts a zombie as dead although kill -0 still succeeds on it', async () => {
		// `sleep 30` inherits the backgrounded `sleep 0.05` from the exec'ing shell and never reaps it.
		const parent = spawn('sh', ['-c', 'sleep 0.05 & echo $!; exec sleep 30'], {
			stdio: ['ignore', 'pipe', 'ignore'],
		});
		children.push(parent);
		const zombie = await new Promise<number>((resolve) => {
			parent.stdout?.once('data', (d: Buffer) => resolve(Number(d.toString().trim())));
		});
		await expect.poll(() => processState(zombie), { timeout: 5000 }).toBe('zombie');
		expect(() => process.kill(zombie, 0)).not.toThrow();
		expect(isAlive(zombie)).toBe(false);
		expect(processStartTime(zombie)).toBeNull();
	});

	it('recognises the same incarnation only with the recorded start time', () => {
		const c = sleeper();
		const start = processStartTime(c.pid);
		expect(start).not.toBeNull();
		expect(isSameProcess(c.pid, start)).toBe(true);
		expect(isSameProcess(c.pid, String(Number(start) - 1))).toBe(false);
		expect(isSameProcess(c.pid, null)).toBe(false);
	});
});
