// The lesson file format, as zod schemas. Front matter and each step's settings
// block are YAML; these schemas decide what is allowed and produce the messages
// `natslab lessons validate` prints (with file:line added by ./load.ts).

import { z } from 'zod';
import { normalizeVersion } from '../base/versions.js';
import { parseDuration } from './duration.js';

/** Roles a step can target; resolved from the live state when the step starts (./targets.ts). */
export const ROLES = [
	'meta-leader',
	'stream-leader',
	'consumer-leader',
	'a-follower',
	'a-running-node',
	'a-stream-follower',
	'a-stopped-node',
	'an-old-node',
] as const;
export type Role = (typeof ROLES)[number];

export const PROBE_KINDS = ['core-pub', 'core-sub', 'js-pub', 'js-consumer'] as const;

/**
 * A node: a name (`n2`), a role (`meta-leader`), `client-of:<probe kind>` (the node
 * that probe is connected to), `$target` (this step's target) or `$previous` (the
 * previous step's target).
 */
export const NodeRef = z
	.string()
	.refine(
		(s) =>
			/^n\d+$/.test(s) ||
			(ROLES as readonly string[]).includes(s) ||
			s === '$target' ||
			s === '$previous' ||
			PROBE_KINDS.some((k) => s === `client-of:${k}`),
		{
			error: (iss) =>
				`unknown node or role ${JSON.stringify(iss.input)} (use n1..n3, $target, $previous, client-of:<probe> or one of: ${ROLES.join(', ')})`,
		},
	);
export type NodeRef = z.infer<typeof NodeRef>;

export const Duration = z.union([z.string(), z.number()]).transform((v, ctx) => {
	const ms = parseDuration(v);
	if (ms === null) {
		ctx.addIssue({
			code: 'custom',
			message: `not a duration: ${JSON.stringify(v)} (write e.g. 500ms, 3s, 1m)`,
		});
		return z.NEVER;
	}
	return ms;
});

const Version = z
	.string({ error: 'write versions as quoted strings, e.g. "2.10.27"' })
	.refine((v) => normalizeVersion(v) !== null, {
		error: (iss) => `not a nats-server version: ${JSON.stringify(iss.input)} (expected x.y.z)`,
	});

// ---------------------------------------------------------------- front matter

const ProbeOptionsSchema = z.strictObject({
	reconnectTimeWait: z.number().int().min(0).optional(),
	maxReconnectAttempts: z.number().int().min(-1).optional(),
	pingInterval: z.number().int().min(1).optional(),
	maxPingOut: z.number().int().min(1).optional(),
	ignoreClusterUpdates: z.boolean().optional(),
	waitOnFirstConnect: z.boolean().optional(),
	timeout: z.number().int().min(1).optional(),
});

/** The JetStream consumer's `consume()` options (ms); `{}` is nats.js's default consume(). */
const ConsumeSchema = z.strictObject({
	expires: z.number().int().min(1000).optional(),
	idleHeartbeat: z.number().int().min(500).optional(),
});

export const ProbeSpecSchema = z.union([
	z.enum(['core', 'jetstream']),
	z
		.strictObject({
			kind: z.enum(['core', 'jetstream']),
			rate: z.number().positive().optional(),
			options: ProbeOptionsSchema.optional(),
			consume: ConsumeSchema.optional(),
		})
		.refine((p) => !p.consume || p.kind === 'jetstream', {
			error: '`consume` only applies to kind: jetstream (the consumer probe)',
		}),
]);
export type ProbeSpecInput = z.infer<typeof ProbeSpecSchema>;

export const VersionsSchema = z.union([
	z.strictObject({ from: Version, to: Version }),
	z.strictObject({
		min: Version.optional(),
		max: Version.optional(),
		/**
		 * The version the lesson runs on when the course version is outside min..max (lesson 12
		 * needs 2.12+ while the course runs 2.10.27). A lesson on its own version is skipped by
		 * `learn --all --auto`, with the reason, when that binary cannot be had (./auto.ts).
		 */
		fallback: Version.optional(),
	}),
]);
export type VersionsSpec = z.infer<typeof VersionsSchema>;

