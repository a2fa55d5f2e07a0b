/**
 * The learning rule on its own: pure functions, each given the time, so every clock here is a fake one.
 */
import {
	DECREASE,
	PROBE,
	PROBE_GROWTH,
	QUIET_WINDOWS,
	current,
	onAccepted,
	onRefused,
	refusalWaitMs,
	spacingMs,
} from '../../../../nodes/KoreContacts/transport/learnedRate';
import type { LearnedRate } from '../../../../nodes/KoreContacts/transport/learnedRate';

const W = 60_000;
const T = 1_000_000;
/** Kore's answer at `now` to a request sent 100 ms before, for a credential allowing `ceiling` per window. */
const at = (now: number, ceiling = 600, sentAt = now - 100) => ({ now, sentAt, ceiling, windowMs: W });
/** A rate measured earlier, with no run of refusals in progress. */
const measured = (rate: number, lastUsed = T): LearnedRate => ({ rate, lastUsed, measured: true });

describe('decrease on a refusal', () => {
	test('the first refusal: DECREASE times what Kore accepted in the last window, when that is below the limit', () => {
		const { state, change } = onRefused(undefined, at(T), { accepted: 10, oldest: T - 400 });
		expect(state).toEqual({ rate: 10 * DECREASE, lastUsed: T, measured: false, decreasedAt: T, refused: { since: T, accepted: 10, oldest: T - 400 } });
		expect(change).toEqual({ from: 600, to: 8.5, why: 'Kore refused a request after accepting 10 in the last window' });
	});

	test('once measured: DECREASE times the rate it sends at', () => {
		expect(onRefused(measured(30), at(T + 1000), { accepted: 30, oldest: T + 1000 - W }).state?.rate).toBe(30 * DECREASE);
	});

	test('once measured, when Kore took less than the rate in the last window (someone else came): from that', () => {
		expect(onRefused(measured(30), at(T + 1000), { accepted: 12, oldest: T + 1000 - W }).state?.rate).toBeCloseTo(12 * DECREASE);
		// 12 over the last 20 s only (the window began with a dead time): 36 per window, so from the rate
		expect(onRefused(measured(30), at(T + 1000), { accepted: 12, oldest: T + 1000 - 20_000 }).state?.rate).toBe(30 * DECREASE);
	});

	test('nothing accepted in the last window (it is full of others\' requests): from the rate, or the limit', () => {
		expect(onRefused(undefined, at(T, 60), { accepted: 0 }).state?.rate).toBe(60 * DECREASE);
		expect(onRefused(measured(40), at(T, 60), { accepted: 0 }).state?.rate).toBe(40 * DECREASE);
	});

	test('once per run of refusals: more refusals before Kore accepts again change nothing but when it was last used', () => {
		const first = onRefused(undefined, at(T), { accepted: 10, oldest: T - 400 }).state;
		const again = onRefused(first, at(T + 5000), { accepted: 10, oldest: T - 400 });
		expect(again.change).toBeUndefined();
		expect(again.state).toEqual({ ...first, lastUsed: T + 5000 });
	});

	test('an answer to a request sent before the run began does not end it; one sent after does', () => {
		const first = onRefused(measured(20), at(T), { accepted: 20, oldest: T - W + 1 }).state;
		const early = onAccepted(first, at(T + 50, 600, T - 10)).state;
		expect(early?.refused).toBeDefined();
		const after = onAccepted(early, at(T + 3000, 600, T + 2900)).state;
		expect(after).toEqual({ rate: 20 * DECREASE, lastUsed: T + 3000, measured: true, decreasedAt: T });
		// the next refusal starts a new run, and decreases again
		expect(onRefused(after, at(T + W + 1000), { accepted: 21, oldest: T + 1000 }).state?.rate).toBeCloseTo(20 * DECREASE * DECREASE);
	});

	test('once per window: a new run within a window of the decrease keeps the rate (Kore still holds requests sent before it)', () => {
		const after = { rate: 17, lastUsed: T + 3000, measured: true, decreasedAt: T };
		const { state, change } = onRefused(after, at(T + 9000), { accepted: 21, oldest: T + 9000 - W });
		expect(change).toBeUndefined();
		expect(state).toEqual({ ...after, lastUsed: T + 9000, refused: { since: T + 9000, accepted: 21, oldest: T + 9000 - W } });
	});
});

