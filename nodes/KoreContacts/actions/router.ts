import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { forEditor } from '../helpers/editorText';
import { toOutput } from '../helpers/items';
import { Lookups } from '../lookup';
import { KoreClient } from '../transport';
import { operations as campaignOperations } from './campaign';
import { operations as contactOperations } from './contact';
import { operations as contactListOperations } from './contactList';
import { readOptions } from './options';
import type { Operation } from './types';

const resources: Record<string, Record<string, Operation>> = {
	contact: contactOperations,
	contactList: contactListOperations,
	campaign: campaignOperations,
};

/** Runs the chosen operation over all input items and returns the node's output. */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const chosen = resources[resource]?.[operation];
	if (!chosen) {
		throw forEditor(
			new NodeOperationError(this.getNode(), `The operation "${operation}" for resource "${resource}" is not known to this version of the node`),
		);
	}
	const { settings, ...rest } = readOptions(this);
	const client = new KoreClient(this, settings);
	const lookups = new Lookups(this, client);
	try {
		const outcomes = await chosen.execute.call(this, {
			items: this.getInputData(),
			client,
			lookups,
			defaultStreamId: await client.defaultStreamId(),
			...rest,
		});
		// Every error the node reports leaves here, with the values it quotes made safe for the editor's HTML.
		for (const outcome of outcomes) if ('error' in outcome) forEditor(outcome.error);
		return [toOutput(outcomes)];
	} catch (error) {
		throw forEditor(error instanceof NodeApiError || error instanceof NodeOperationError ? error : new NodeOperationError(this.getNode(), error as Error));
	} finally {
		lookups.close();
	}
}
