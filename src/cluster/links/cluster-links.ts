// A cluster's links as the Cluster sees them: the layout its configs are
// written from, and the proxies themselves — in this process for a lab that
// lives and dies with natslab, or in a proxy process of their own for a
// detached cluster (`cluster up`), recorded in run.json beside the servers.
import { join } from 'node:path';
import type { NodeName } from '../../base/names.js';
import { isSameProcess } from '../process-info.js';
import { terminate } from '../reaper.js';
import type { LinksRecord } from '../run-file.js';
import { RemoteLinks } from './control.js';
import { type LinkLayout, type LinksMode, linkLayout, type PairStatus, routePortsOf } from './pairs.js';
import { startProxyProcess } from './proxy-process.js';
import { type LinkControl, type LinkOp, LinkTable } from './table.js';

export interface LinksSetup {
	mode: LinksMode;
	basePort: number;
	nodes: readonly NodeName[];
	clusterPort: (n: NodeName) => number;
	/** The proxies must outlive this process (a `cluster up` cluster). */
	detached: boolean;
	workspaceDir: string;
	runFile: string;
	logsDir: string;
}

export class ClusterLinks {
	private constructor(
		readonly layout: LinkLayout,
		private readonly control: LinkControl,
		readonly record: LinksRecord,
	) {}

	/** Bind the proxies (here, or in their own process when detached); null for direct links. */
	static async open(s: LinksSetup): Promise<ClusterLinks | null> {
		if (s.mode === 'direct') return null;
		const layout = linkLayout(s.basePort, s.nodes, s.clusterPort);
		if (!s.detached) {
			const table = new LinkTable(layout);
			await table.listen();
			return new ClusterLinks(layout, table, { mode: 'proxied', pid: null, startTime: null, socket: null });
		}
		const socket = join(s.workspaceDir, 'links.sock');
		const proc = await startProxyProcess(
			{ layout, socket, runFile: s.runFile },
			join(s.logsDir, 'links.log'),
		);
		return new ClusterLinks(layout, new RemoteLinks(socket), { mode: 'proxied', ...proc, socket });
	}

	/** The links of a detached cluster read back from its run file (null: direct, or no proxy process). */
	static attach(
		record: LinksRecord | undefined,
		basePort: number,
		nodes: readonly NodeName[],
		clusterPort: (n: NodeName) => number,
	): ClusterLinks | null {
		if (!record?.socket) return null;
		return new ClusterLinks(linkLayout(basePort, nodes, clusterPort), new RemoteLinks(record.socket), record);
	}

	routePorts(node: NodeName): number[] {
		return routePortsOf(this.layout, node);
	}

	get advertisePort(): number {
		return this.layout.advertisePort;
	}

	/** Whether the proxies still run (always, in process; the recorded process, when detached). */
	get alive(): boolean {
		return this.record.pid === null || isSameProcess(this.record.pid, this.record.startTime);
	}

	apply(op: LinkOp): Promise<PairStatus[]> {
		return this.control.apply(op);
	}

	status(): Promise<PairStatus[]> {
		return this.control.status();
	}

	/** Close the proxies (in process), or stop their process (detached). */
	async close(): Promise<void> {
		await this.control.close();
		await stopProxyProcess(this.record);
	}
}

/** Stop a recorded proxy process if it is still that very process (PID + start time). */
export async function stopProxyProcess(record: LinksRecord | undefined): Promise<void> {
	if (record?.pid && record.startTime) await terminate(record.pid, record.startTime);
}
