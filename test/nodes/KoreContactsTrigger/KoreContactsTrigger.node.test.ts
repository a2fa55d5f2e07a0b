/**
 * The Kore Contacts Trigger in n8n's engine (n8n-core's PollTriggerExecutor, PollContext in mode 'trigger',
 * n8n's static-data saving rules) against the local Kore server: what each poll emits, with Kore listing
 * deleted (INACTIVE) contacts and without; a poll failing half way; a restart from the saved static data;
 * "Fetch Test Event"; a 20,000-contact stream; the budget guard.
 */

import { pacerFor } from '../../../nodes/KoreContacts/transport/pacing';
import { storedBytes } from '../../../nodes/KoreContactsTrigger/state/store';
import type { KoreServer } from '../../../scripts/kore-server';
import { TRIGGER_APP, afterPages, events, listRequests, restarted, startStream, trigger, writer } from '../../helpers/trigger';

let server: KoreServer;
afterEach(async () => {
	await server?.close();
});

const ids = (contacts: Array<{ id: string }>) => contacts.map((contact) => contact.id);

test('the first activation records where the stream stands and emits nothing; a poll with no change emits nothing', async () => {
	server = await startStream(250);
	const poller = trigger(server);
	const first = await poller.activate();
	expect(first.emitted).toBeNull();
	expect(first.error).toBeUndefined();
	expect(listRequests(server)).toBe(3);
	// n8n saves the static data after an activation: the recorded state survives a restart
	expect(JSON.parse(poller.saved)['node:Kore Contacts Trigger']).toEqual(expect.objectContaining({ v: 1, seq: 0 }));
	const quiet = await poller.poll();
	expect(quiet.emitted).toBeNull();
	expect(listRequests(server)).toBe(6);
});

describe.each([
	{ listInactive: true, how: 'Kore lists deleted contacts (INACTIVE)' },
	{ listInactive: false, how: 'Kore does not list deleted contacts' },
])('$how', ({ listInactive }) => {
	test('created, updated and deleted contacts: one item each, once', async () => {
		server = await startStream(150, { listInactive });
		const [kept, renamed, rephoned, gone] = ids(server.contacts('st-test-0001')).slice(10);
		const poller = trigger(server);
		await poller.activate();
		const kore = writer(server);
		const a = await kore.create('Ann');
		const b = await kore.create('Bob');
		await kore.update(renamed, { firstName: 'Renamed' });
		await kore.update(rephoned, { cellPhone: { phoneNumber: '7770001111', countryCode: '+1', extension: '+' } });
		await kore.remove(gone);

		const changes = await poller.poll();
		const deletedNow = listInactive ? [`deleted ${gone}`] : [];
		expect(events(changes)).toEqual(
			[`created ${a.id}`, `created ${b.id}`, `updated ${renamed} [firstName,fullName]`, `updated ${rephoned} [cellPhone]`, ...deletedNow].sort(),
		);
		const items = changes.emitted![0].map((item) => item.json);
		// the contact as Kore lists it
		expect(items.find((item) => item.event === 'created')!.contact).toEqual(server.contacts('st-test-0001').find((c) => c.id === a.id));
		if (listInactive) expect(items.find((item) => item.event === 'deleted')).toEqual(expect.objectContaining({ detectedBy: 'status', contact: expect.objectContaining({ id: gone, status: 'INACTIVE' }) }));

		// Kore not listing it: one read missing a contact is not enough, a second one reports it (only the id is known)
		const next = await poller.poll();
		expect(events(next)).toEqual(listInactive ? [] : [`deleted ${gone}`]);
		if (!listInactive) expect(next.emitted![0][0].json).toEqual({ event: 'deleted', detectedBy: 'notListed', contact: { id: gone } });
		expect((await poller.poll()).emitted).toBeNull();
		expect(kept).toBeDefined();
	});

	test('a poll that fails half way moves nothing; the next one reports every change once', async () => {
		server = await startStream(250, { listInactive });
		const [renamed, gone] = ids(server.contacts('st-test-0001')).slice(20);
		const poller = trigger(server);
		await poller.activate();
		const savedBefore = poller.saved;
		const stateBefore = JSON.stringify(poller.nodeStaticData());
		const kore = writer(server);
		const made = await kore.create('Cid');
		await kore.update(renamed, { lastName: 'Changed' });
		await kore.remove(gone);

		// page 1 of 3 answered, then Kore fails (a non-transient error: the client does not retry it)
		server.addFault({ method: 'GET', path: afterPages(1), action: { status: 403 } });
		const failed = await poller.poll();
		expect(failed.emitted).toBeNull();
		expect(failed.error?.message).toMatch(/403/);
		expect(JSON.stringify(poller.nodeStaticData())).toBe(stateBefore);
		expect(poller.saved).toBe(savedBefore);

		const recovered = await poller.poll();
		expect(events(recovered)).toEqual(
			[`created ${made.id}`, `updated ${renamed} [lastName,fullName]`, ...(listInactive ? [`deleted ${gone}`] : [])].sort(),
		);
		expect(events(await poller.poll())).toEqual(listInactive ? [] : [`deleted ${gone}`]);
	});
});

