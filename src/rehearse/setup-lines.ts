// createLab's set-up events as the rehearsal's progress lines (stderr).

import type { SetupEvent } from '../lab/types.js';

function setupLine(e: SetupEvent): string | null {
	switch (e.type) {
		case 'binary':
			if (e.phase === 'cached') return `nats-server ${e.version}: in the cache`;
			if (e.phase === 'ready') return `nats-server ${e.version}: downloaded and verified`;
			return null;
		case 'notice':
			return e.text;
		case 'node':
			return e.phase === 'starting' ? null : `${e.node}: ${e.phase}${e.detail ? ` (${e.detail})` : ''}`;
		case 'metaLeader':
			return `meta leader: ${e.node}`;
	}
}

export function onSetupOnce(progress: (line: string) => void): (e: SetupEvent) => void {
	let lastDownload = '';
	return (e) => {
		if (e.type === 'binary' && e.phase === 'downloading') {
			const key = `${e.version}`;
			if (key !== lastDownload)
				progress(`nats-server ${e.version}: downloading from ${e.progress?.source ?? 'a mirror'}`);
			lastDownload = key;
			return;
		}
		const line = setupLine(e);
		if (line) progress(line);
	};
}
