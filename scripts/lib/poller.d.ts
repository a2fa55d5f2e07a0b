import type { ICredentialDataDecryptedObject, ICredentialType, IDataObject, INode, INodeExecutionData, INodeType, Workflow } from 'n8n-workflow';

import type { LogLine } from './engine';

export interface PollOutcome {
	/** What the poll emitted (null: nothing). */
	emitted: INodeExecutionData[][] | null;
	/** The error n8n recorded as a failed execution (a scheduled poll that threw). */
	error?: Error;
	logs: LogLine[];
}

export class Poller {
	constructor(options: {
		node: Pick<INode, 'id' | 'name' | 'type' | 'parameters'> & Partial<INode>;
		nodeType: INodeType;
		credentialType: ICredentialType;
		credentials: ICredentialDataDecryptedObject;
		/** The workflow's static data as n8n's database holds it (a restart). */
		staticData?: IDataObject;
		workflowId?: string;
		print?: (level: string, message: string) => void;
	});
	node: INode;
	workflow: Workflow;
	/** The static data as n8n's database holds it (JSON): written after an activation and when a poll emits. */
	saved: string;
	/** False once n8n would have removed this poller: its in-flight results are dropped. */
	current: boolean;
	history: PollOutcome[];
	nodeStaticData(): IDataObject;
	/** The poll n8n runs when it activates the workflow; rejects when it fails (the activation fails). */
	activate(): Promise<PollOutcome>;
	/** One scheduled poll. */
	poll(): Promise<PollOutcome>;
	/** "Fetch Test Event". */
	manual(): Promise<{ data: INodeExecutionData[][] | null; logs: LogLine[] }>;
}
