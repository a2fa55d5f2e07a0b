'use strict';
/**
 * Runs a workflow inside n8n's own engine, in this process: a `Workflow` from n8n-workflow executed by
 * n8n-core's `WorkflowExecute`, as n8n runs a manual execution. The node and credential classes are
 * the real ones (the tests pass the TypeScript sources, the demo and the benchmark the compiled dist),
 * so requests go through n8n's HTTP helper and the credential's own `authenticate`. Only what n8n's
 * database would provide — the stored credential — is supplied here, as n8n's own test harness does
 * (n8n repo: packages/core/nodes-testing).
 *
 * Used by the tests (test/helpers/engine.ts), `npm start` (scripts/demo.js) and `npm run bench`.
 */
const { Logger } = require('@n8n/backend-common');
const { Container } = require('@n8n/di');
const { ExecutionLifecycleHooks, LoadOptionsContext, WorkflowExecute } = require('n8n-core');
const { ICredentialsHelper, NodeHelpers, Workflow } = require('n8n-workflow');

const MANUAL_TRIGGER = 'n8n-nodes-base.manualTrigger';

/** Stands in for n8n-nodes-base's Manual Trigger: workflows pin its output, so it never runs. */
class ManualTriggerStub {
	constructor() {
		this.description = {
			displayName: 'Manual Trigger',
			name: 'manualTrigger',
			group: ['trigger'],
			version: 1,
			description: '',
			defaults: { name: 'Manual Trigger' },
			inputs: [],
			outputs: ['main'],
			properties: [],
		};
	}

	async trigger() {
		return {};
	}
}

/** What n8n's CredentialsHelper does for one stored credential: its data (with defaults) and `authenticate`. */
/**
 * A credential's data as n8n hands it to a node or a credential test: n8n's CredentialsHelper
 * (applyDefaultsAndOverwrites, n8n 2.41) fills in the defaults of missing fields and drops the fields the
 * credential's displayOptions hide. So a credential saved by an older version of the package is seen here
 * exactly as n8n would show it to the node.
 */
function applyCredentialDefaults(credentialType, data) {
	return NodeHelpers.getNodeParameters(credentialType.properties, data, true, false, null, null);
}

class SingleCredentialHelper extends ICredentialsHelper {
	constructor(credentialType, data) {
		super();
		this.credentialType = credentialType;
		this.data = data;
	}

	getParentTypes() {
		return [];
	}

	isCredentialUsableByNode() {
		return true;
	}

	async authenticate(credentials, typeName, requestOptions) {
		this.expectType(typeName);
		if (typeof this.credentialType.authenticate !== 'function') return requestOptions;
		return await this.credentialType.authenticate(credentials, requestOptions);
	}

	async preAuthentication() {
		return undefined;
	}

	async runPreAuthentication() {
		return undefined;
	}

	async getCredentials() {
		throw new Error('not used');
	}

	async getDecrypted(_additionalData, _nodeCredentials, type) {
		this.expectType(type);
		return applyCredentialDefaults(this.credentialType, this.data);
	}

	async updateCredentials() {}

	async updateCredentialsOauthTokenData() {}

	getCredentialsProperties() {
		return this.credentialType.properties;
	}

	expectType(type) {
		if (type !== this.credentialType.name) throw new Error(`Unexpected credential type ${type}`);
	}
}

/** What n8n's additional data holds for a node in this process: the one credential, and n8n's URLs. */
function baseAdditionalData(credentialType, credentials) {
	return {
		credentialsHelper: new SingleCredentialHelper(credentialType, credentials),
		restApiUrl: 'http://localhost:5678/rest',
		instanceBaseUrl: 'http://localhost:5678/',
		webhookBaseUrl: 'http://localhost:5678/webhook',
		webhookWaitingBaseUrl: 'http://localhost:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://localhost:5678/webhook-test',
		formWaitingBaseUrl: 'http://localhost:5678/form-waiting',
		variables: {},
		userId: 'user',
	};
}

/** `{ json, binary? }` rather than a plain JSON object. */
function isExecutionData(item) {
	return item !== null && typeof item === 'object' && typeof item.json === 'object' && Object.keys(item).every((key) => ['json', 'binary'].includes(key));
}

/** A logger that keeps what nodes log, and optionally prints it. */
function captureLogger(lines, print) {
	const log = (level) => (message, meta) => {
		lines.push({ level, message, meta });
		if (print) print(level, message);
	};
	const logger = { error: log('error'), warn: log('warn'), info: log('info'), debug: log('debug') };
	logger.scoped = () => logger;
	return logger;
}