describe('the first run of refusals measures the rate', () => {
	test('what Kore accepted before the run, over the time until it accepts again', () => {
		// 10 accepted from T - 400; Kore takes more 20 s after the oldest: 10 per 20 s = 30 per minute, less 2 %
		const run = onRefused(undefined, at(T), { accepted: 10, oldest: T - 400 }).state;
		const { state, change } = onAccepted(run, at(T + 19_600));
		expect(state).toEqual({ rate: 29.4, lastUsed: T + 19_600, measured: true, decreasedAt: T });
		expect(change).toEqual({ from: 8.5, to: 29.4, why: 'Kore accepted 10 in 20.0 s before accepting more' });
	});

	test('a measurement at the credential\'s limit or more (others\' slots came free, not its own) keeps the decreased rate', () => {
		const run = onRefused(undefined, at(T, 60), { accepted: 50, oldest: T - 100 }).state;
		expect(onAccepted(run, at(T + 1000, 60))).toEqual({ state: { rate: 42.5, lastUsed: T + 1000, measured: true, decreasedAt: T } });
	});

	test('a run ended long after by a later execution measures at most 1.25 windows', () => {
		const run = onRefused(undefined, at(T), { accepted: 10, oldest: T - 400 }).state;
		expect(onAccepted(run, at(T + 5 * W)).state?.rate).toBeCloseTo((0.98 * 10) / 1.25);
	});

	test('until measured, it probes at PROBE times what Kore accepted, each wait growing to PROBE_GROWTH of the run', () => {
		const run = onRefused(undefined, at(T), { accepted: 10, oldest: T - 400 }).state;
		expect(spacingMs(run, W)).toBe(W / (PROBE * 10));
		expect(refusalWaitMs(run, W, T)).toBe(W / (PROBE * 10));
		expect(refusalWaitMs(run, W, T + 40_000)).toBe(PROBE_GROWTH * 40_000);
		// measured: one interval at the rate
		expect(spacingMs(measured(30), W)).toBe(W / 30);
		expect(spacingMs(undefined, W)).toBe(0);
	});
});

describe('increase while requests succeed', () => {
	test('each accepted request adds 1/rate: a window of successes adds one request per window', () => {
		let state: LearnedRate | undefined = measured(20);
		const changes: Array<{ from: number; to: number; why: string }> = [];
		for (let n = 0; n < 20; n++) {
			const learning = onAccepted(state, at(T + n * 3000));
			state = learning.state;
			if (learning.change) changes.push(learning.change);
		}
		expect(state?.rate).toBeGreaterThan(20.95);
		expect(state?.rate).toBeLessThan(21);
		// logged once, when the rate rounds to a new whole number, not at every request
		expect(changes).toHaveLength(1);
		expect(changes[0]).toMatchObject({ why: 'requests succeeded' });
		expect(changes[0].from).toBeLessThan(20.5);
		expect(changes[0].to).toBeGreaterThanOrEqual(20.5);
	});

	test('never above the credential\'s limit: reaching it drops the learned rate', () => {
		const learning = onAccepted(measured(59.99), at(T, 60));
		expect(learning.state).toBeUndefined();
		expect(learning.change).toEqual({ from: 59.99, to: 60, why: "requests succeeded up to the credential's limit" });
	});

	test('a limit lowered in the credential below the learned rate: decreases start from the limit', () => {
		expect(onRefused(measured(40), at(T, 20), { accepted: 40, oldest: T - W }).change).toMatchObject({ from: 20, to: 20 * DECREASE });
	});
});

describe('forgotten after a quiet period', () => {
	test(`no answered request for ${QUIET_WINDOWS} windows: the credential's limit again`, () => {
		const state = measured(20);
		expect(current(state, T + QUIET_WINDOWS * W, W)).toBe(state);
		expect(current(state, T + QUIET_WINDOWS * W + 1, W)).toBeUndefined();
		expect(onAccepted(state, at(T + QUIET_WINDOWS * W + 1))).toEqual({ change: { from: 20, to: 600, why: 'no request for over 10 min' } });
	});

	test('a refusal after a quiet period starts afresh, to be measured again', () => {
		const { state } = onRefused(measured(20), at(T + 11 * W), { accepted: 10, oldest: T + 11 * W - 1000 });
		expect(state).toMatchObject({ rate: 10 * DECREASE, measured: false });
	});
});
