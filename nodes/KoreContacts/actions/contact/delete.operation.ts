import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ContactDirectory } from '../../helpers/directory';
import { prepareItems, runEach } from '../../helpers/items';
import type { ItemOutcome } from '../../helpers/items';
import { requiredId } from '../../helpers/params';
import type { OperationContext } from '../types';
import { readTarget, resolveTarget, targetProperties } from './target';

export const description: INodeProperties[] = targetProperties(['delete'], 'delete');

/** Deletes one contact per input item; Kore marks it INACTIVE and returns it, which is the output. */
export async function execute(
	this: IExecuteFunctions,
	{ items, client, concurrency }: OperationContext,
): Promise<ItemOutcome[]> {
	const { prepared, failed } = prepareItems(this, items, (index) => ({
		streamId: requiredId(this, 'streamId', index),
		target: readTarget(this, index),
	}));
	const directory = new ContactDirectory(this, client);
	const done = await runEach(this, prepared, concurrency, async ({ streamId, target }, itemIndex) => {
		const contactId = await resolveTarget(directory, streamId, target, itemIndex);
		return await client.request({ method: 'DELETE', streamId, path: [contactId], contactId, itemIndex });
	});
	return [...failed, ...done];
}
