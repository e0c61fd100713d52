import { describe, expect, it } from 'vitest';
import {
	durationOptionMs,
	renderNodeConfig,
	SERVER_OPTIONS,
	type ServerOptions,
	sizeBytes,
} from '../../../src/cluster/config.js';
import { layout } from '../../../src/cluster/ports.js';

const ports = layout(14222, ['n1', 'n2', 'n3']);
const routePorts = [16222, 16223, 16224];

function render(version: string, options?: ServerOptions, name = 'n2') {
	return renderNodeConfig({
		name,
		version,
		ports: ports[name] ?? { client: 0, cluster: 0, http: 0 },
		routePorts,
		storeDir: '/state/clusters/default/data/n2',
		options,
	});
}

describe('renderNodeConfig', () => {
	it('renders the node, its ports, store, routes and lab lame duck settings', () => {
		const { text, omitted } = render('2.9.10');
		expect(omitted).toEqual([]);
		expect(text).toMatch(/^server_name: n2$/m);
		expect(text).toMatch(/^listen: 127\.0\.0\.1:14223$/m);
		expect(text).toMatch(/^http: 127\.0\.0\.1:18223$/m);
		expect(text).toMatch(/^\s+listen: 127\.0\.0\.1:16223$/m);
		expect(text).toMatch(/^\s+name: lab$/m);
		expect(text).toContain('store_dir: "/state/clusters/default/data/n2"');
		expect(text).toMatch(/^lame_duck_duration: "30s"$/m);
		expect(text).toMatch(/^lame_duck_grace_period: "3s"$/m);
		for (const p of routePorts) expect(text).toContain(`nats-route://127.0.0.1:${p}`);
		expect(text).not.toMatch(/\{\{|\}\}/);
	});

	it('binds every listener to 127.0.0.1 and nothing else', () => {
		const { text } = render('2.10.27');
		const listeners = text.split('\n').filter((l) => /^\s*(listen|http)\s*:/.test(l));
		expect(listeners).toHaveLength(3);
		for (const l of listeners) expect(l).toMatch(/:\s*127\.0\.0\.1:\d+$/);
	});

	it('emits no version-gated key by default', () => {
		for (const v of ['2.9.10', '2.10.27', '2.15.1']) {
			const { text } = render(v);
			for (const spec of Object.values(SERVER_OPTIONS)) {
				if (spec.since === '2.0.0' || spec.since === '2.2.0') continue;
				expect(text).not.toMatch(new RegExp(`^\\s*${spec.key}:`, 'm'));
			}
		}
	});

	it('emits a 2.10 key only for versions that know it, and reports what it left out', () => {
		const options: ServerOptions = { 'cluster.pool_size': 3, 'jetstream.sync_interval': '2m' };
		const old = render('2.9.10', options);
		expect(old.text).not.toMatch(/pool_size|sync_interval/);
		expect(old.omitted).toEqual([
			{ option: 'jetstream.sync_interval', since: '2.10.0' },
			{ option: 'cluster.pool_size', since: '2.10.0' },
		]);
		const newer = render('2.10.27', options);
		expect(newer.omitted).toEqual([]);
		expect(newer.text).toMatch(/^cluster \{[\s\S]*^ {2}pool_size: 3$[\s\S]*^\}/m);
		expect(newer.text).toMatch(/^jetstream \{[\s\S]*^ {2}sync_interval: "2m"$/m);
	});

	it('gates on patch releases too (cluster.ping_interval needs 2.10.10)', () => {
		expect(render('2.10.9', { 'cluster.ping_interval': '10s' }).omitted).toHaveLength(1);
		expect(render('2.10.10', { 'cluster.ping_interval': '10s' }).text).toContain('  ping_interval: "10s"');
		expect(render('2.10.27', { 'jetstream.strict': true }).omitted).toEqual([
			{ option: 'jetstream.strict', since: '2.11.0' },
		]);
		expect(render('2.15.1', { 'jetstream.strict': true }).text).toContain('  strict: true');
	});

	it('puts top-level options at the top level', () => {
		const { text } = render('2.9.10', { write_deadline: '5s' });
		expect(text).toMatch(/^write_deadline: "5s"$/m);
	});

	it('rejects unknown options and values of the wrong kind as UserErrors', () => {
		expect(() => render('2.10.27', { nope: 1 } as unknown as ServerOptions)).toThrow(
			/unknown server option nope/,
		);
		expect(() => render('2.10.27', { 'cluster.pool_size': '3' })).toThrow(/whole number/);
		expect(() => render('2.15.1', { 'jetstream.strict': 'yes' })).toThrow(/true or false/);
		expect(() => render('2.10.27', { 'cluster.compression': 'a\nb' })).toThrow(/one-line/);
	});

	it('quotes the store path so spaces and quotes survive', () => {
		const { text } = renderNodeConfig({
			name: 'n1',
			version: '2.9.10',
			ports: { client: 1, cluster: 2, http: 3 },
			routePorts: [2],
			storeDir: '/tmp/my "lab" dir/n1',
		});
		expect(text).toContain('store_dir: "/tmp/my \\"lab\\" dir/n1"');
	});
});

describe('size options', () => {
	it('are written unquoted (quoted sizes are rejected by 2.10+) and validated', () => {
		const { text } = render('2.10.27', {
			'jetstream.max_memory_store': '256MB',
			'jetstream.max_file_store': 1073741824,
		});
		expect(text).toMatch(/^ {2}max_memory_store: 256MB$/m);
		expect(text).toMatch(/^ {2}max_file_store: 1073741824$/m);
		expect(() => render('2.10.27', { 'jetstream.max_memory_store': 'lots' })).toThrow(/size like 256MB/);
	});
});

describe('option values as the servers read them', () => {
	it('sizes: K, M, G, T are powers of 1000, KB, MB, GB, TB of 1024 (conf/parse.go)', () => {
		expect(sizeBytes('1MB')).toBe(1024 * 1024);
		expect(sizeBytes('1M')).toBe(1_000_000);
		expect(sizeBytes('4kb')).toBe(4096);
		expect(sizeBytes(2048)).toBe(2048);
		expect(sizeBytes('lots')).toBeNull();
	});

	it('durations: a Go duration, or whole seconds as a number', () => {
		expect(durationOptionMs(120)).toBe(120_000);
		expect(durationOptionMs('1h30m')).toBe(5_400_000);
		expect(durationOptionMs('500ms')).toBe(500);
		expect(durationOptionMs('120')).toBeNull();
		expect(durationOptionMs(1.5)).toBeNull();
	});

	it('writes whole seconds as "<n>s" (a bare integer makes nats-server -t exit 1) and a Go duration quoted', () => {
		const { text } = render('2.15.1', {
			ping_interval: 120,
			write_deadline: '10s',
			'jetstream.sync_interval': 'always',
		});
		expect(text).toMatch(/^ping_interval: "120s"$/m);
		expect(text).toMatch(/^write_deadline: "10s"$/m);
		expect(text).toMatch(/^ {2}sync_interval: "always"$/m);
		expect(() => render('2.15.1', { write_deadline: '2x' })).toThrow(/write_deadline must be a duration/);
	});
});
