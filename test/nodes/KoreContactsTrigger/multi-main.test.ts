/**
 * Several n8n main processes (multi-main, queue mode): n8n runs the trigger on its leader only, and a main that
 * takes the lead loads the static data from n8n's database and polls at once. Two copies of the package's
 * modules (jest.isolateModules) stand for two mains, sharing one real redis-server as n8n's mains share n8n's
 * Redis; n8n's leader key is set by hand. A change is reported once, whichever main reports it.
 */
import { Redis } from 'ioredis';
import type { INodeType } from 'n8n-workflow';

import type { KoreServer } from '../../../scripts/kore-server';
import { queueEnv } from '../../../scripts/n8n-harness';
import { startRedis } from '../../helpers/redis';
import type { TestRedis } from '../../helpers/redis';
import { events, listArrival, restarted, startStream, trigger, writer } from '../../helpers/trigger';

const LEADER_KEY = 'n8n:main_instance_leader';
const saved = { ...process.env };
// two copies of the modules, Redis and a local server per test: generous on a busy 2-core machine
jest.setTimeout(120_000);

let redis: TestRedis;
let client: Redis;
let server: KoreServer;
const shutdowns: Array<() => Promise<void>> = [];

/** A fresh copy of the package's modules: one n8n main process. */
function main(): INodeType {
	let node!: INodeType;
	jest.isolateModules(() => {
		const { KoreContactsTrigger } = require('../../../nodes/KoreContactsTrigger/KoreContactsTrigger.node') as typeof import('../../../nodes/KoreContactsTrigger/KoreContactsTrigger.node');
		shutdowns.push((require('../../../nodes/KoreContacts/queue') as typeof import('../../../nodes/KoreContacts/queue')).closeSharedState);
		node = new KoreContactsTrigger();
	});
	return node;
}

beforeAll(async () => {
	redis = await startRedis();
	client = new Redis({ host: '127.0.0.1', port: redis.port });
});
beforeEach(async () => {
	Object.assign(process.env, queueEnv({ host: '127.0.0.1', port: redis.port }, `bull${Math.random().toString(36).slice(2)}`));
	await client.set(LEADER_KEY, 'main-A');
});
afterEach(async () => {
	process.env = { ...saved };
	await Promise.all(shutdowns.splice(0).map((close) => close()));
	await server?.close();
});
afterAll(async () => {
	await client.quit();
	await redis.stop();
});

test('a new leader that starts from static data older than the old leader\'s last poll does not report its changes again', async () => {
	server = await startStream(50);
	const kore = writer(server);
	const oldLeader = trigger(server, { nodeType: main() });
	await oldLeader.activate();
	const atTakeover = oldLeader.saved;
	const early = await kore.create('Early');
	expect(events(await oldLeader.poll())).toEqual([`created ${early.id}`]);

	// main B takes the lead and loads the static data before the old leader's write landed
	await client.set(LEADER_KEY, 'main-B');
	const late = await kore.create('Late');
	const newLeader = trigger(server, { nodeType: main(), staticData: JSON.parse(atTakeover) });
	expect(events(await newLeader.activate())).toEqual([`created ${late.id}`]);
	expect((await newLeader.poll()).emitted).toBeNull();
});

test('the leader changes while a poll reads: the old leader\'s result is dropped, the new leader reports the changes once', async () => {
	server = await startStream(50);
	const kore = writer(server);
	const oldLeader = trigger(server, { nodeType: main() });
	await oldLeader.activate();
	const made = await kore.create('During');
	const before = JSON.stringify(oldLeader.nodeStaticData());

	server.setLatency(400);
	const probe = listArrival();
	server.addFault({ method: 'GET', path: probe.path, times: Infinity, action: { status: 500 } });
	const polling = oldLeader.poll();
	await probe.arrived;
	// n8n's leader key moves to main B while the old leader still reads (it notices only at its next check)
	await client.set(LEADER_KEY, 'main-B');
	const dropped = await polling;
	server.setLatency(0);
	expect(dropped.emitted).toBeNull();
	expect(dropped.logs.map((line) => line.message)).toContainEqual(expect.stringMatching(/n8n's leader changed during this poll/));
	expect(JSON.stringify(oldLeader.nodeStaticData())).toBe(before);

	const newLeader = restarted(server, oldLeader, { nodeType: main() });
	expect(events(await newLeader.activate())).toEqual([`created ${made.id}`]);
});