/**
 * Runs `workflow` (n8n workflow JSON). The node types are `nodeTypes` (type name → instance) plus a
 * Manual Trigger whose items come from `items` (JSON objects, or `{ json, binary }` items) or the
 * workflow's pinned data.
 *
 * @param {object} workflow
 * @param {{ nodeTypes: Record<string, object>, credentialType: object, credentials: object,
 *   items?: object[], print?: (level: string, message: string) => void, executionId?: string, cancel?: Promise<unknown> }} options
 *   executionId: the execution's id as n8n gives it (n8n numbers executions: '301', …)
 *   cancel: when it resolves, the execution is cancelled (as n8n's Stop button does)
 */
async function runWorkflow(workflow, { nodeTypes, credentialType, credentials, items, print, executionId = 'execution', cancel }) {
	const data = JSON.parse(JSON.stringify(workflow));
	const trigger = data.nodes.find((node) => node.type === MANUAL_TRIGGER);
	if (!trigger) throw new Error('The workflow has no Manual Trigger');
	const pinData = { ...(data.pinData ?? {}) };
	if (items) pinData[trigger.name] = items.map((item) => (isExecutionData(item) ? item : { json: item }));
	pinData[trigger.name] ??= [{ json: {} }];

	const instance = workflowOf(data, nodeTypes);

	const logs = [];
	Container.set(Logger, captureLogger(logs, print));
	const hooks = new ExecutionLifecycleHooks('manual', 'execution', { ...data, id: instance.id });
	const finished = new Promise((resolve) => hooks.addHandler('workflowExecuteAfter', resolve));
	const additionalData = { ...baseAdditionalData(credentialType, credentials), hooks, currentNodeParameters: undefined, executionId };
	const running = new WorkflowExecute(additionalData, 'manual').run({ workflow: instance, pinData });
	void cancel?.then(() => running.cancel());
	await running.catch(() => undefined);
	const run = await finished;
	return { run, runData: run.data.resultData.runData, error: run.data.resultData.error, logs };
}

/** An n8n Workflow of `data` whose node types are `nodeTypes` plus the Manual Trigger stub. */
function workflowOf(data, nodeTypes) {
	const types = { [MANUAL_TRIGGER]: new ManualTriggerStub(), ...nodeTypes };
	const nodeTypesProvider = {
		getByName: (type) => nodeTypesProvider.getByNameAndVersion(type),
		getByNameAndVersion: (type) => {
			if (!types[type]) throw new Error(`Unknown node type in workflow: ${type}`);
			return types[type];
		},
		getKnownTypes: () => ({}),
	};
	return new Workflow({
		id: data.id ?? 'workflow',
		name: data.name,
		nodes: data.nodes,
		connections: data.connections,
		active: false,
		nodeTypes: nodeTypesProvider,
		settings: data.settings,
	});
}

/**
 * Runs a node's `methods.listSearch[method]` the way the editor's resource-locator list does: in n8n-core's
 * LoadOptionsContext, with the node's parameters as they are set and the stored credential.
 *
 * @param {object} workflow
 * @param {string} nodeName
 * @param {string} method
 * @param {string | undefined} filter
 * @param {{ nodeTypes: Record<string, object>, credentialType: object, credentials: object }} options
 */
async function searchList(workflow, nodeName, method, filter, { nodeTypes, credentialType, credentials }) {
	const instance = workflowOf(JSON.parse(JSON.stringify(workflow)), nodeTypes);
	const node = instance.getNode(nodeName);
	if (!node) throw new Error(`The workflow has no node "${nodeName}"`);
	Container.set(Logger, captureLogger([]));
	const additionalData = { ...baseAdditionalData(credentialType, credentials), currentNodeParameters: node.parameters };
	const context = new LoadOptionsContext(instance, node, additionalData, `parameters.${method}`);
	const search = nodeTypes[node.type]?.methods?.listSearch?.[method];
	if (typeof search !== 'function') throw new Error(`${node.type} has no listSearch method "${method}"`);
	return await search.call(context, filter);
}

/** The outputs of a node's first run: `[main]`, or `[main, error]` with an error output. */
function nodeOutputs(result, nodeName) {
	const first = result.runData[nodeName]?.[0];
	return (first?.data?.main ?? []).map((items) => items ?? []);
}

module.exports = { runWorkflow, searchList, nodeOutputs, SingleCredentialHelper, applyCredentialDefaults, baseAdditionalData, captureLogger, MANUAL_TRIGGER };
