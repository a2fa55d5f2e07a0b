/**
 * Runs workflows inside n8n's own engine: a `Workflow` from n8n-workflow executed by n8n-core's
 * `WorkflowExecute`, the way n8n runs a manual execution. The Kore Contacts node and its credential are
 * the real classes; requests go through n8n's HTTP helper and the credential's real `authenticate`.
 * Only the pieces a database would provide (stored credentials) are supplied here, mirroring n8n's own
 * test harness (packages/core/nodes-testing).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';
import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import { ICredentialsHelper, NodeHelpers, Workflow } from 'n8n-workflow';
import type {
	ICredentialDataDecryptedObject,
	ICredentials,
	IDataObject,
	IHttpRequestOptions,
	INodeExecutionData,
	INodeType,
	INodeTypes,
	IPinData,
	IRun,
	IRunData,
	IVersionedNodeType,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';

import { KoreContactsApi } from '../../credentials/KoreContactsApi.credentials';
import { KoreContacts } from '../../nodes/KoreContacts/KoreContacts.node';

export const KORE_NODE_TYPE = 'n8n-nodes-kore-contacts.koreContacts';

/** Stands in for n8n-nodes-base's Manual Trigger; fixtures pin its output, so it never runs. */
class ManualTriggerStub implements INodeType {
	description = {
		displayName: 'Manual Trigger',
		name: 'manualTrigger',
		group: ['trigger'],
		version: 1,
		description: '',
		defaults: { name: 'Manual Trigger' },
		inputs: [],
		outputs: ['main'],
		properties: [],
	} as unknown as INodeType['description'];

	async trigger() {
		return {};
	}
}

const nodeTypeInstances: Record<string, INodeType> = {
	[KORE_NODE_TYPE]: new KoreContacts(),
	'n8n-nodes-base.manualTrigger': new ManualTriggerStub(),
};

class TestNodeTypes implements INodeTypes {
	getByName(type: string): INodeType | IVersionedNodeType {
		return this.getByNameAndVersion(type);
	}

	getByNameAndVersion(type: string): INodeType {
		const nodeType = nodeTypeInstances[type];
		if (!nodeType) throw new Error(`Unknown node type in test workflow: ${type}`);
		return nodeType;
	}

	getKnownTypes() {
		return {};
	}
}

const credentialType = new KoreContactsApi();

/** The credentials helper n8n would hand the engine, holding this one stored credential. */
export function testCredentialsHelper(data: ICredentialDataDecryptedObject): ICredentialsHelper {
	return new TestCredentialsHelper(data);
}

/** What n8n's CredentialsHelper does for this credential: stored data (with defaults) and `authenticate`. */
class TestCredentialsHelper extends ICredentialsHelper {
	constructor(private readonly data: ICredentialDataDecryptedObject) {
		super();
	}

	getParentTypes() {
		return [];
	}

	isCredentialUsableByNode() {
		return true;
	}

	async authenticate(credentials: ICredentialDataDecryptedObject, typeName: string, requestOptions: IHttpRequestOptions) {
		if (typeName !== credentialType.name || typeof credentialType.authenticate !== 'function') {
			throw new Error(`Unexpected credential type ${typeName}`);
		}
		return await credentialType.authenticate(credentials, requestOptions);
	}

	async preAuthentication() {
		return undefined;
	}

	async runPreAuthentication() {
		return undefined;
	}

	async getCredentials(): Promise<ICredentials> {
		throw new Error('not used');
	}

	async getDecrypted(_additionalData: unknown, _nodeCredentials: unknown, type: string) {
		if (type !== credentialType.name) throw new Error(`Unexpected credential type ${type}`);
		const withDefaults = NodeHelpers.getNodeParameters(
			credentialType.properties,
			this.data as never,
			false,
			false,
			null,
			null,
		);
		return { ...(withDefaults as ICredentialDataDecryptedObject), ...this.data };
	}

	async updateCredentials() {}

	async updateCredentialsOauthTokenData() {}

	getCredentialsProperties() {
		return credentialType.properties;
	}
}

export interface LogLine {
	level: string;
	message: string;
	meta?: unknown;
}

