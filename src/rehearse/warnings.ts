// What is known about WRN/ERR lines a rolling upgrade makes the servers print,
// so the report can say which ones are expected. Each note restates what
// measured runs of 2.9.10 / 2.10.27 / 2.15.1 showed (docs/nats-behavior.md §1, §5, §10).

const KNOWN: { match: RegExp; note: string }[] = [
	{
		match: /Not possible to have a dedicated route for account/,
		note: 'mixed 2.9 ↔ 2.10+ routes: printed on every route (re)connect while versions are mixed; data still flows',
	},
	{
		match: /Healthcheck failed: "failed to be ready for connections after \S+: server, route"/,
		note: 'a node that has just started: its client and route listeners were not up yet (within a second of the start)',
	},
	{
		match: /Healthcheck failed: "failed to be ready for connections/,
		note: 'a node in lame duck mode no longer accepts clients and fails /healthz like this until it exits',
	},
	{
		match: /Healthcheck failed/,
		note: 'the server logs one line per failed /healthz request, and natslab polls /healthz during the gates',
	},
	{
		match: /Waiting for routing to be established/,
		note: 'normal for a node that has just started',
	},
	{
		match: /JetStream has not established contact with a meta leader/,
		note: 'a node that has just started (or restarted), until it hears from the meta leader (usually within a second or two)',
	},
	{
		match: /Error trying to connect to route/,
		note: 'a node dialled a peer that was not listening: at start-up before it was, or while it was stopped for its upgrade (redialled about once a second)',
	},
	{
		match: /Metalayer blocking snapshot|Failed to install snapshot .*store is closed/,
		note: 'printed by 2.15.1 whenever JetStream shuts down (every clean stop, and the start of a lame duck), the snapshot lines also once right after a start (measured); normal',
	},
];

/** The patterns, for the test that checks every note against the real lines it explains. */
export const KNOWN_WARNINGS: readonly { match: RegExp; note: string }[] = KNOWN;

export function knownWarningNote(text: string): string | undefined {
	return KNOWN.find((k) => k.match.test(text))?.note;
}
