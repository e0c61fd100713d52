// A set of message numbers kept as sorted, disjoint closed ranges: the numbers a receiver has
// not seen (yet). Numbers are added at either end (a newer or an older gap) and taken out one by
// one when a late message fills them.

/** Closed interval of message numbers. */
export type Range = [lo: number, hi: number];

export class NumberRanges {
	private readonly ranges: Range[] = [];
	count = 0;

	/** Adds [lo, hi] above every range held. */
	addAbove(lo: number, hi: number): void {
		const last = this.ranges[this.ranges.length - 1];
		if (last && last[1] + 1 === lo) last[1] = hi;
		else this.ranges.push([lo, hi]);
		this.count += hi - lo + 1;
	}

	/** Adds [lo, hi] below every range held. */
	addBelow(lo: number, hi: number): void {
		const first = this.ranges[0];
		if (first && hi + 1 === first[0]) first[0] = lo;
		else this.ranges.unshift([lo, hi]);
		this.count += hi - lo + 1;
	}

	/** Removes n; false when it was not in the set. */
	take(n: number): boolean {
		let lo = 0;
		let hi = this.ranges.length - 1;
		while (lo <= hi) {
			const mid = (lo + hi) >> 1;
			const range = this.ranges[mid] as Range;
			if (n < range[0]) hi = mid - 1;
			else if (n > range[1]) lo = mid + 1;
			else {
				this.count--;
				if (range[0] === range[1]) this.ranges.splice(mid, 1);
				else if (n === range[0]) range[0]++;
				else if (n === range[1]) range[1]--;
				else this.ranges.splice(mid, 1, [range[0], n - 1], [n + 1, range[1]]);
				return true;
			}
		}
		return false;
	}

	get size(): number {
		return this.ranges.length;
	}

	/** Copies of the newest `keep` ranges. */
	newest(keep: number): [number, number][] {
		return this.ranges.slice(-keep).map(([lo, hi]): [number, number] => [lo, hi]);
	}
}
