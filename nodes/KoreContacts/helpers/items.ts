import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

export type ItemError = NodeApiError | NodeOperationError;

/** One input item's result: what it outputs, or why it failed. */
export type ItemOutcome = { index: number; json: IDataObject[] } | { index: number; error: ItemError };

/** An input item whose parameters were read and checked. */
export interface Prepared<T> {
	index: number;
	value: T;
}

/** Anything thrown while handling one item, as an error n8n shows with that item's index. */
export function asItemError(ctx: IExecuteFunctions, error: unknown, index: number): ItemError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		error.context.itemIndex ??= index;
		return error;
	}
	return new NodeOperationError(ctx.getNode(), error as Error, { itemIndex: index });
}

/**
 * Reads and checks every item's parameters before anything is sent. An item that fails the check
 * becomes an error outcome when the node continues on failure; otherwise the run stops here with that
 * error and no request goes out for any item.
 */
export async function prepareItems<T>(
	ctx: IExecuteFunctions,
	items: INodeExecutionData[],
	read: (index: number) => T | Promise<T>,
): Promise<{ prepared: Array<Prepared<T>>; failed: ItemOutcome[] }> {
	const prepared: Array<Prepared<T>> = [];
	const failed: ItemOutcome[] = [];
	for (let index = 0; index < items.length; index++) {
		try {
			prepared.push({ index, value: await read(index) });
		} catch (error) {
			const itemError = asItemError(ctx, error, index);
			if (!ctx.continueOnFail()) throw itemError;
			failed.push({ index, error: itemError });
		}
	}
	return { prepared, failed };
}

/**
 * Runs `work` for each prepared item, at most `concurrency` at a time, in input order. Without "continue
 * on fail" the first error stops new work from starting and calls `onStop` (the client then sends nothing
 * more); the error is thrown once the work in flight settles.
 */
export async function runEach<T>(
	ctx: IExecuteFunctions,
	prepared: Array<Prepared<T>>,
	{ concurrency, onStop }: { concurrency: number; onStop?: () => void },
	work: (value: T, index: number) => Promise<IDataObject | IDataObject[]>,
): Promise<ItemOutcome[]> {
	const outcomes: ItemOutcome[] = [];
	const continueOnFail = ctx.continueOnFail();
	let next = 0;
	let stopError: ItemError | undefined;
	const worker = async () => {
		while (next < prepared.length && stopError === undefined) {
			const { index, value } = prepared[next++];
			try {
				const result = await work(value, index);
				outcomes.push({ index, json: Array.isArray(result) ? result : [result] });
			} catch (error) {
				const itemError = asItemError(ctx, error, index);
				if (!continueOnFail && stopError === undefined) {
					stopError = itemError;
					onStop?.();
				}
				outcomes.push({ index, error: itemError });
			}
		}
	};
	const workers = Math.max(1, Math.min(concurrency, prepared.length));
	await Promise.all(Array.from({ length: workers }, worker));
	if (stopError) throw stopError;
	return outcomes;
}

/**
 * Sends prepared items in batches: items are grouped by `group` (e.g. the stream, in order of first
 * appearance), items with the same `dedupe` key in a group are sent once and share the outcome, and each
 * group is cut into batches of at most `size`. `send` returns an outcome for every entry of its batch; a
 * batch that throws fails all its items. Without "continue on fail" the first failure stops further
 * batches and is thrown.
 */
export async function runBatches<T>(
	ctx: IExecuteFunctions,
	prepared: Array<Prepared<T>>,
	{ group, dedupe, size }: { group: (value: T) => string; dedupe?: (value: T) => string; size: number },
	send: (batch: Array<Prepared<T>>) => Promise<ItemOutcome[]>,
): Promise<ItemOutcome[]> {
	const continueOnFail = ctx.continueOnFail();
	const groups = new Map<string, Array<Prepared<T>>>();
	const duplicates = new Map<number, number[]>();
	const firstByKey = new Map<string, number>();
	for (const entry of prepared) {
		const groupKey = group(entry.value);
		if (dedupe) {
			const key = `${groupKey}\n${dedupe(entry.value)}`;
			const first = firstByKey.get(key);
			if (first !== undefined) {
				duplicates.get(first)!.push(entry.index);
				continue;
			}
			firstByKey.set(key, entry.index);
			duplicates.set(entry.index, []);
		}
		if (!groups.has(groupKey)) groups.set(groupKey, []);
		groups.get(groupKey)!.push(entry);
	}
	const outcomes: ItemOutcome[] = [];
	for (const entries of groups.values()) {
		for (let start = 0; start < entries.length; start += size) {
			const batch = entries.slice(start, start + size);
			let batchOutcomes: ItemOutcome[];
			try {
				batchOutcomes = await send(batch);
			} catch (error) {
				batchOutcomes = batch.map(({ index }) => ({ index, error: asItemError(ctx, error, index) }));
			}
			for (const outcome of batchOutcomes) {
				outcomes.push(outcome);
				for (const index of duplicates.get(outcome.index) ?? []) outcomes.push({ ...outcome, index });
			}
			const firstError = batchOutcomes.find((outcome) => 'error' in outcome);
			if (firstError && !continueOnFail) throw (firstError as { error: ItemError }).error;
		}
	}
	return outcomes;
}

/**
 * The node's output in input order: each item's results paired with it, a failed item as an error item
 * (`{ error, details }`, which n8n routes to the error output when that output is enabled).
 */
export function toOutput(outcomes: ItemOutcome[]): INodeExecutionData[] {
	const output: INodeExecutionData[] = [];
	for (const outcome of [...outcomes].sort((a, b) => a.index - b.index)) {
		const pairedItem = { item: outcome.index };
		if ('error' in outcome) {
			const json: IDataObject = { error: outcome.error.message };
			if (outcome.error.description) json.details = outcome.error.description;
			output.push({ json, pairedItem });
		} else {
			output.push(...outcome.json.map((json) => ({ json, pairedItem })));
		}
	}
	return output;
}
