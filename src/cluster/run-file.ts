// run.json: the durable record of which servers a workspace has running, so a
// later natslab can reap what a crashed one left, or control (attach to) a
// cluster deliberately left running by `natslab cluster up`.
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';

const ProcessRef = z.object({ pid: z.number().int().positive(), startTime: z.string().min(1) });

const NodeRecord = z.object({
	version: z.string(),
	ports: z.object({ client: z.number().int(), cluster: z.number().int(), http: z.number().int() }),
	/** Null while the node is not running. */
	pid: z.number().int().positive().nullable(),
	/** Field 22 of /proc/<pid>/stat (clock ticks since boot): tells the server from a reused PID. */
	startTime: z.string().nullable(),
});

export const RunFileSchema = z.object({
	format: z.literal(1),
	workspace: z.string(),
	basePort: z.number().int(),
	/** The natslab process that owns the servers; null for a detached (`cluster up`) cluster. */
	owner: ProcessRef.nullable(),
	detached: z.boolean(),
	/** Extra version-gated server options the configs are rendered with (see config.ts). */
	serverOptions: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
	nodes: z.record(z.string(), NodeRecord),
});

export type RunFile = z.infer<typeof RunFileSchema>;
export type RunNodeRecord = z.infer<typeof NodeRecord>;
export type OwnerRef = z.infer<typeof ProcessRef>;

/** Read a run file; null when absent. A damaged file is reported as `invalid` (never thrown). */
export function readRunFile(path: string): RunFile | null | 'invalid' {
	let text: string;
	try {
		text = readFileSync(path, 'utf8');
	} catch {
		return null;
	}
	try {
		const parsed = RunFileSchema.safeParse(JSON.parse(text));
		return parsed.success ? parsed.data : 'invalid';
	} catch {
		return 'invalid';
	}
}

/** Atomic replace (write + rename), so a reader never sees half a file. */
export function writeRunFile(path: string, run: RunFile): void {
	mkdirSync(dirname(path), { recursive: true });
	const tmp = `${path}.${process.pid}.tmp`;
	writeFileSync(tmp, `${JSON.stringify(run, null, 2)}\n`);
	renameSync(tmp, path);
}

export function removeRunFile(path: string): void {
	rmSync(path, { force: true });
}
