// Preloaded into the sandbox by bench/screen.mjs (`node --import`): records, as wall-clock times,
// when the process wrote its first frame showing three nodes `● up` and the one showing the meta
// leader. Read from inside, the figure carries no cost of watching: polling `tmux capture-pane`
// every few ms starts hundreds of processes a second and slowed the very start it timed.
import { appendFileSync } from 'node:fs';

const file = process.env.NATSLAB_BENCH_MARKS;
if (file) {
	const write = process.stdout.write.bind(process.stdout);
	const seen = new Set();
	const mark = (what) => {
		if (seen.has(what)) return;
		seen.add(what);
		appendFileSync(file, `${JSON.stringify({ what, at: Date.now() })}\n`);
	};
	process.stdout.write = (chunk, ...rest) => {
		const text = String(chunk);
		if (!seen.has('first-output') && text.trim() !== '') mark('first-output');
		if ((text.match(/● up/g) ?? []).length >= 3) {
			mark('nodes-up');
			if (/meta leader n\d+ for /.test(text)) mark('dashboard');
		}
		return write(chunk, ...rest);
	};
}
