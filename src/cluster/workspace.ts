// Where a cluster lives on disk: <state>/clusters/<workspace>/
//   run.json          servers' PIDs + start times, versions, ports, owner
//   conf/<node>.conf  generated from assets/nats-server.conf.template
//   logs/<node>.log   the server's stdout+stderr, appended across restarts
//   data/<node>/      JetStream store_dir
import { join } from 'node:path';
import { UserError } from '../base/errors.js';
import type { NodeName } from '../base/names.js';

export const DEFAULT_WORKSPACE = 'default';

export function validateWorkspaceName(name: string): void {
	if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(name)) {
		throw new UserError(`invalid workspace name "${name}": use letters, digits, dot, dash or underscore`);
	}
}

export function validateNodeNames(nodes: readonly NodeName[]): void {
	if (nodes.length === 0) throw new UserError('a cluster needs at least one node');
	const seen = new Set<string>();
	for (const n of nodes) {
		if (!/^[A-Za-z0-9_-]{1,32}$/.test(n)) throw new UserError(`invalid node name "${n}"`);
		if (seen.has(n)) throw new UserError(`node name ${n} is listed twice`);
		seen.add(n);
	}
}

export class WorkspacePaths {
	constructor(readonly dir: string) {}

	static of(stateDir: string, workspace: string): WorkspacePaths {
		return new WorkspacePaths(join(stateDir, 'clusters', workspace));
	}

	get runFile(): string {
		return join(this.dir, 'run.json');
	}
	get confDir(): string {
		return join(this.dir, 'conf');
	}
	get logsDir(): string {
		return join(this.dir, 'logs');
	}
	get dataRoot(): string {
		return join(this.dir, 'data');
	}
	configFile(node: NodeName): string {
		return join(this.confDir, `${node}.conf`);
	}
	logFile(node: NodeName): string {
		return join(this.logsDir, `${node}.log`);
	}
	dataDir(node: NodeName): string {
		return join(this.dataRoot, node);
	}
}

export function clustersDir(stateDir: string): string {
	return join(stateDir, 'clusters');
}
