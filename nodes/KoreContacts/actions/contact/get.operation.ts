import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { prepareItems, runEach } from '../../helpers/items';
import type { ItemOutcome } from '../../helpers/items';
import { streamIdFor } from '../../helpers/params';
import type { OperationContext } from '../types';
import { readTarget, targetProperties } from './target';

export const description: INodeProperties[] = targetProperties(['get'], 'get');

/**
 * Outputs the contact each item names, by ID or phone number, as Kore lists it now (Kore has no get-one
 * endpoint: the lookup layer reads the stream, once for all the lookups that arrive together).
 */
export async function execute(this: IExecuteFunctions, { items, client, lookups, concurrency, defaultStreamId }: OperationContext): Promise<ItemOutcome[]> {
	const { prepared, failed } = await prepareItems(this, items, (index) => ({
		streamId: streamIdFor(this, index, defaultStreamId),
		target: readTarget(this, index),
	}));
	const done = await runEach(this, prepared, { concurrency, onStop: () => client.halt() }, async ({ streamId, target }, itemIndex) =>
		target.by === 'id'
			? await lookups.findById(streamId, target.contactId, itemIndex)
			: await lookups.findByPhone(streamId, target.candidates, itemIndex),
	);
	return [...failed, ...done];
}
