'use strict';
/**
 * Runs a polling trigger node inside n8n's own engine, as an active workflow runs it in n8n 2.41 (its default
 * pollers: `ActiveWorkflowTriggers` + `PollTriggerExecutor` from n8n-core): a `PollContext` in mode 'trigger'
 * whose `__emit` / `__emitError` n8n's executor calls, with the real node class, the real credential and
 * n8n's HTTP helper. Only what n8n's database and scheduler would do is done here, the way n8n does it:
 *
 * - `activate()` is the poll n8n runs when it activates the workflow (its errors fail the activation); n8n
 *   then saves the workflow's static data (ActiveWorkflowManager.add).
 * - `poll()` is one scheduled poll; n8n saves the static data when the poll emits items (the trigger
 *   execution factory's `__emit`), and only then. Its errors go to `__emitError` (a failed execution).
 * - `saved` is the static data as n8n's database holds it (JSON): a restart is `new Poller({ staticData:
 *   JSON.parse(poller.saved) })`.
 * - `manual()` is "Fetch Test Event": n8n's engine calls `poll` in mode 'manual' (WorkflowExecute.executePollNode).
 *
 * Used by the trigger's tests (test/helpers/trigger.ts, from the TypeScript sources) and `npm run bench`
 * (the compiled dist).
 */
const { Logger } = require('@n8n/backend-common');
const { Container } = require('@n8n/di');
const { PollContext, PollTriggerExecutor } = require('n8n-core');
const { Workflow } = require('n8n-workflow');

const { baseAdditionalData, captureLogger } = require('./engine');

class Poller {
	/**
	 * @param {{ node: object, nodeType: object, credentialType: object, credentials: object, staticData?: object,
	 *   workflowId?: string, print?: (level: string, message: string) => void }} options
	 *   node: the trigger node as a workflow holds it ({ id, name, type, typeVersion, parameters, credentials })
	 */
	constructor({ node, nodeType, credentialType, credentials, staticData = {}, workflowId = 'wf-trigger', print }) {
		this.node = { position: [0, 0], typeVersion: 1, ...node };
		this.print = print;
		const nodeTypes = {
			getByName: () => nodeType,
			getByNameAndVersion: () => nodeType,
			getKnownTypes: () => ({}),
		};
		this.workflow = new Workflow({
			id: workflowId,
			name: 'trigger test',
			nodes: [this.node],
			connections: {},
			active: true,
			nodeTypes,
			staticData: structuredClone(staticData),
			settings: {},
		});
		this.additionalData = baseAdditionalData(credentialType, credentials);
		/** The static data as n8n's database holds it (JSON). */
		this.saved = JSON.stringify(staticData);
		/** False once n8n would have removed this poller (a superseded workflow): its results are dropped. */
		this.current = true;
		/** Every poll's outcome, in order. */
		this.history = [];
	}

	/** What n8n's WorkflowStaticDataService.saveStaticData does: write the static data if it changed. */
	saveStaticData() {
		if (this.workflow.staticData.__dataChanged !== true) return;
		this.saved = JSON.stringify(this.workflow.staticData);
		this.workflow.staticData.__dataChanged = false;
	}

	/** The node's static data now (in memory, as the poller holds it). */
	nodeStaticData() {
		return this.workflow.getStaticData('node', this.node);
	}

	/**
	 * One poll through n8n's PollTriggerExecutor. Resolves with `{ emitted, error, logs }`: the items the poll
	 * emitted (null: none), the error n8n recorded as a failed execution (scheduled polls), and the log.
	 * @param {boolean} [activation] the poll n8n runs at activation: an error rejects (the activation fails)
	 */
	async run(activation = false) {
		const logs = [];
		Container.set(Logger, captureLogger(logs, this.print));
		const outcome = { emitted: null, error: undefined, logs };
		const emit = (data) => {
			outcome.emitted = data;
			this.saveStaticData();
		};
		const emitError = (error) => {
			outcome.error = error;
		};
		const context = new PollContext(this.workflow, this.node, this.additionalData, 'trigger', activation ? 'activate' : 'trigger', emit, emitError);
		const execute = Container.get(PollTriggerExecutor).create(this.workflow, this.node, context, () => this.current);
		await execute(activation);
		if (activation) this.saveStaticData();
		this.history.push(outcome);
		return outcome;
	}

	async activate() {
		return await this.run(true);
	}

	async poll() {
		return await this.run(false);
	}

	/** "Fetch Test Event": the node's poll in manual mode. Resolves with its items (or rejects with its error). */
	async manual() {
		const logs = [];
		Container.set(Logger, captureLogger(logs, this.print));
		const context = new PollContext(this.workflow, this.node, this.additionalData, 'manual', 'manual');
		const nodeType = this.workflow.nodeTypes.getByNameAndVersion(this.node.type, this.node.typeVersion);
		return { data: await nodeType.poll.call(context), logs };
	}
}

module.exports = { Poller };
