// `natslab cluster`'s commands and options, declared once: the parser and every
// --help text come from here (see subcommand.ts and options.ts).

import type { NodeOp } from '../base/names.js';
import { flag, parseVersionValue, valueOption } from '../base/options.js';
import { DEFAULT_FROM_VERSION } from '../base/versions.js';
import { LINKS_OPTION } from '../cluster/links/pairs.js';
import { NODES_OPTION, parseBasePort } from '../cluster/ports.js';
import { DEFAULT_WORKSPACE } from '../cluster/workspace.js';
import { parsePercent } from './cluster-links.js';
import type { SubcommandGroup } from './subcommand.js';

export const NODE_OPS: readonly NodeOp[] = [
	'start',
	'stop',
	'kill',
	'ldm',
	'pause',
	'resume',
	'restart',
	'upgrade',
];

const workspace = valueOption('NAME', 'workspace folder', undefined, `"${DEFAULT_WORKSPACE}"`);

export type ClusterCommand = 'up' | 'status' | 'node' | 'link' | 'down';

export const CLUSTER: SubcommandGroup<ClusterCommand> = {
	expected: 'up, status, node, link or down',
	help: `Usage: natslab cluster <command>

Runs a real nats-server cluster (n1, n2, n3; n1..n5 with --nodes 5; cluster "lab",
JetStream on) that keeps running after the command returns, for scripts and the nats CLI.
Every listener is on 127.0.0.1. Files live in <state>/clusters/<workspace>/.

Commands:
  up [--version V] [--base-port N] [--nodes 3|5] [--json]
                                              start it; returns once the JetStream meta leader is agreed
  status [--json]                             processes, versions, ports, health; meta, stream and
                                              consumer leaders, replicas, meta quorum
  node <n1..n5> <op> [--to V] [--wait]        start|stop|kill|ldm|pause|resume|restart|upgrade --to V,
                                              isolate|heal (a cluster up with --links proxied)
  link <a> <b> cut|heal|delay <time>          cut, heal or slow one link (--links proxied)
  down [--purge]                              stop every server (--purge: delete the workspace too)

Every command takes --workspace NAME (default "${DEFAULT_WORKSPACE}") and --help.`,
	commands: {
		up: {
			head: `Usage: natslab cluster up [--version V] [--base-port N] [--nodes 3|5] [--json]

Starts n1, n2 and n3 (n1..n5 with --nodes 5) from nats-server V and returns once every node names the
same JetStream meta leader. Ports: client B..B+2 (B..B+4 with --nodes 5),
cluster B+2000.., monitoring B+4000.. with B = 14222 (the next free block if taken, unless --base-port).`,
			options: {
				version: valueOption('V', 'nats-server version', parseVersionValue, DEFAULT_FROM_VERSION),
				'base-port': valueOption(
					'N',
					'use exactly this base port (fails if any port is taken)',
					parseBasePort,
				),
				links: LINKS_OPTION,
				nodes: NODES_OPTION,
				json: flag('print the result as JSON'),
				workspace,
			},
			maxPositionals: 0,
		},
		status: {
			head: `Usage: natslab cluster status [--json]

Shows each node's process (pid, running, paused), version and ports, and what its
/varz, /jsz and /healthz say right now: the JetStream meta leader, the meta group's
size and the votes it needs (quorum), and per stream its leader and replicas
(current or lag, as the stream leader reports them) and each consumer's leader.`,
			options: { json: flag('print the status as JSON'), workspace },
			maxPositionals: 0,
		},
		node: {
			head: `Usage: natslab cluster node <node> <op> [--to V] [--wait]

Operations:
  start     start a stopped node (same config and store)
  stop      SIGTERM; returns once it exited
  kill      SIGKILL; returns once it exited
  ldm       lame duck mode (nats-server --signal ldm=<pid>): returns at once while the server
            hands its leaders over, closes its clients after the grace period and exits (--wait)
  pause     SIGSTOP: a hung node (still holds its sockets)
  resume    SIGCONT
  restart   stop, then start
  upgrade   --to V: stop, switch to nats-server V, start on the same store
  isolate   cut every link of the node, both directions (a cluster up with --links proxied)
  heal      open every link of the node again`,
			options: {
				to: valueOption('V', 'version for upgrade', parseVersionValue),
				json: flag("print the node's state afterwards as JSON"),
				wait: flag(
					'ldm: return once the draining server has exited (says how long it took)\nstart: first wait for a node still draining in lame duck mode to exit',
				),
				workspace,
			},
			maxPositionals: 2,
		},
		link: {
			head: `Usage: natslab cluster link <a> <b> cut|heal|delay <time> [--drop P]

Changes the link between two nodes of a cluster started with --links proxied, in
both directions, in natslab's own TCP proxies (no root, the machine's network is
untouched). A cut holds the traffic like a dead network: nothing is refused or
reset, so JetStream notices within seconds and routes only when they go stale.
  cut              nothing moves between a and b
  heal             the link is open again (no cut, no delay)
  delay <time>     add <time> (e.g. 200ms) each way; --drop P makes P % of the
                   chunks arrive once more 200 ms late, like lost TCP segments`,
			options: {
				drop: valueOption('P', 'percent of chunks delayed by a retransmission (with delay)', parsePercent),
				json: flag("print every link's state afterwards as JSON"),
				workspace,
			},
			maxPositionals: 4,
		},
		down: {
			head: `Usage: natslab cluster down [--purge]

Stops every server of the cluster and waits until each has exited.`,
			options: { purge: flag('also delete the workspace (configs, logs, JetStream data)'), workspace },
			maxPositionals: 0,
		},
	},
};