test('a restart from the saved static data reports what changed while n8n was down, and nothing twice', async () => {
	server = await startStream(120);
	const [renamed, gone] = ids(server.contacts('st-test-0001')).slice(5);
	const kore = writer(server);
	const before = trigger(server);
	await before.activate();
	const early = await kore.create('Early');
	expect(events(await before.poll())).toEqual([`created ${early.id}`]);

	// n8n stops; meanwhile a contact is created, one renamed, one deleted
	const late = await kore.create('Late');
	await kore.update(renamed, { salutation: 'Dr' });
	await kore.remove(gone);
	const after = restarted(server, before);
	// n8n polls as it activates the workflow again after its restart
	const onStart = await after.activate();
	expect(events(onStart)).toEqual([`created ${late.id}`, `updated ${renamed} [salutation]`].sort());
	expect(events(await after.poll())).toEqual([`deleted ${gone}`]);
	expect((await after.poll()).emitted).toBeNull();

	// a second restart (or a republish) from what n8n saved with the last emit: nothing again
	const again = restarted(server, after);
	expect((await again.activate()).emitted).toBeNull();
});

test('republished while the old poller emits: the new activation, from static data older than that emit, reports nothing twice', async () => {
	server = await startStream(30);
	const kore = writer(server);
	const old = trigger(server);
	await old.activate();
	const beforeEmit = old.saved;
	const made = await kore.create('Once');
	expect(events(await old.poll())).toEqual([`created ${made.id}`]);
	// n8n read the static data for the new activation before the old poller's write (after its emit) landed
	const republished = trigger(server, { staticData: JSON.parse(beforeEmit) });
	expect((await republished.activate()).emitted).toBeNull();
	const next = await kore.create('Next');
	expect(events(await republished.poll())).toEqual([`created ${next.id}`]);
});

test('"Only Changes To" and Events choose what is reported; the state still follows every change', async () => {
	server = await startStream(30);
	const [named, phoned] = ids(server.contacts('st-test-0001'));
	const poller = trigger(server, { parameters: { events: ['updated'], options: { onlyFields: ['cellPhone'] } } });
	await poller.activate();
	const kore = writer(server);
	await kore.create('Ignored');
	await kore.update(named, { firstName: 'OnlyAName' });
	await kore.update(phoned, { cellPhone: { phoneNumber: '7770002222', countryCode: '+1', extension: '+' } });
	expect(events(await poller.poll())).toEqual([`updated ${phoned} [cellPhone]`]);
	// the filtered-out changes are not reported later either
	expect((await poller.poll()).emitted).toBeNull();
});

