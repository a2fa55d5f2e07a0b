/**
 * n8n's queue mode in one jest process: two copies of the node's modules (jest.isolateModules) stand for
 * two `n8n worker` processes — each has its own pacer, lookup layer and Redis connection, as separate
 * processes would — sharing one real redis-server, as n8n's workers share n8n's Redis.
 */
import type { IDataObject, INodeType, IWorkflowBase } from 'n8n-workflow';

import { KoreContactsApi } from '../../../credentials/KoreContactsApi.credentials';
import { nodeOutputs, runWorkflow } from '../../../scripts/lib/engine';
import { KORE_NODE_TYPE, loadWorkflow } from '../../helpers/engine';
import { fakeStream } from '../../helpers/fake-stream';
import { CREDENTIALS } from '../../helpers/kore';
import { startRedis } from '../../helpers/redis';
import type { TestRedis } from '../../helpers/redis';

let redis: TestRedis;
const saved = { ...process.env };

/** How to close each "worker"'s Redis connection, as n8n's shutdown does. */
const shutdowns: Array<() => Promise<void>> = [];

/** A fresh copy of the node's modules: one "worker process". */
function worker(): INodeType {
	let node!: INodeType;
	jest.isolateModules(() => {
		const { KoreContacts } = require('../../../nodes/KoreContacts/KoreContacts.node') as typeof import('../../../nodes/KoreContacts/KoreContacts.node');
		const shared = require('../../../nodes/KoreContacts/transport/shared') as typeof import('../../../nodes/KoreContacts/transport/shared');
		shutdowns.push(shared.closeSharedState);
		node = new KoreContacts();
	});
	return node;
}

async function run(node: INodeType, fixture: string, parameters: IDataObject, items: IDataObject[] = [{}], credentials: IDataObject = {}) {
	const workflow: IWorkflowBase = loadWorkflow(fixture);
	const kore = workflow.nodes.find((entry) => entry.type === KORE_NODE_TYPE)!;
	Object.assign(kore.parameters, parameters);
	const result = await runWorkflow(workflow, {
		nodeTypes: { [KORE_NODE_TYPE]: node },
		credentialType: new KoreContactsApi(),
		credentials: { ...CREDENTIALS, ...credentials },
		items,
	});
	return { ...result, outputs: nodeOutputs(result, kore.name) as Array<Array<{ json: IDataObject }>> };
}

const update = (node: INodeType, contactId: string, updateFields: IDataObject) =>
	run(node, 'update-contact.json', { contactBy: 'id', contactId, updateFields });

const upsert = (node: INodeType, phone: string, first: string) =>
	run(node, 'update-contact.json', { operation: 'upsert', firstName: first, lastName: 'Same', salutation: 'Mx', phoneNumber: phone, countryCode: '+91' });

function queueMode(prefix: string) {
	process.env.EXECUTIONS_MODE = 'queue';
	process.env.QUEUE_BULL_REDIS_HOST = '127.0.0.1';
	process.env.QUEUE_BULL_REDIS_PORT = String(redis.port);
	process.env.QUEUE_BULL_PREFIX = prefix;
}

beforeAll(async () => {
	redis = await startRedis();
});
afterEach(() => {
	process.env = { ...saved };
});
afterAll(async () => {
	await Promise.all(shutdowns.map((close) => close()));
	await redis.stop();
});

describe('Two workers without shared state (n8n regular mode per process): the defect queue mode fixes', () => {
	test('their updates of different fields of one contact can undo each other', async () => {
		const stream = fakeStream(20);
		const [a, b] = [worker(), worker()];
		await Promise.all([update(a, 'c5', { firstName: 'Ada' }), update(b, 'c5', { lastName: 'Lovelace' })]);
		const kept = [stream.byId('c5')!.firstName === 'Ada', stream.byId('c5')!.lastName === 'Lovelace'];
		expect(kept).not.toEqual([true, true]);
	});
});

describe('Two workers in queue mode, sharing n8n\'s Redis', () => {
	test('updating different fields of one contact at once: both changes are kept', async () => {
		queueMode('q1');
		const stream = fakeStream(20);
		const [a, b] = [worker(), worker()];
		const runs = await Promise.all([update(a, 'c6', { firstName: 'Ada' }), update(b, 'c6', { lastName: 'Lovelace' })]);
		for (const result of runs) expect(result.error).toBeUndefined();
		expect(stream.byId('c6')).toMatchObject({ firstName: 'Ada', lastName: 'Lovelace' });
	});

	test('upserting one new number at once: one contact, created once and no duplicate refused by Kore', async () => {
		queueMode('q2');
		const stream = fakeStream(20);
		const [a, b] = [worker(), worker()];
		const runs = await Promise.all([upsert(a, '9444444444', 'FromA'), upsert(b, '9444444444', 'FromB')]);
		for (const result of runs) expect(result.error).toBeUndefined();
		expect(stream.contacts.filter((entry) => (entry.cellPhone as IDataObject).phoneNumber === '+919444444444')).toHaveLength(1);
		expect(stream.seen.filter((request) => request.method === 'POST')).toHaveLength(1);
		expect(runs.map((result) => result.outputs[0][0].json.action).sort()).toEqual(['created', 'updated']);
	});

	test('one account budget: two workers together stay within the limit', async () => {
		queueMode('q3');
		const stream = fakeStream(20);
		const sent: number[] = [];
		stream.beforeWrite = () => void sent.push(Date.now());
		const [a, b] = [worker(), worker()];
		const limit = { requestsPerMinute: 3, rateLimitWindowMs: 600 };
		const deletes = ['c1', 'c2', 'c3', 'c4', 'c5', 'c6'].map((id, i) =>
			run(i % 2 ? a : b, 'delete-by-phone.json', { contactBy: 'id', contactId: id }, [{}], limit),
		);
		for (const result of await Promise.all(deletes)) expect(result.error).toBeUndefined();
		sent.sort((x, y) => x - y);
		expect(sent).toHaveLength(6);
		// 6 requests at 3 per 600 ms: the 4th starts a window after the 1st, whichever worker sent them
		expect(sent[3] - sent[0]).toBeGreaterThanOrEqual(550);
	});

	test('a delete repeated on the other worker succeeds with Succeed If Already Deleted, without a second DELETE', async () => {
		queueMode('q4');
		const stream = fakeStream(20);
		const [a, b] = [worker(), worker()];
		const params = { contactBy: 'id', contactId: 'c9', options: { succeedIfAlreadyDeleted: true } };
		expect((await run(a, 'delete-by-phone.json', params)).error).toBeUndefined();
		const again = await run(b, 'delete-by-phone.json', params);
		expect(again.error).toBeUndefined();
		expect(again.outputs[0][0].json).toMatchObject({ id: 'c9', alreadyDeleted: true });
		expect(stream.count('DELETE')).toBe(1);
	});
});
