import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { ItemOutcome } from '../helpers/items';
import type { Lookups } from '../lookup';
import type { KoreClient } from '../transport';

/** What every operation gets from the router. */
export interface OperationContext {
	items: INodeExecutionData[];
	client: KoreClient;
	/** Finding contacts and writing them (shared with concurrent executions in this process). */
	lookups: Lookups;
	/** How many per-item requests may be in flight at once. */
	concurrency: number;
	/** How many contacts go in one bulk request. */
	batchSize: number;
	/** The node's Options collection, for operation-specific options. */
	options: IDataObject;
	/** The credential's Stream ID, for items whose node Stream ID is empty ('' when it has none). */
	defaultStreamId: string;
}

/** One operation: its fields and how it runs over the input items. */
export interface Operation {
	description: INodeProperties[];
	/** The operation's own entries in the Options collection. */
	options?: INodeProperties[];
	execute(this: IExecuteFunctions, context: OperationContext): Promise<ItemOutcome[]>;
}