export const FrontMatterSchema = z.strictObject({
	id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'id must be lowercase letters, digits and dashes'),
	title: z.string().min(1),
	order: z.number().int().min(1),
	summary: z.string().min(1),
	versions: VersionsSchema.optional(),
	probes: z.array(ProbeSpecSchema).default([]),
	/** `proxied`: the lab routes through natslab's pair proxies, so the lesson can cut links (docs/partitions.md). */
	links: z.enum(['direct', 'proxied']).default('direct'),
	/**
	 * The nodes the lab starts (default: all). The others stay not started until a step starts them,
	 * and the lab is ready without a meta leader (a fresh 2.12+ cluster elects none with 2 of 3).
	 */
	start: z
		.array(z.string().regex(/^n[1-3]$/, 'start lists nodes of the lesson cluster: n1, n2, n3'))
		.min(1, 'start needs at least one node')
		.refine((nodes) => new Set(nodes).size === nodes.length, { error: 'start names a node twice' })
		.optional(),
});
export type FrontMatter = z.infer<typeof FrontMatterSchema>;

// ---------------------------------------------------------------- actions

export const NODE_ACTIONS = [
	'restart',
	'stop',
	'start',
	'kill',
	'lame-duck',
	'pause',
	'resume',
	'upgrade',
] as const;
export const LAB_ACTIONS = ['verify', 'probes', 'stop-probes'] as const;
/** natslab's own checks from the target node's clients (`core-reach`: docs/partitions.md). */
export const CHECK_ACTIONS = ['core-reach'] as const;
/** Actions on links (the lab's pair proxies; the lesson needs `links: proxied`). */
export const LINK_ACTIONS = ['isolate', 'heal', 'cut-link', 'delay-link', 'heal-link'] as const;
/** Link actions between the target and a `peer`. */
const PEER_ACTIONS: readonly string[] = ['cut-link', 'delay-link', 'heal-link'];
/** Keys the lesson panel or the dashboard already use. */
const RESERVED_KEYS = new Set(['h', 'q', 'n', 'a', 'b', 'c', 'd']);

export const ActionSchema = z
	.strictObject({
		do: z.enum([...NODE_ACTIONS, ...LAB_ACTIONS, ...LINK_ACTIONS, ...CHECK_ACTIONS]),
		target: NodeRef.optional(),
		by: z.enum(['learner', 'natslab']).default('natslab'),
		key: z
			.string()
			.regex(/^[a-z]$/, 'key must be one lowercase letter')
			.refine((k) => !RESERVED_KEYS.has(k), {
				error: (iss) => `key ${String(iss.input)} is reserved (h, q, n, a-d)`,
			})
			.optional(),
		/** For `upgrade`: the version to run (default: the lab's upgrade target). */
		to: Version.optional(),
		/** For `probes`: the probes to run instead of the current ones. */
		probes: z.array(ProbeSpecSchema).optional(),
		/** For `cut-link`, `delay-link`, `heal-link`: the other end of the link. */
		peer: NodeRef.optional(),
		/** For `delay-link`: added to every chunk, each way. */
		delay: Duration.optional(),
		/** For `delay-link`: percent of chunks that arrive again after a retransmission timeout. */
		drop: z.number().min(0).max(100).optional(),
	})
	.superRefine((a, ctx) => {
		const peerAction = PEER_ACTIONS.includes(a.do);
		if (peerAction && !a.peer)
			ctx.addIssue({
				code: 'custom',
				path: ['peer'],
				message: `do: ${a.do} needs a peer (the link's other node)`,
			});
		if (a.peer && !peerAction)
			ctx.addIssue({
				code: 'custom',
				path: ['peer'],
				message: '`peer` only applies to cut-link, delay-link, heal-link',
			});
		if (a.do === 'delay-link' && a.delay === undefined)
			ctx.addIssue({
				code: 'custom',
				path: ['delay'],
				message: 'do: delay-link needs a delay (e.g. delay: 200ms)',
			});
		if ((a.delay !== undefined || a.drop !== undefined) && a.do !== 'delay-link')
			ctx.addIssue({
				code: 'custom',
				path: ['delay'],
				message: '`delay` and `drop` only apply to do: delay-link',
			});
		if (a.by === 'learner' && !a.key)
			ctx.addIssue({ code: 'custom', path: ['key'], message: 'a learner action needs a key (e.g. key: r)' });
		if (a.do === 'probes' && !a.probes)
			ctx.addIssue({ code: 'custom', path: ['probes'], message: 'do: probes needs a probes list' });
		if (a.to && a.do !== 'upgrade')
			ctx.addIssue({ code: 'custom', path: ['to'], message: '`to` only applies to do: upgrade' });
	});
