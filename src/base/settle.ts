/**
 * Waits for EVERY promise to settle, then rejects with the first rejection (in the given order).
 * `Promise.all` rejects at the first failure while the others still run; a caller that cleans up
 * on failure (stops every server) must not start cleaning while a sibling start is still spawning.
 */
export async function settleAll(promises: readonly Promise<unknown>[]): Promise<void> {
	const results = await Promise.allSettled(promises);
	const failed = results.find((r) => r.status === 'rejected');
	if (failed?.status === 'rejected') throw failed.reason;
}
