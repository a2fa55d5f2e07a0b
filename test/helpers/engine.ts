/**
 * Runs workflows inside n8n's own engine (scripts/lib/engine.js) with the node and credential compiled
 * from the TypeScript sources by ts-jest.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import type { ICredentialDataDecryptedObject, IDataObject, INodeExecutionData, IWorkflowBase } from 'n8n-workflow';

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
		nodeTypes: { [KORE_NODE_TYPE]: new KoreContacts() },
		credentialType: new KoreContactsApi(),
		credentials: options.credentials,
		items: options.items,
	});
	return { ...result, outputs: nodeOutputs(result, koreNode.name), error: result.error as RunResult['error'] };
}
