import type { Logger } from 'n8n-workflow';

import { formatMs, formatRate } from '../KoreContacts/transport/errors';

/**
 * The budget guard. Kore allows an account 60 requests a minute and its list has no modified-since filter, so
 * every poll reads the whole stream: ⌈S/100⌉ requests for S contacts (one request for an empty stream). When a
 * read would take more than `share` of the account's requests between two reads, reads are spaced further
 * apart: a poll that comes sooner does nothing (no request), and the trigger says so in n8n's log.
 */

/** Contacts per page of the stream's list (the lookup layer's page). */
export const PAGE_SIZE = 100;

export const DEFAULT_SHARE = 0.25;

/** The requests of one complete read of a stream of `contacts` contacts. */
export function readCost(contacts: number): number {
	return Math.max(1, Math.ceil(contacts / PAGE_SIZE));
}

export interface Budget {
	/**
	 * Kore's limit for the account per `windowMs`: the credential's Requests per Minute, or the rate learned from
	 * Kore's refusals (`learned`) when lower — others then use part of the account.
	 */
	limit: number;
	learned?: boolean;
	windowMs: number;
	/** The largest share of the account's requests that the trigger's reads may take (0–1]. */
	share: number;
}

/** The shortest time between two reads that keeps a read of `cost` requests within the budget's share. */
export function spacingMs(cost: number, budget: Budget): number {
	return Math.ceil((cost / (budget.share * budget.limit)) * budget.windowMs);
}

/** When the next read may begin after one that began at `readAt` and cost `cost` requests. */
export function nextReadAt(readAt: number, cost: number, budget: Budget): number {
	return readAt + spacingMs(cost, budget);
}

/** The reads (by trigger) whose spacing was already logged: the log says it once per read, not per poll. */
const logged = new Map<string, number>();

/** Logs, once per read, that polls wait for the budget. */
export function logSpacing(logger: Logger, trigger: string, what: { streamId: string; readAt: number; cost: number }, budget: Budget): void {
	if (logged.get(trigger) === what.readAt) return;
	logged.set(trigger, what.readAt);
	const next = nextReadAt(what.readAt, what.cost, budget);
	logger.warn(
		`Kore Contacts Trigger: a read of stream ${what.streamId} costs ${what.cost} requests, more than ${Math.round(budget.share * 100)}% of the account's ${formatRate(budget.limit)} requests per ${budget.windowMs === 60_000 ? 'minute' : formatMs(budget.windowMs)}${budget.learned ? " (the rate learned from Kore's refusals)" : ''} between two polls; polling every ${formatMs(spacingMs(what.cost, budget))} instead (next read at ${new Date(next).toISOString()}). Raise "Max Share of Rate Limit" or choose less frequent Poll Times to silence this.`,
	);
}
