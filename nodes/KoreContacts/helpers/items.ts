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
export function prepareItems<T>(
	ctx: IExecuteFunctions,
	items: INodeExecutionData[],
	read: (index: number) => T,
): { prepared: Array<Prepared<T>>; failed: ItemOutcome[] } {
	const prepared: Array<Prepared<T>> = [];
	const failed: ItemOutcome[] = [];
	for (let index = 0; index < items.length; index++) {
		try {
			prepared.push({ index, value: read(index) });
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
 * on fail" the first error stops new work from starting, and is thrown once the work in flight settles.
 */
export async function runEach<T>(
	ctx: IExecuteFunctions,
	prepared: Array<Prepared<T>>,
	concurrency: number,
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
				if (!continueOnFail) stopError ??= itemError;
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
