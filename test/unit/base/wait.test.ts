import { describe, expect, it } from 'vitest';
import {
	abortable,
	delay,
	WaitAborted,
	WaitTimeout,
	type Watchable,
	waitFor,
	waitUntil,
} from '../../../src/base/wait.js';

/** A state holder like the Lab's store: set() notifies every listener. */
function holder<S>(initial: S): Watchable<S> & { set(s: S): void; listeners(): number } {
	let state = initial;
	const listeners = new Set<(s: S) => void>();
	return {
		getState: () => state,
		subscribe(l) {
			listeners.add(l);
			return () => listeners.delete(l);
		},
		set(s) {
			state = s;
			for (const l of [...listeners]) l(s);
		},
		listeners: () => listeners.size,
	};
}

describe('waitFor', () => {
	it('resolves with the first defined value, at once when the state already holds it', async () => {
		const h = holder(7);
		await expect(waitFor(h, (s) => (s > 5 ? s * 2 : undefined), { timeoutMs: 10_000 })).resolves.toBe(14);
		expect(h.listeners()).toBe(0);
	});

	it('resolves on a state change, not on a timer (the tick is an hour)', async () => {
		const h = holder(0);
		const p = waitFor(h, (s) => (s === 3 ? 'three' : undefined), { timeoutMs: 60_000, everyMs: 3_600_000 });
		h.set(1);
		h.set(3);
		await expect(p).resolves.toBe('three');
		expect(h.listeners()).toBe(0);
	});

	it('re-checks on the timer, so time alone can make a condition true', async () => {
		const h = holder('quiet');
		let asked = 0;
		const value = await waitFor(h, () => (++asked >= 3 ? asked : undefined), {
			timeoutMs: 60_000,
			everyMs: 5,
		});
		expect(value).toBe(3);
	});

	it('rejects with WaitTimeout and the described message once the clock passes the deadline', async () => {
		const h = holder(0);
		let now = 1000;
		const p = waitFor(h, () => undefined, {
			timeoutMs: 500,
			clock: () => now,
			everyMs: 5,
			describe: () => 'no meta leader (n1: none)',
		});
		now = 1499;
		h.set(1);
		now = 1500;
		await expect(p).rejects.toThrow(new WaitTimeout('no meta leader (n1: none)'));
		expect(h.listeners()).toBe(0);
	});

	it('rejects when aborted, with WaitAborted or the caller’s own error, and stops listening', async () => {
		const h = holder(0);
		const ctl = new AbortController();
		const p = waitFor(h, () => undefined, { timeoutMs: 60_000, signal: ctl.signal });
		ctl.abort();
		await expect(p).rejects.toBeInstanceOf(WaitAborted);
		expect(h.listeners()).toBe(0);
		class Interrupted extends Error {}
		await expect(
			waitFor(h, () => 1, { timeoutMs: 1000, signal: ctl.signal, aborted: () => new Interrupted() }),
		).rejects.toBeInstanceOf(Interrupted);
	});

	it('rejects with what the check throws', async () => {
		const h = holder(0);
		await expect(
			waitFor(
				h,
				() => {
					throw new Error('broken gate');
				},
				{ timeoutMs: 1000 },
			),
		).rejects.toThrow('broken gate');
	});
});

describe('waitUntil, delay, abortable', () => {
	it('waitUntil asks again until the predicate holds, and times out with the description', async () => {
		let n = 0;
		await expect(waitUntil(() => ++n >= 3 && n, { timeoutMs: 60_000, everyMs: 1 })).resolves.toBe(3);
		await expect(waitUntil(async () => false, { timeoutMs: 0, describe: () => 'never' })).rejects.toThrow(
			new WaitTimeout('never'),
		);
	});

	it('delay resolves, and rejects at once on abort', async () => {
		await expect(delay(1)).resolves.toBeUndefined();
		const ctl = new AbortController();
		const p = delay(3_600_000, ctl.signal);
		ctl.abort();
		await expect(p).rejects.toBeInstanceOf(WaitAborted);
	});

	it('abortable passes the outcome through, and rejects at once on abort', async () => {
		const ctl = new AbortController();
		await expect(abortable(Promise.resolve(5), ctl.signal)).resolves.toBe(5);
		await expect(abortable(Promise.reject(new Error('no')), ctl.signal)).rejects.toThrow('no');
		const p = abortable(new Promise(() => {}), ctl.signal);
		ctl.abort();
		await expect(p).rejects.toBeInstanceOf(WaitAborted);
	});
});
