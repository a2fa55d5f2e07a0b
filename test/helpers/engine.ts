/**
 * Runs workflows inside n8n's own engine (scripts/lib/engine.js) with the node and credential compiled
 * from the TypeScript sources by ts-jest.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import type { ICredentialDataDecryptedObject, IDataObject, INodeExecutionData, INodeType, IWorkflowBase } from 'n8n-workflow';

import { KoreContactsApi } from '../../credentials/KoreContactsApi.credentials';
import { KoreContacts } from '../../nodes/KoreContacts/KoreContacts.node';
import { nodeOutputs, runWorkflow as runInEngine } from '../../scripts/lib/engine';
import type { EngineResult } from '../../scripts/lib/engine';

export const KORE_NODE_TYPE = 'n8n-nodes-kore-contacts.koreContacts';
export const FIXTURES = path.join(__dirname, '..', 'fixtures');

export interface RunResult extends EngineResult {
	/** The Kore node's outputs for its first run: [main] or [main, error]. */
	outputs: INodeExecutionData[][];
	error?: EngineResult['error'] & { description?: string | null; context?: IDataObject; httpCode?: string | null };
}

export interface RunOptions {
	credentials: ICredentialDataDecryptedObject;
	/** Replaces the pinned items of the trigger node: JSON objects, or `{ json, binary }` items. */
	items?: Array<IDataObject | Pick<INodeExecutionData, 'json' | 'binary'>>;
	/** Changes to the Kore node (parameters are merged). */
	node?: { parameters?: IDataObject; onError?: string };
	/** The Kore Contacts node type to run (default: a new one from the sources), e.g. a queue-mode worker's copy (workers.ts). */
	nodeType?: INodeType;
	/** As n8n's engine takes them: the execution's id, a promise that cancels the execution, where its log lines go. */
	executionId?: string;
	cancel?: Promise<unknown>;
	print?: (level: string, message: string) => void;
}

export function loadWorkflow(file: string): IWorkflowBase {
	return JSON.parse(readFileSync(path.join(FIXTURES, file), 'utf8'));
}

/** Runs a fixture (or workflow object) with its Kore Contacts node adjusted by `options.node`. */
export async function runWorkflow(workflowOrFile: string | IWorkflowBase, options: RunOptions): Promise<RunResult> {
	const workflow = typeof workflowOrFile === 'string' ? loadWorkflow(workflowOrFile) : structuredClone(workflowOrFile);
	const koreNode = workflow.nodes.find((node) => node.type === KORE_NODE_TYPE);
	if (!koreNode) throw new Error('The workflow has no Kore Contacts node');
	if (options.node?.parameters) Object.assign(koreNode.parameters, options.node.parameters);
	if (options.node?.onError) koreNode.onError = options.node.onError as never;
	const result = await runInEngine(workflow, {
		nodeTypes: { [KORE_NODE_TYPE]: options.nodeType ?? new KoreContacts() },
		credentialType: new KoreContactsApi(),
		credentials: options.credentials,
		items: options.items,
		executionId: options.executionId,
		cancel: options.cancel,
		print: options.print,
	});
	return { ...result, outputs: nodeOutputs(result, koreNode.name), error: result.error as RunResult['error'] };
}
