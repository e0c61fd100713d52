// Fake TTY streams for runScreen: Ink draws into a Writable that says it is a terminal,
// and keys come from a stdin it can read. Keeps every write (one Ink frame a write).
// Ink draws nothing until exit when CI is set (is-in-ci is read when Ink loads): a test
// file using these deletes CI in a vi.hoisted block before importing the screen.
import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import type { ScreenIo } from '../../src/ui/run.js';

export class FakeTty extends Writable {
	isTTY = true;
	columns = 100;
	rows = 30;
	text = '';
	/** Each write, terminal escapes stripped (Ink writes a frame at a time). */
	readonly writes: string[] = [];
	override _write(chunk: Buffer | string, _enc: BufferEncoding, done: () => void): void {
		this.text += chunk.toString();
		this.writes.push(strip(chunk.toString()));
		done();
	}
}

export class FakeStdin extends EventEmitter {
	isTTY = true;
	private data: string | null = null;
	write(data: string): void {
		this.data = data;
		this.emit('readable');
	}
	read(): string | null {
		const d = this.data;
		this.data = null;
		return d;
	}
	setEncoding(): void {}
	setRawMode(): void {}
	resume(): void {}
	pause(): void {}
	ref(): void {}
	unref(): void {}
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping terminal escapes
export const strip = (s: string) => s.replace(/\u001B\[[0-9;?]*[A-Za-z]/g, '');

export function fakeIo(tty = true, env: NodeJS.ProcessEnv = {}) {
	const stdout = new FakeTty();
	stdout.isTTY = tty;
	const stderr = new FakeTty();
	const stdin = new FakeStdin();
	const io = { stdout, stderr, stdin, env } as unknown as ScreenIo;
	return { io, stdout, stderr, stdin };
}
