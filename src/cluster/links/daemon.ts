// The proxy process of a detached cluster (`natslab cluster up --links
// proxied`): the cluster outlives the command, so its pair proxies must too.
// Started by proxy-process.ts as `node daemon.js <spec JSON>`, it binds every
// pair proxy, serves the control socket, and exits on SIGTERM (`cluster down`,
// the reaper) or as soon as the workspace's run file no longer names it (the
// cluster was taken down or reaped by someone who did not know about it).
import { rmSync } from 'node:fs';
import { readRunFile } from '../run-file.js';
import { serveControl } from './control.js';
import type { LinkLayout } from './pairs.js';
import { LinkTable } from './table.js';

export interface DaemonSpec {
	layout: LinkLayout;
	socket: string;
	runFile: string;
}

/**
 * How long the process waits to be recorded in the run file before it concludes nobody wants it
 * (its starter writes the record right after the start; a run file removed before this process
 * first looked is caught here).
 */
const UNRECORDED_GRACE_MS = 10_000;
const WATCH_EVERY_MS = 1000;

async function main(): Promise<void> {
	const spec = JSON.parse(process.argv[2] ?? '') as DaemonSpec;
	const table = new LinkTable(spec.layout);
	await table.listen();
	const server = await serveControl(spec.socket, table);
	const startedAt = Date.now();
	let recorded = false;
	let stopping = false;
	const stop = async (why: string) => {
		if (stopping) return;
		stopping = true;
		process.stdout.write(`link proxies stop: ${why}\n`);
		server.close();
		rmSync(spec.socket, { force: true });
		await table.close();
		process.exit(0);
	};
	for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(signal, () => void stop(signal));
	setInterval(() => {
		const run = readRunFile(spec.runFile);
		const mine = run !== null && run !== 'invalid' && run.links?.pid === process.pid;
		if (mine) recorded = true;
		else if (recorded) void stop('the run file no longer names this process');
		else if (Date.now() - startedAt > UNRECORDED_GRACE_MS) void stop('never recorded in the run file');
	}, WATCH_EVERY_MS);
	process.stdout.write(`link proxies ready: ${spec.layout.pairs.map((p) => p.port).join(' ')}\n`);
}

main().catch((err: unknown) => {
	// The spawner shows this line when the process ends before it answered.
	process.stderr.write(`natslab link proxies: ${(err as Error).message}\n`);
	process.exit(3);
});
