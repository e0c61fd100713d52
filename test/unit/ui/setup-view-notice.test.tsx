// The setup view's notices at 80 columns: the sandbox's downgrade warning (120 characters) is
// wrapped at spaces onto more rows, never cut, and the frame stays within the terminal's rows.

import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { sandboxPairWarning } from '../../../src/rehearse/version-pair.js';
import { SetupView } from '../../../src/ui/components/SetupView.js';
import { initialSetupState, reduceSetup } from '../../../src/ui/setup-state.js';
import { ThemeProvider } from '../../../src/ui/theme.js';

const warning = sandboxPairWarning('2.10.27', '2.9.10') as string;

function frameAt(cols: number, rows: number): string {
	const setup = reduceSetup(initialSetupState(['2.10.27', '2.9.10']), { type: 'notice', text: warning });
	const r = render(
		<ThemeProvider color={false}>
			<SetupView mode="sandbox" setup={setup} width={cols} rows={rows} startedAt={Date.now()} />
		</ThemeProvider>,
	);
	const f = r.lastFrame() ?? '';
	r.unmount();
	return f;
}

describe('setup view notices', () => {
	it('wrap a long warning at spaces at 80 columns: every word there, nothing cut', () => {
		const f = frameAt(80, 24);
		const lines = f.split('\n');
		expect(f).not.toContain('…');
		expect(lines.every((l) => l.length <= 80)).toBe(true);
		expect(lines.length).toBeLessThanOrEqual(24);
		const said = lines
			.map((l) => l.trim())
			.filter((l) => warning.includes(l) && l !== '')
			.join(' ');
		expect(said).toBe(warning);
	});
});
