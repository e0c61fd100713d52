// Each integration test file gets its own block of ports so that a leftover
// from one file can never be mistaken for another file's cluster.
// Layout (see src/cluster/ports.ts): client base+i, cluster base+2000+i, http base+4000+i.
export const TEST_BASE_PORTS = {
	clusterLifecycle: 40_000,
	clusterFailures: 40_020,
	clusterOldVersion: 40_040,
	clusterCli: 40_060,
	clusterReaper: 40_080,
	probes: 40_100,
	lessons: 40_200,
	rehearse: 40_300,
	e2e: 40_400,
	lab: 40_500,
	/** Busy-port behaviour of Cluster.open and start() against real servers. */
	clusterPorts: 41_040,
} as const;