test('"Fetch Test Event" returns the most recent contacts and moves nothing', async () => {
	server = await startStream(40);
	const poller = trigger(server);
	await poller.activate();
	const kore = writer(server);
	const newest = await kore.create('Newest');
	const state = JSON.stringify(poller.nodeStaticData());
	const saved = poller.saved;

	const { data } = await poller.manual();
	const items = data![0].map((item) => item.json);
	expect(items).toHaveLength(5);
	expect(items[0]).toEqual({ event: 'created', contact: expect.objectContaining({ id: newest.id, firstName: 'Newest' }) });
	expect(JSON.stringify(poller.nodeStaticData())).toBe(state);
	expect(poller.saved).toBe(saved);
	// the active trigger still reports the contact the test event showed
	expect(events(await poller.poll())).toEqual([`created ${newest.id}`]);
});

test('20,000 contacts: a poll costs 200 requests (one per 100 contacts) and the state is 37 bytes per contact', async () => {
	server = await startStream(20_000);
	const poller = trigger(server);
	await poller.activate();
	expect(listRequests(server)).toBe(200);
	const bytes = storedBytes(poller.nodeStaticData());
	const saved = Buffer.byteLength(poller.saved);
	process.stderr.write(`[trigger] 20,000 contacts: static data ${bytes} bytes (${(bytes / 20_000).toFixed(1)} per contact), ${saved} bytes saved by n8n\n`);
	expect(bytes).toBeGreaterThan(20_000 * 37);
	expect(bytes).toBeLessThan(20_000 * 37 + 400);

	const kore = writer(server);
	const made = await kore.create('OneMore');
	const from = server.requests.length;
	expect(events(await poller.poll())).toEqual([`created ${made.id}`]);
	expect(listRequests(server, from)).toBe(201);
}, 300_000);

test('budget guard: a read costing more than a quarter of the account budget makes the trigger poll less often, and says so', async () => {
	server = await startStream(1_000);
	// Kore's 60 a minute: a 10-request read may come at most every 10 / (60 × 25%) minutes = 40 s
	const poller = trigger(server, { credentials: { requestsPerMinute: 60 } });
	await poller.activate();
	expect(listRequests(server)).toBe(10);
	const kore = writer(server);
	const made = await kore.create('Waits');
	const skipped = await poller.poll();
	expect(skipped.emitted).toBeNull();
	expect(listRequests(server)).toBe(10);
	expect(skipped.logs.filter((line) => line.level === 'warn').map((line) => line.message)).toEqual([
		expect.stringMatching(/^Kore Contacts Trigger: a read of stream st-test-0001 costs 10 requests, more than 25% .* polling every 40\.0 s instead/),
	]);
	// said once per read, not at every skipped poll
	expect((await poller.poll()).logs.filter((line) => line.level === 'warn')).toEqual([]);

	// 40 s after the read, the next poll reads
	const realNow = Date.now.bind(Date);
	const later = jest.spyOn(Date, 'now').mockImplementation(() => realNow() + 41_000);
	try {
		expect(events(await poller.poll())).toEqual([`created ${made.id}`]);
	} finally {
		later.mockRestore();
	}
	expect(listRequests(server)).toBe(21);
});

test("budget guard: when the account's pacing has learned from Kore's refusals that less is left, the guard counts that", async () => {
	server = await startStream(1_000);
	const poller = trigger(server, { credentials: { requestsPerMinute: 60 } });
	await poller.activate();
	expect(listRequests(server)).toBe(10);
	// others use the account: its pacing learned (from Kore's refusals) that 20 a minute are left, not 60
	pacerFor(server.url, TRIGGER_APP.accountId, 60, 60_000).learn(() => ({ state: { rate: 20, lastUsed: Date.now(), measured: true } }));
	// a 10-request read may now come at most every 10 / (20 × 25%) minutes = 2 min, not every 40 s
	const realNow = Date.now.bind(Date);
	const later = jest.spyOn(Date, 'now').mockImplementation(() => realNow() + 41_000);
	try {
		const skipped = await poller.poll();
		expect(skipped.emitted).toBeNull();
		expect(skipped.logs.filter((line) => line.level === 'warn').map((line) => line.message)).toEqual([
			expect.stringMatching(/costs 10 requests, more than 25% of the account's 20 requests per minute \(the rate learned from Kore's refusals\) between two polls; polling every 2 min instead/),
		]);
	} finally {
		later.mockRestore();
	}
	expect(listRequests(server)).toBe(10);
});
