// `natslab watch` on clusters natslab did not start (issue #16): servers the
// test starts on 127.0.0.5-9 (watch-servers.ts) with a system account. The
// watch lab (over NATS, and over monitoring ports) is held to each server's own
// /jsz: the meta leader and the stream leaders the screen shows are the ones
// the servers name; a SIGTERMed leader shows as gone and the new one appears.
// Watch may only send $SYS.REQ.SERVER requests (a system-account subscriber on
// $SYS.REQ.> sees every request, and the stream is untouched); the password
// never reaches a frame or --json; a wrong password or no server is one line,
// exit 2. Then five servers of mixed versions fit the 80x24 screen.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../src/base/wait.js';
import { ensureLabAssets } from '../../src/probes/lab-stream.js';
import { errorMessage } from '../../src/probes/timing.js';
import { readRecording } from '../../src/record/read.js';
import { recordedCreateLab } from '../../src/record/recorded-lab.js';
import { Recorder } from '../../src/record/recorder.js';
import { Dashboard } from '../../src/ui/components/Dashboard.js';
import { MonitorWatchSource, NatsWatchSource } from '../../src/watch/sources.js';
import { createWatchLab, type WatchLab, type WatchLabOptions } from '../../src/watch/watch-lab.js';
import { natslabCli } from '../support/natslab-cli.js';
import { TEST_BASE_PORTS } from '../support/ports.js';
import { cleanup, renderWithProviders } from '../support/render.js';
import { hasBinary, metaLeaderSeenBy, tempState, waitUntil } from './cluster-support.js';
import {
	APP_PASSWORD,
	clusterReady,
	planServers,
	SYS_PASSWORD,
	sigterm,
	startServer,
	stopAll,
	streamLeaderSeenBy,
	type TestServer,
} from './watch-servers.js';

const HOME = tempState('watch');
const env = { ...process.env, NATSLAB_HOME: HOME };
const SIZE = { cols: 80, rows: 24 };
const RECORDING = join(HOME, 'watch.jsonl');
const labs: WatchLab[] = [];
const connections: NatsConnection[] = [];

afterAll(async () => {
	cleanup();
	await Promise.all(labs.map((l) => l.shutdown()));
	await Promise.all(connections.map((nc) => nc.close().catch(() => {})));
	await stopAll();
});

/** A watch over NATS as the sys user; with `recordTo`, recorded as `watch --record` does. */
async function watchOverNats(servers: TestServer[], recordTo?: string): Promise<WatchLab> {
	const source = await NatsWatchSource.open(
		{ servers: servers.map((s) => `nats://${s.host}:${s.client}`), user: 'sys', password: SYS_PASSWORD },
		3000,
	);
	const create = (o: WatchLabOptions) => createWatchLab(source, o);
	const recorder = recordTo ? await Recorder.open(recordTo, { command: 'watch', mode: 'watch' }) : null;
	const lab = (await (recorder ? recordedCreateLab(create, recorder) : create)({})) as WatchLab;
	labs.push(lab);
	return lab;
}

/** The meta leader every running server's /jsz names, and each stream's leader as its holders name it. */
async function serversSay(servers: TestServer[], streams: string[]) {
	const meta = await Promise.all(servers.map((s) => metaLeaderSeenBy(s.http)));
	const leaders: Record<string, (string | null | undefined)[]> = {};
	for (const st of streams)
		leaders[st] = (await Promise.all(servers.map((s) => streamLeaderSeenBy(s.http, st)))).filter(
			(l) => l !== undefined,
		);
	return { meta, leaders };
}

const THREE = ['2.10.27', '2.10.27', '2.10.27'] as const;

