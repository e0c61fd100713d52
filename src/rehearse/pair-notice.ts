// A version-pair warning that must stay visible on the screen, not scroll away on
// stderr behind it: shown in the setup view while the cluster comes up, then kept
// in the lab's timeline. Used by `natslab sandbox --upgrade-to` for a downgrade.
import type { CreateLabOptions } from '../lab/lab.js';
import type { Lab } from '../lab/types.js';

type CreateLab = (opts: CreateLabOptions) => Promise<Lab>;

/** `create`, announcing `warning` (when there is one) in the setup view and the timeline. */
export function createLabWithWarning(create: CreateLab, warning: string | null): CreateLab {
	if (warning === null) return create;
	return async (opts) => {
		opts.onSetup?.({ type: 'notice', text: warning });
		const lab = await create(opts);
		lab.emit({ kind: 'note', at: Date.now(), text: warning });
		return lab;
	};
}
