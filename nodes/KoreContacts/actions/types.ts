import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { ItemOutcome } from '../helpers/items';
import type { KoreClient } from '../transport';

/** What every operation gets from the router. */
export interface OperationContext {
	items: INodeExecutionData[];
	client: KoreClient;
}

/** One operation: its fields and how it runs over the input items. */
export interface Operation {
	description: INodeProperties[];
	execute(this: IExecuteFunctions, context: OperationContext): Promise<ItemOutcome[]>;
}
