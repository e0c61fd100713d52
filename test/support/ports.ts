// Each integration test file gets its own block of ports so that a leftover
// from one file can never be mistaken for another file's cluster.
// Layout (see src/cluster/ports.ts): client base+i, cluster base+2000+i, http base+4000+i.
// Every block stays below 32768, Linux's ephemeral range: the pollers' and
// probes' outgoing connections leave TIME_WAIT sockets on ephemeral ports, and
// a test block inside that range can find its ports "in use" for a minute.
export const TEST_BASE_PORTS = {
	clusterLifecycle: 20_000,
	clusterFailures: 20_020,
	clusterOldVersion: 20_040,
	clusterCli: 20_060,
	clusterReaper: 20_080,
	probes: 20_100,
	/** The course with --jobs 2: lanes at +0 and +25 (BLOCK_STEP). */
	lessons: 20_200,
	rehearse: 20_300,
	e2e: 20_400,
	lab: 20_500,
	/** Blocks: closed terminal (+0 sandbox, +80 learn), closed pipe (+20), signals while piping (+40, +60), a crash (+100). */
	closedOutput: 20_600,
	/** User problems reported as such (a state path that is a file, …); fails before any server starts. */
	userErrors: 20_720,
	/** Busy-port behaviour of Cluster.open and start() against real servers. */
	clusterPorts: 21_040,
	/** A corrupt cached binary refused by `cluster up`, then replaced (issue #11). */
	serversCorrupt: 21_200,
	/** Rehearsals refused before they start (nothing should listen here at all). */
	rehearseRefusals: 21_220,
	/** Rehearsals shaped like the user's cluster: +0 streams/config/client options (3 nodes), +20 five nodes ×3. */
	rehearseShape: 21_720,
	/** Concurrent `cluster node` commands on one detached cluster (run.json lock). */
	clusterConcurrentNodes: 21_240,
	/** `sandbox --upgrade-to` older than --version, in tmux: the warning on screen. */
	sandboxDowngrade: 21_260,
	/** The verifier over real streams holding duplicates: +0 on 2.10.27, +20 on 2.9.10. */
	verifierDuplicates: 21_280,
	/** Node keys typed back to back in tmux ("2rrr" is one restart, u asks first). */
	nodeKeys: 21_320,
	/** Lesson 3's a-follower on a lab whose meta, ORDERS and C1 leaders sit on three nodes (C1 stepdown). */
	freeFollower: 21_340,
	/** The header against every server's /jsz around a SIGKILL of the meta leader; a SIGTERM; a SIGSTOP. */
	headerTruth: 21_360,
	/** Partitions through natslab's pair proxies: +0 on 2.9.10, +20 on 2.10.27 (detached), +40 on 2.15.1 (then its owner SIGKILLed). */
	partitions: 21_440,
	/** `cluster status` leaders/replicas/quorum and `node ldm --wait` on 2.9.10, 2.10.27, 2.15.1 (one cluster at a time). */
	clusterStatusTruth: 21_420,
	/** `preflight` against clusters it did not start, on 127.0.0.2-4: +0 on 2.10.27, +5 on 2.15.1, +10 on 2.9.10, +15 five servers. */
	preflight: 21_540,
	/** `watch` on clusters it did not start, on 127.0.0.5-9: +0 three 2.10.27 servers, +10 five of mixed versions. */
	watch: 21_620,
	/** A real sandbox lab recorded (a kill, a lame duck) and its replay compared frame by frame. */
	recordReplay: 21_600,
	/** `learn <id> --auto --quiet` through dist/cli.js: a lesson's ✓ line, then its base port held (refused, nothing started). */
	learnQuiet: 21_560,
	/** A proxied cluster from natslab installed out of its `npm pack` tarball (package-install.test.ts). */
	packageInstall: 21_880,
	/** Lesson 12's lab: n1 and n2 of three started fresh, on 2.15.1 then on 2.10.27 (one lab at a time). */
	missingNode: 21_900,
	/** `L` on the screen of a real proxied sandbox in tmux: 1L2c cuts n1–n2, the links line says so, 1L2h heals it. */
	linkKeys: 21_940,
	/** natslab's core reach check on a proxied lab (2.10.27, then 2.15.1 on the same block): healthy, n3 isolated, healed. */
	coreReach: 21_960,
	/** `learn --all --auto --jobs 2` on a course of three lessons: lanes at +0 and +25 (BLOCK_STEP). */
	learnJobs: 21_980,
	/** The sandbox's screen on a Lab up before its election (servers that cannot route elect none): issue #12. */
	earlyDashboard: 20_800,
} as const;
