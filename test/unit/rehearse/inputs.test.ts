// The files that shape a rehearsal like the user's cluster, read before any
// server starts: the fixtures are shaped like real `nats stream info --json` /
// `nats consumer info --json` output (json tags of nats-server's StreamInfo,
// StreamConfig, ConsumerInfo) and a production nats-server config.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderNodeConfig } from '../../../src/cluster/config.js';
import { parseClientOptions } from '../../../src/rehearse/client-options.js';
import { parseConfigFragment } from '../../../src/rehearse/config-fragment.js';
import { loadRunInputs } from '../../../src/rehearse/inputs.js';
import { parseStreamsFile } from '../../../src/rehearse/streams-file.js';
import { FIXTURES } from '../../support/fixtures.js';
import { refusal } from './refusal.js';

const DIR = join(FIXTURES, 'rehearse');
const read = (name: string) => readFileSync(join(DIR, name), 'utf8');

describe('--streams', () => {
	it('reads stream and consumer infos: an R3 and an R1 stream, a pull and a push consumer, nothing unsupported', () => {
		const f = parseStreamsFile(read('streams-info.json'), 'streams-info.json', 3);
		expect(f.unsupported).toEqual([]);
		expect(f.streams.map((s) => [s.name, s.replicas, s.storage, s.publishSubject])).toEqual([
			['PAYMENTS', 3, 'file', 'payments.rehearse'],
			['AUDIT', 1, 'file', 'audit.x'],
		]);
		const [payments, audit] = f.streams;
		expect(payments?.config).toMatchObject({ duplicate_window: 120_000_000_000, retention: 'limits' });
		expect(payments?.consumers).toEqual([
			expect.objectContaining({
				name: 'settle',
				kind: 'pull',
				config: expect.objectContaining({ ack_policy: 'explicit', filter_subject: 'payments.settle.>' }),
			}),
		]);
		expect(audit?.consumers.map((c) => [c.name, c.kind])).toEqual([['archiver', 'push']]);
		// Info fields (state, cluster, created) are not config: never sent, never "unsupported".
		expect(payments?.config).not.toHaveProperty('consumer_limits');
	});

	it('names every set field it does not reproduce, and takes a bare config with its consumer', () => {
		const bare = [
			{
				name: 'MIRRORED',
				num_replicas: 1,
				mirror: { name: 'UP' },
				placement: { tags: ['ssd'] },
				sealed: false,
			},
			{ durable_name: 'worker', ack_policy: 'explicit', priority_groups: ['a'] },
		];
		const f = parseStreamsFile(JSON.stringify(bare), 'bare.json', 3);
		expect(f.unsupported).toEqual(['[0].mirror', '[0].placement', '[1].priority_groups']);
		expect(f.streams[0]?.publishSubject).toBe('MIRRORED');
		expect(f.streams[0]?.consumers[0]?.name).toBe('worker');
	});

	it('refuses what cannot run, naming the JSON path (or line), with the usage exit code', () => {
		const cases: [string, number, RegExp][] = [
			[
				'[{"config":{"name":"BIG","num_replicas":5}}]',
				3,
				/^--streams f: \[0\]\.config\.num_replicas: R5 needs 5 servers, the rehearsal runs 3 \(--nodes 5\)$/,
			],
			[
				'{"name":"X","subjects":["orders.>"]}',
				3,
				/^--streams f: subjects\[0\]: orders\.> overlaps natslab's lab stream/,
			],
			['[\n  {"name": "A"},\n  {"name": "B",}\n]', 3, /^--streams f: not JSON: line 3, column 16: /],
			[
				'[{"name":"A"},{"name":"B"},{"durable_name":"c","ack_policy":"none"}]',
				3,
				/^--streams f: \[2\]: a bare consumer config names no stream/,
			],
			[
				'[{"stream_name":"NOPE","config":{"durable_name":"c","ack_policy":"none"}},{"name":"A"}]',
				3,
				/^--streams f: \[0\]\.config: its stream NOPE is not in the file$/,
			],
			['{"name":"ORDERS"}', 3, /ORDERS is natslab's own lab stream/],
		];
		for (const [text, nodes, pattern] of cases) {
			const r = refusal(() => parseStreamsFile(text, 'f', nodes));
			expect(r.message).toMatch(pattern);
			expect(r.exitCode).toBe(2);
		}
	});
});

describe('--config', () => {
	it('takes the production settings, says which keys natslab owns, and renders them into every node', () => {
		const f = parseConfigFragment(read('config-fragment.conf'), 'prod.conf');
		expect(f.options).toEqual({
			lame_duck_duration: '60s',
			lame_duck_grace_period: '8s',
			max_payload: '2MB',
			ping_interval: '20s',
			'jetstream.max_memory_store': '256MB',
			'jetstream.max_file_store': '8GB',
		});
		expect(f.overridden.map((o) => `${o.key}:${o.line}`)).toEqual([
			'server_name:2',
			'listen:3',
			'jetstream.store_dir:11',
			'cluster.name:17',
			'cluster.routes:18',
		]);
		const text = renderNodeConfig({
			name: 'n1',
			version: '2.10.27',
			ports: { client: 4222, cluster: 6222, http: 8222 },
			routePorts: [6222],
			storeDir: '/tmp/x',
			options: f.options,
		}).text;
		// The user's lame duck replaces the lab's: one line each.
		expect(text.match(/^lame_duck_duration:.*$/gm)).toEqual(['lame_duck_duration: "60s"']);
		expect(text.match(/^lame_duck_grace_period:.*$/gm)).toEqual(['lame_duck_grace_period: "8s"']);
		expect(text).toMatch(/^max_payload: 2MB$/m);
		expect(text).toMatch(/^ {2}max_file_store: 8GB$/m);
	});

	it('refuses a fragment the servers or natslab could not use, as FILE:LINE', () => {
		const cases: [string, RegExp][] = [
			[
				'\n\nlame_duck_duration: 10s\n',
				/^--config f:3: lame_duck_duration 10s: nats-server's minimum is 30s$/,
			],
			[
				'lame_duck_duration: 30s\nlame_duck_grace_period: 30s\n',
				/^--config f:2: lame_duck_grace_period 30s must be shorter/,
			],
			['accounts {\n}\n', /^--config f:1: block accounts is not supported/],
			// The last line of the file (2), not one past it; and where the block opened.
			[
				'jetstream {\n  max_file_store: 1G\n',
				/^--config f:2: block jetstream \(opened at line 1\) is not closed$/,
			],
			[
				'write_deadline: "2s"\ntls_timeout: 2\n',
				/^--config f:2: tls_timeout is not a setting natslab can apply/,
			],
			['max_payload: lots\n', /^--config f:1: max_payload must be bytes or a size like 256MB, not lots$/],
		];
		for (const [text, pattern] of cases) {
			const r = refusal(() => parseConfigFragment(text, 'f'));
			expect(r.message).toMatch(pattern);
			expect(r.exitCode).toBe(2);
		}
	});
});

describe('--client-options and the files together', () => {
	it('reads the nats.js options and refuses an unknown one by name', () => {
		expect(parseClientOptions(read('client-options.json'), 'c.json')).toEqual({
			pingInterval: 20_000,
			maxPingOut: 2,
			reconnectTimeWait: 1000,
			reconnectJitter: 200,
			maxReconnectAttempts: -1,
			timeout: 5000,
		});
		expect(refusal(() => parseClientOptions('{"noEcho": true}', 'c.json')).message).toMatch(
			/^--client-options c\.json: noEcho: not an option natslab applies/,
		);
	});

	it('loads every file up front; --nodes 5 without --streams adds an R5 stream', () => {
		const all = loadRunInputs({
			nodes: 3,
			streamsFile: join(DIR, 'streams-info.json'),
			configFile: join(DIR, 'config-fragment.conf'),
			clientOptionsFile: join(DIR, 'client-options.json'),
			rate: 30,
			size: 256,
		});
		expect(all.load).toEqual({ rate: 30, sizeBytes: 256 });
		expect(all.streams?.streams).toHaveLength(2);
		const five = loadRunInputs({
			nodes: 5,
			streamsFile: null,
			configFile: null,
			clientOptionsFile: null,
			rate: 20,
			size: 128,
		});
		expect(five.streams?.streams.map((s) => [s.name, s.replicas])).toEqual([['R5', 5]]);
		expect(
			refusal(() =>
				loadRunInputs({
					nodes: 3,
					streamsFile: join(DIR, 'nope.json'),
					configFile: null,
					clientOptionsFile: null,
					rate: 1,
					size: 1,
				}),
			).message,
		).toMatch(/cannot read it \(ENOENT\)/);
	});
});