describe.skipIf(!THREE.every(hasBinary)).sequential('watch on three 2.10.27 servers it did not start', () => {
	const dir = join(HOME, 'three');
	const servers = planServers(THREE, TEST_BASE_PORTS.watch, dir);
	let lab: WatchLab;
	/** Requests with a client inbox for the reply: a client's (the servers' own use $SYS._INBOX). */
	const watchRequests: string[] = [];

	it('over NATS: the meta and stream leaders on the screen are the ones every server’s /jsz names; no node key, no password', async () => {
		for (const s of servers) startServer(s, servers, dir);
		await clusterReady(servers, dir);
		const app = await connect({
			servers: `nats://${servers[0]?.host}:${servers[0]?.client}`,
			user: 'app',
			pass: APP_PASSWORD,
		});
		connections.push(app);
		const jsm = await jetstreamManager(app, { timeout: 10_000 });
		// Just after the bootstrap the meta leader may not count a peer as online yet: 'no suitable
		// peers for placement, peer offline' (docs/nats-behavior.md §4; once here, under load).
		await waitUntil(
			async () => {
				try {
					await ensureLabAssets(jsm, 3);
					await jsm.streams.add({ name: 'LOCAL', subjects: ['local.>'], num_replicas: 1 });
					return true;
				} catch (err) {
					if (/no suitable peers/i.test(errorMessage(err))) return null;
					throw err;
				}
			},
			'ORDERS (R3), C1 and LOCAL placed',
			30_000,
			500,
		);
		// Every $SYS request anyone sends, seen by a system-account subscriber of its own.
		const spy = await connect({
			servers: `nats://${servers[1]?.host}:${servers[1]?.client}`,
			user: 'sys',
			pass: SYS_PASSWORD,
		});
		connections.push(spy);
		spy.subscribe('$SYS.REQ.>', {
			callback: (_e, m) => {
				// The servers' own requests reply to $SYS._INBOX; a client's to its _INBOX.
				if (m.reply?.startsWith('_INBOX.')) watchRequests.push(m.subject);
			},
		});
		await spy.flush();

		const t0 = Date.now();
		lab = await watchOverNats(servers, RECORDING);
		const screen = renderWithProviders(<Dashboard mode="watch" onQuit={() => {}} />, {
			lab,
			size: SIZE,
			clock: Date.now,
		});
		const settled = await waitUntil(
			async () => {
				const say = await serversSay(servers, ['ORDERS', 'LOCAL']);
				const s = lab.getState();
				const meta = say.meta[0];
				const ok =
					meta &&
					say.meta.every((m) => m === meta) &&
					s.cluster.meta.leader === meta &&
					['ORDERS', 'LOCAL'].every(
						(st) =>
							say.leaders[st]?.[0] && say.leaders[st]?.every((l) => l === s.cluster.streams[st]?.leader),
					) &&
					screen.frame().includes(`meta leader ${meta}`);
				return ok ? { meta, ms: Date.now() - t0 } : null;
			},
			'the watch lab and the screen naming the leaders the servers name',
			30_000,
			200,
		);
		console.log(`watch: leaders on screen ${settled.ms} ms after the watch lab was asked for`);
		const frame = screen.frame();
		expect(frame).toContain('watching watched');
		expect(frame).toMatch(new RegExp(`${settled.meta}\\s+2\\.10\\.27\\s+● up\\s+◆META`));
		expect(frame).toContain("no logs: watching watched reads no server's log file");
		// No key that would change the cluster, on the bar or in the help.
		expect(frame).not.toMatch(/restart|kill|stop\/start|lame duck|upgrade|pause/);
		screen.stdin.write('?');
		const help = await waitUntil(
			() => (screen.frame().includes('help') ? screen.frame() : null),
			'the help',
			5000,
		);
		expect(help).not.toMatch(/SIGKILL|SIGTERM|restart \(stop/);
		screen.stdin.write('2r2s2k2l2p2u');
		expect(JSON.stringify(lab.getState())).not.toContain(SYS_PASSWORD);
		expect(screen.frame()).not.toContain(SYS_PASSWORD);
		screen.unmount();
	}, 90_000);

	it('a SIGTERMed meta leader shows as gone in its own words and the new meta leader appears', async () => {
		const old = lab.getState().cluster.meta.leader as string;
		const victim = servers.find((s) => s.name === old) as TestServer;
		const rest = servers.filter((s) => s !== victim);
		await sigterm(victim);
		const next = await waitUntil(
			async () => {
				const meta = await Promise.all(rest.map((s) => metaLeaderSeenBy(s.http)));
				return meta[0] && meta[0] !== old && meta.every((m) => m === meta[0]) ? meta[0] : null;
			},
			'the other servers agreeing on a new meta leader',
			30_000,
			200,
		);
		await waitFor(lab, (s) => s.cluster.meta.leader === next && s.cluster.nodes[old]?.process === 'exited', {
			timeoutMs: 30_000,
			describe: () => `${old} gone and ${next} meta leader in the watch lab`,
		});
		const timeline = lab.getState().timeline.map((e) => e.text);
		expect(timeline.some((t) => t.includes(`${old} is shutting down (its $SYS.SERVER.`))).toBe(true);
		// --record kept it: the read-only label, the server's own word; never the password.
		await lab.shutdown();
		const rec = await readRecording(RECORDING);
		expect(rec.header.readOnly).toBe('watching watched');
		expect(
			rec.entries.some(
				(e) => e.kind === 'lab' && e.event.kind === 'note' && e.event.text.includes('is shutting down'),
			),
		).toBe(true);
		expect(readFileSync(RECORDING, 'utf8')).not.toContain(SYS_PASSWORD);
	}, 60_000);

	it('it sent nothing but $SYS.REQ.SERVER requests, and the stream is as it was', async () => {
		const sent = [...new Set(watchRequests.map((s) => s.replace(/SERVER\.N[A-Z0-9]{55}\./, 'SERVER.<id>.')))];
		expect(sent.length).toBeGreaterThan(0);
		for (const subject of sent)
			expect(subject).toMatch(/^\$SYS\.REQ\.SERVER\.(PING|<id>)\.(VARZ|ROUTEZ|JSZ|HEALTHZ|RAFTZ)$/);
		const app = connections[0] as NatsConnection;
		// The test before SIGTERMed the meta leader: the app's server may be the one gone (nats.js
		// re-dials another) and ORDERS may be electing a leader. Its JetStream API answering again is the
		// precondition; a timeout meanwhile is waited out (once here under load a single 10 s request
		// was not enough), any other error fails.
		const info = await waitUntil(
			async () => {
				try {
					const jsm = await jetstreamManager(app, { timeout: 5000 });
					return await jsm.streams.info('ORDERS');
				} catch (err) {
					if (/timeout|TIMEOUT|503|no responders|temporarily unavailable/i.test(errorMessage(err)))
						return null;
					throw err;
				}
			},
			"ORDERS' info from the JetStream API after the meta leader's SIGTERM",
			60_000,
			500,
		);
		expect(info.state.messages).toBe(0);
		expect(info.config.num_replicas).toBe(3);

		// Everything a watch publishes, counted by the server it is connected to (its connection's
		// in_msgs in /connz, found by name): exactly the requests a spy on that server saw, so nothing
		// outside $SYS.REQ and nothing without a reply (a spy would not see those; in_msgs counts them).
		// One spy per running server, subscribed (flushed) before the watch connects: the watch's
		// messages reach its own server's spy with no route in between. The spy above cannot count
		// them: its server may be the one SIGTERMed just before, and while it re-dialled (and its
		// interest crossed the routes) it missed the watch's first two PING.VARZ ('saw 10' of 12).
		const up = servers.filter((s) => !s.stopped);
		const seenOn = new Map<string, string[]>();
		for (const s of up) {
			const spy = await connect({ servers: `nats://${s.host}:${s.client}`, user: 'sys', pass: SYS_PASSWORD });
			connections.push(spy);
			const seen: string[] = [];
			seenOn.set(s.name, seen);
			spy.subscribe('$SYS.REQ.>', {
				callback: (_e, m) => {
					if (m.reply?.startsWith('_INBOX.')) seen.push(m.subject);
				},
			});
			await spy.flush();
		}
		const since = Date.now();
		const short = await watchOverNats(up);
		await waitFor(short, (st) => st.cluster.meta.leader !== null, {
			timeoutMs: 30_000,
			describe: () => 'a second watch naming the meta leader',
		});
		await short.shutdown();
		const { server, inMsgs } = await waitUntil(
			async () => {
				for (const s of up) {
					const res = await fetch(`${s.http}/connz?state=closed&limit=1000`);
					const connz = (await res.json()) as {
						connections?: { name?: string; in_msgs: number; start: string }[];
					};
					const mine = (connz.connections ?? []).find(
						// Started after `since`: the first watch's connections (one may have re-dialled a server
						// just before, when the SIGTERMed one went) started earlier and closed with their lab.
						(c) => c.name === 'natslab watch (read-only)' && Date.parse(c.start) >= since,
					);
					if (mine) return { server: s.name, inMsgs: mine.in_msgs };
				}
				return null;
			},
			"the second watch's closed connection in /connz",
			15_000,
			200,
		);
		expect(inMsgs).toBeGreaterThan(0);
		const seen = seenOn.get(server) as string[];
		await waitUntil(
			() => (seen.length === inMsgs ? true : null),
			`the spy on ${server} seeing all ${inMsgs} messages the watch published there (saw ${seen.length})`,
			15_000,
			100,
		);
		expect(seen.length).toBe(inMsgs);
		for (const subject of seen)
			expect(subject).toMatch(/^\$SYS\.REQ\.SERVER\.(PING|N[A-Z0-9]{55})\.(VARZ|ROUTEZ|JSZ|HEALTHZ|RAFTZ)$/);
	}, 120_000);

	it('--once --json over NATS and over monitoring ports: the leaders the servers name, no password; bad credentials and no server are one line, exit 2', async () => {
		const up = servers.filter((s) => !s.stopped);
		const url = `nats://${up[0]?.host}:${up[0]?.client}`;
		const [nats, monitor, wrong, nobody] = await Promise.all([
			natslabCli(['watch', '--server', url, '--user', 'sys', '--once', '--json'], {
				...env,
				NATS_PASSWORD: SYS_PASSWORD,
			}),
			natslabCli(['watch', '--monitor', up.map((s) => s.http).join(','), '--once', '--json'], env),
			natslabCli(['watch', '--server', url, '--user', 'sys', '--password', 'wrong-pw-123', '--once'], env),
			natslabCli(
				['watch', '--server', 'nats://127.0.0.9:9', '--user', 'sys', '--password', SYS_PASSWORD, '--once'],
				env,
			),
		]);
		const meta = await metaLeaderSeenBy(up[0]?.http as string);
		const orders = await streamLeaderSeenBy(up[0]?.http as string, 'ORDERS');
		for (const r of [nats, monitor]) {
			expect(r.code, r.stderr).toBe(0);
			const snap = JSON.parse(r.stdout) as {
				metaLeader: string;
				streams: { stream: string; leader: string }[];
			};
			expect(snap.metaLeader).toBe(meta);
			expect(snap.streams.find((s) => s.stream === 'ORDERS')?.leader).toBe(orders);
			expect(r.stdout + r.stderr).not.toContain(SYS_PASSWORD);
		}
		for (const r of [wrong, nobody]) {
			expect(r.code, r.stdout + r.stderr).toBe(2);
			expect(r.stdout).toBe('');
			expect(r.stderr.trim().split('\n')).toHaveLength(1);
			expect(r.stderr).toMatch(/^natslab: watch: could not connect to nats:\/\/127\.0\.0\.\d+:\d+: /);
			expect(r.stderr).not.toContain('wrong-pw-123');
			expect(r.stderr).not.toContain(SYS_PASSWORD);
		}
		expect(wrong.stderr).toMatch(/Authorization Violation/i);
	}, 60_000);

	it('over monitoring ports: the same meta leader as the servers', async () => {
		const up = servers.filter((s) => !s.stopped);
		const mlab = await createWatchLab(
			await MonitorWatchSource.open(
				up.map((s) => s.http),
				3000,
			),
		);
		labs.push(mlab);
		const meta = await metaLeaderSeenBy(up[0]?.http as string);
		await waitFor(mlab, (s) => s.cluster.meta.leader === meta && s.cluster.streams.ORDERS?.leader != null, {
			timeoutMs: 20_000,
			describe: () => `meta leader ${meta} in the monitoring watch`,
		});
		expect(mlab.how).toBe('over monitoring ports');
		await mlab.shutdown();
		await Promise.all(servers.map(sigterm));
	}, 40_000);
});

const FIVE = ['2.10.27', '2.9.10', '2.15.1', '2.10.27', '2.15.1'] as const;

describe.skipIf(!FIVE.every(hasBinary)).sequential('watch on five servers of mixed versions', () => {
	it('the nodes panel fits 80x24 with five servers; every row up, the meta leader the servers name', async () => {
		const dir = join(HOME, 'five');
		const servers = planServers(FIVE, TEST_BASE_PORTS.watch + 10, dir);
		for (const s of servers) startServer(s, servers, dir);
		const meta = await clusterReady(servers, dir, 90_000);
		const lab = await watchOverNats(servers.slice(2, 3));
		const screen = renderWithProviders(<Dashboard mode="watch" onQuit={() => {}} />, {
			lab,
			size: SIZE,
			clock: Date.now,
		});
		const frame = await waitUntil(
			() => {
				const f = screen.frame();
				return lab.getState().cluster.meta.leader === meta && f.includes(`meta leader ${meta}`) ? f : null;
			},
			`meta leader ${meta} on the five-server screen`,
			30_000,
			200,
		);
		const rows = frame.split('\n');
		expect(rows.length).toBeLessThanOrEqual(24);
		for (const [i, s] of servers.entries())
			expect(frame).toMatch(new RegExp(`${i + 1} ${s.name}\\s+${s.version.replace(/\./g, '\\.')}\\s+● up`));
		screen.unmount();
	}, 120_000);
});