export interface RunResult {
	run: IRun;
	runData: IRunData;
	/** Lines the node wrote through n8n's logger. */
	logs: LogLine[];
	/** The Kore node's outputs for its first run: [main] or [main, error]. */
	outputs: INodeExecutionData[][];
	/** The run's error (when the node stopped the workflow). */
	error?: { message: string; description?: string | null; context?: IDataObject; [key: string]: unknown };
}

export const FIXTURES = path.join(__dirname, '..', 'fixtures');

export function loadWorkflow(file: string): IWorkflowBase & { pinData?: IPinData } {
	return JSON.parse(readFileSync(path.join(FIXTURES, file), 'utf8'));
}

export interface RunOptions {
	credentials: ICredentialDataDecryptedObject;
	/** Replaces the pinned items of the trigger node. */
	items?: IDataObject[];
	/** Changes to the Kore node (parameters are merged). */
	node?: { parameters?: IDataObject; onError?: string; name?: string };
}

function captureLogger(lines: LogLine[]): Logger {
	const log = (level: string) => (message: string, meta?: unknown) => lines.push({ level, message, meta });
	return {
		error: log('error'),
		warn: log('warn'),
		info: log('info'),
		debug: log('debug'),
		scoped: () => captureLogger(lines),
	} as unknown as Logger;
}

/** Runs a workflow (a fixture, or a workflow object) in n8n's engine and returns its run data. */
export async function runWorkflow(
	workflowOrFile: string | (IWorkflowBase & { pinData?: IPinData }),
	options: RunOptions,
): Promise<RunResult> {
	const source = typeof workflowOrFile === 'string' ? loadWorkflow(workflowOrFile) : workflowOrFile;
	const data = JSON.parse(JSON.stringify(source)) as IWorkflowBase & { pinData?: IPinData };
	const koreNode = data.nodes.find((node) => node.type === KORE_NODE_TYPE);
	if (!koreNode) throw new Error('The workflow has no Kore Contacts node');
	if (options.node?.parameters) Object.assign(koreNode.parameters, options.node.parameters);
	if (options.node?.onError) koreNode.onError = options.node.onError as never;
	const trigger = data.nodes.find((node) => node.type === 'n8n-nodes-base.manualTrigger');
	if (!trigger) throw new Error('The workflow has no Manual Trigger');
	const pinData: IPinData = { ...(data.pinData ?? {}) };
	if (options.items) pinData[trigger.name] = options.items.map((json) => ({ json }));
	pinData[trigger.name] ??= [{ json: {} }];

	const workflow = new Workflow({
		id: 'test-workflow',
		name: data.name,
		nodes: data.nodes,
		connections: data.connections,
		active: false,
		nodeTypes: new TestNodeTypes(),
		settings: data.settings,
	});

	const hooks = new ExecutionLifecycleHooks('manual', 'test-execution', { ...data, id: 'test-workflow' } as IWorkflowBase);
	const finished = new Promise<IRun>((resolve) => hooks.addHandler('workflowExecuteAfter', resolve));

	const logs: LogLine[] = [];
	Container.set(Logger, captureLogger(logs));

	const additionalData = {
		hooks,
		credentialsHelper: testCredentialsHelper(options.credentials),
		currentNodeParameters: undefined,
		executionId: 'test-execution',
		restApiUrl: 'http://localhost:5678/rest',
		instanceBaseUrl: 'http://localhost:5678/',
		webhookBaseUrl: 'http://localhost:5678/webhook',
		webhookWaitingBaseUrl: 'http://localhost:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://localhost:5678/webhook-test',
		formWaitingBaseUrl: 'http://localhost:5678/form-waiting',
		variables: {},
		userId: 'test-user',
	} as unknown as IWorkflowExecuteAdditionalData;

	const execute = new WorkflowExecute(additionalData, 'manual');
	await execute.run({ workflow, pinData });
	const run = await finished;
	const runData = run.data.resultData.runData;
	const nodeRuns = runData[koreNode.name] ?? [];
	const outputs = (nodeRuns[0]?.data?.main ?? []).map((items) => items ?? []);
	return {
		run,
		runData,
		logs,
		outputs,
		error: run.data.resultData.error as RunResult['error'],
	};
}