export type ActionSpec = z.infer<typeof ActionSchema>;

// ---------------------------------------------------------------- waits (conditions)

const waitCommon = {
	timeout: Duration.default(30_000),
	/** The condition must hold continuously this long. */
	steady: Duration.optional(),
	/** What to tell the learner when the condition does not come true in time. */
	otherwise: z.string().optional(),
};
const cond = <T extends string, S extends z.ZodRawShape>(name: T, shape: S) =>
	z.strictObject({ for: z.literal(name), ...waitCommon, ...shape });

const ProbeKind = z.enum(PROBE_KINDS);
const FailureKind = z.enum(['timeout', 'noResponders', 'unavailable', 'other', 'any']);

export const WAIT_SCHEMAS = [
	cond('meta-leader', { node: NodeRef.optional() }),
	cond('meta-leader-moved', { from: NodeRef }),
	cond('no-meta-leader', { logged: z.boolean().default(false) }),
	cond('stream-leader', { stream: z.string().optional() }),
	cond('stream-leader-moved', { from: NodeRef, stream: z.string().optional() }),
	cond('consumer-leader', { consumer: z.string().optional() }),
	cond('full-mesh', {}),
	cond('node-up', { node: NodeRef }),
	cond('node-down', { node: NodeRef }),
	cond('node-rejoined', { node: NodeRef }),
	cond('health-ok', { node: z.union([NodeRef, z.literal('all')]).default('all') }),
	cond('quorum-lost', {}),
	cond('quorum-regained', {}),
	cond('clients-connected', { probe: ProbeKind.optional() }),
	cond('client-reconnected', { node: NodeRef.optional(), probe: ProbeKind.optional() }),
	cond('clients-got-ldm', { node: NodeRef }),
	cond('js-publish-failing', { kind: FailureKind.default('any'), count: z.number().int().min(1).default(1) }),
	cond('js-acked', { count: z.number().int().min(1).default(5) }),
	cond('core-delivering', { count: z.number().int().min(1).default(10) }),
	cond('consumer-delivering', { count: z.number().int().min(1).default(10) }),
	cond('verified', { maxLost: z.number().int().min(0).default(0) }),
	cond('log-seen', {
		match: z.string().min(1),
		node: NodeRef.optional(),
		since: z.enum(['step', 'lab']).default('step'),
	}),
	cond('routes-to', { node: NodeRef, present: z.boolean().default(true) }),
	// Partitions (./conditions-partition.ts): a node's own /jsz, the majority's leader, a lagging replica.
	cond('sees-meta-leader', { node: NodeRef, present: z.boolean().default(true) }),
	cond('majority-meta-leader', { without: NodeRef }),
	cond('replica-behind', { node: NodeRef }),
	cond('core-reach-checked', {}),
	cond('probe-state', {
		probe: ProbeKind,
		state: z.enum(['connecting', 'connected', 'reconnecting', 'closed', 'error']),
	}),
] as const;
export const CONDITION_NAMES = WAIT_SCHEMAS.map((s) => s.shape.for.value);
export const WaitSchema = z.discriminatedUnion('for', WAIT_SCHEMAS);
export type WaitSpec = z.infer<typeof WaitSchema>;
export type ConditionName = WaitSpec['for'];

