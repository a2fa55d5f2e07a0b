import { formatMs } from './errors';

/**
 * How an account's pacing learns Kore's real limit from its refusals: pure functions of the state, the time and
 * Kore's answer, used by the in-process pacer and, in queue mode, by every worker on the state they share in
 * n8n's Redis. Kore sends no Retry-After and no rate-limit headers: a refusal (429) is all there is to go on.
 *
 * - A refusal lowers the rate to DECREASE times the rate it sends at, or what Kore accepted in the last window if
 *   that is less (multiplicative decrease) — once per run of refusals, which lasts until a request sent after its
 *   first refusal is accepted, and once per window (until then Kore still holds requests sent before the decrease).
 *   After each refusal the account waits an interval, or PROBE_GROWTH of the run so far.
 * - The first run of a fresh state measures the rate: what Kore accepted in the window before the run, over the
 *   time from the oldest of those until Kore accepts again (less 2 %). (A burst at the credential's limit tells how many Kore
 *   takes, not how soon it takes more.) Until then the account probes at PROBE times that count per window. A
 *   measurement at the credential's limit or above is no measurement: the slot came from others.
 * - Each accepted request adds INCREASE / rate, so a window of successes adds INCREASE requests per window
 *   (additive increase). At the credential's limit the learned rate is dropped: the limit is the ceiling.
 * - A state with no answered request for QUIET_WINDOWS windows is forgotten.
 *
 * Rates are requests per window, the unit of the credential's Requests per Minute.
 */
export interface LearnedRate {
	/** Requests per window the account is paced to, below the credential's limit. */
	rate: number;
	/** When a request of the account was last answered. */
	lastUsed: number;
	/** Whether the first run of refusals has measured the rate; after it, only the decrease and increase move it. */
	measured: boolean;
	/** When the rate was last decreased. */
	decreasedAt?: number;
	/** The run of refusals in progress. */
	refused?: {
		/** When its first refusal was answered. */
		since: number;
		/** What Kore had accepted in the window before it, and when the oldest of those was answered. */
		accepted: number;
		oldest: number;
	};
}

/** Kore's answer to one request, and the account's pacing. */
export interface Answer {
	now: number;
	/** When the request was sent: an answer to one sent before a run of refusals began does not end it. */
	sentAt: number;
	/** The credential's limit per window. */
	ceiling: number;
	windowMs: number;
}

/** What Kore accepted for the account in the last window, and when the oldest of those was answered. */
export interface Recent {
	accepted: number;
	oldest?: number;
}

/** A new state, and — when the rate changed enough to say so — the change, for the log. */
export interface Learning {
	state?: LearnedRate;
	change?: { from: number; to: number; why: string };
}

export const DECREASE = 0.85;
export const INCREASE = 1;
export const QUIET_WINDOWS = 10;
export const PROBE = 3;
export const PROBE_GROWTH = 0.1;
const MIN_RATE = 1;
const MAX_RUN_WINDOWS = 1.25;
/** A measurement is exact at best (a probe right as Kore frees a slot): this keeps a margin below it. */
const MEASURE_MARGIN = 0.98;

/** The state, unless the account has been quiet for QUIET_WINDOWS windows. */
export function current(state: LearnedRate | undefined, now: number, windowMs: number): LearnedRate | undefined {
	return state && now - state.lastUsed <= QUIET_WINDOWS * windowMs ? state : undefined;
}

/**
 * The shortest time between two requests of the account (0 when nothing is learned). While the first run of
 * refusals measures the rate, probes go at PROBE times the count Kore accepted: Kore's own window may be shorter
 * than the credential's minute, and how late a probe comes after Kore frees a slot is the measurement's error.
 */
export function spacingMs(state: LearnedRate | undefined, windowMs: number): number {
	if (!state) return 0;
	const probing = state.refused && !state.measured ? PROBE * state.refused.accepted : 0;
	return windowMs / Math.max(state.rate, probing);
}

/** How long the account waits after a refusal: an interval, or PROBE_GROWTH of the run of refusals so far. */
export function refusalWaitMs(state: LearnedRate | undefined, windowMs: number, now: number): number {
	return Math.max(spacingMs(state, windowMs), state?.refused ? PROBE_GROWTH * (now - state.refused.since) : 0);
}

/** Kore refused a request for its rate limit. */
export function onRefused(state: LearnedRate | undefined, answer: Answer, recent: Recent): Learning {
	const { now, ceiling, windowMs } = answer;
	const known = current(state, now, windowMs);
	if (known?.refused) {
		return { state: { ...known, lastUsed: now } };
	}
	const from = Math.min(known?.rate ?? ceiling, ceiling);
	const refused = { since: now, accepted: recent.accepted, oldest: recent.oldest ?? now };
	// Kore's window still holds requests sent before the last decrease: this refusal may be theirs.
	if (known?.decreasedAt !== undefined && now - known.decreasedAt < windowMs) {
		return { state: { ...known, rate: from, lastUsed: now, refused } };
	}
	// What Kore took in the last window, if less (nothing taken: the window is full of others' requests, and the
	// rate is all there is to go on); once measured, per the time it took, as the window may hold a dead time.
	const span = Math.max(1, now - (recent.oldest ?? now));
	const taken = known?.measured ? (recent.accepted * windowMs) / Math.min(windowMs, span) : recent.accepted;
	const base = recent.accepted > 0 ? Math.min(from, taken) : from;
	const rate = Math.max(MIN_RATE, base * DECREASE);
	return {
		state: { rate, lastUsed: now, measured: known?.measured ?? false, decreasedAt: now, refused },
		change: { from, to: rate, why: `Kore refused a request after accepting ${recent.accepted} in the last window` },
	};
}

/** Kore answered a request (with anything but a rate-limit refusal). */
export function onAccepted(state: LearnedRate | undefined, answer: Answer): Learning {
	const { now, sentAt, ceiling, windowMs } = answer;
	const known = current(state, now, windowMs);
	if (!known) {
		return state ? { change: { from: state.rate, to: ceiling, why: `no request for over ${formatMs(QUIET_WINDOWS * windowMs)}` } } : {};
	}
	const { refused } = known;
	if (refused && sentAt < refused.since) return { state: { ...known, lastUsed: now } };
	if (refused) {
		// the run of refusals is over
		const ended = { rate: known.rate, lastUsed: now, measured: true, decreasedAt: known.decreasedAt };
		if (known.measured || refused.accepted === 0 || now <= refused.oldest) return { state: ended };
		// (a run left by a request sent long after it, e.g. by a later execution, measures at most this long)
		const measured = (MEASURE_MARGIN * refused.accepted * windowMs) / Math.min(now - refused.oldest, MAX_RUN_WINDOWS * windowMs);
		// At the credential's limit or more, what came back were others' slots (theirs left, or were refused),
		// not its own: no measurement, the decreased rate stands.
		if (measured >= ceiling) return { state: ended };
		const rate = Math.max(MIN_RATE, measured);
		const why = `Kore accepted ${refused.accepted} in ${formatMs(now - refused.oldest)} before accepting more`;
		return { state: { ...ended, rate }, change: { from: known.rate, to: rate, why } };
	}
	const rate = known.rate + INCREASE / known.rate;
	if (rate >= ceiling) return { change: { from: known.rate, to: ceiling, why: "requests succeeded up to the credential's limit" } };
	const next = { ...known, rate, lastUsed: now };
	// one log line per whole request per window gained
	return Math.round(rate) > Math.round(known.rate) ? { state: next, change: { from: known.rate, to: rate, why: 'requests succeeded' } } : { state: next };
}