// ---------------------------------------------------------------- measurements

const measure = <T extends string, S extends z.ZodRawShape>(name: T, shape: S) =>
	z.strictObject({
		measure: z.literal(name),
		/** Name used in prose as {{name}} and in the recap. */
		name: z.string().regex(/^[a-zA-Z][a-zA-Z0-9]*$/, 'name must be letters and digits (used as {{name}})'),
		label: z.string().optional(),
		...shape,
	});

export const RECORD_SCHEMAS = [
	// until 'all-waits': to the moment every wait of the step held (a gate with steady: passed), not wait's own evidence.
	measure('duration', {
		wait: z.number().int().min(0).default(0),
		until: z.enum(['wait', 'all-waits']).default('wait'),
	}),
	measure('log-line', {
		match: z.string().min(1),
		node: NodeRef.optional(),
		since: z.enum(['step', 'lab']).default('step'),
		which: z.enum(['first', 'last']).default('last'),
	}),
	measure('js-acks-again', {}),
	// Without `from`: from the step's action (natslab's clock) to the `to` line (the server's).
	measure('log-interval', {
		from: z.string().min(1).optional(),
		node: NodeRef.optional(),
		to: z.string().min(1),
	}),
	measure('leaders', {}),
	measure('reconnect-gap', { node: NodeRef.optional(), probe: ProbeKind.optional() }),
	measure('client-urls', { probe: ProbeKind }),
	measure('js-publishes', { since: z.enum(['step', 'lesson']).default('step') }),
	measure('core-messages', { since: z.enum(['step', 'lesson']).default('step') }),
	measure('health-history', { node: NodeRef }),
	measure('routes', { node: NodeRef.optional() }),
	measure('verify', {}),
	measure('versions', {}),
	measure('quorum', {}),
	measure('probe', { probe: ProbeKind }),
	measure('clients', { node: NodeRef }),
	measure('node', { node: NodeRef }),
	measure('replica', { node: NodeRef }),
	measure('meta-views', {}),
	measure('consumer-gap', {}),
	measure('core-reach', {}),
] as const;
export const MEASURE_NAMES = RECORD_SCHEMAS.map((s) => s.shape.measure.value);
export const RecordSchema = z.discriminatedUnion('measure', RECORD_SCHEMAS);
export type RecordSpec = z.infer<typeof RecordSchema>;
export type MeasureName = RecordSpec['measure'];

// ---------------------------------------------------------------- checks and steps

export const CheckSchema = z
	.strictObject({
		question: z.string().min(1),
		choices: z.array(z.string().min(1)).min(2).max(4),
		/** 1-based index of the right choice. */
		answer: z.number().int().min(1),
		explain: z.string().optional(),
		when: z.enum(['before', 'after']).default('after'),
	})
	.superRefine((c, ctx) => {
		if (c.answer > c.choices.length)
			ctx.addIssue({
				code: 'custom',
				path: ['answer'],
				message: `answer ${c.answer} but there are only ${c.choices.length} choices`,
			});
	});
export type CheckSpec = z.infer<typeof CheckSchema>;

const oneOrMany = <T extends z.ZodType>(s: T) =>
	z.union([s, z.array(s)]).transform((v) => (Array.isArray(v) ? v : [v]));

export const StepSettingsSchema = z.strictObject({
	target: NodeRef.optional(),
	action: oneOrMany(ActionSchema).optional(),
	wait: oneOrMany(WaitSchema).optional(),
	check: CheckSchema.optional(),
	hint: z.string().optional(),
	record: oneOrMany(RecordSchema).optional(),
});
export type StepSettings = z.infer<typeof StepSettingsSchema>;
