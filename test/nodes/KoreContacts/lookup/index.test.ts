/**
 * The lookup layer, through the node run inside n8n's engine: concurrent executions (as a burst of CRM
 * webhooks runs them in one n8n process) share scans, never get an answer older than their request,
 * serialize writes per contact, survive pages that shift under a scan, and leave nothing behind.
 */
import { heldStreams } from '../../../../nodes/KoreContacts/lookup';
import { runWorkflow } from '../../../helpers/engine';
import { deferred, fakeStream } from '../../../helpers/fake-stream';
import { CREDENTIALS, contact, koreError } from '../../../helpers/kore';

const PAGE = 100;
const phoneOf = (i: number) => String(9000000000 + i);

const deleteByPhone = (phone: string) =>
	runWorkflow('delete-by-phone.json', { credentials: CREDENTIALS, items: [{ phone }] });

const updateById = (koreId: string, updateFields: Record<string, string>) =>
	runWorkflow('update-contact.json', {
		credentials: CREDENTIALS,
		items: [{ koreId }],
		node: { parameters: { updateFields } },
	});

afterEach(() => expect(heldStreams()).toBe(0));

describe('Lookups shared by concurrent executions', () => {
	test('20 executions deleting by phone at once share at most 2 scans and write once each', async () => {
		const stream = fakeStream(250);
		const targets = Array.from({ length: 20 }, (_, i) => i * 12);
		const runs = await Promise.all(targets.map((i) => deleteByPhone(phoneOf(i))));
		for (const run of runs) expect(run.error).toBeUndefined();
		const pagesPerScan = Math.ceil(250 / PAGE);
		expect(stream.count('GET')).toBeLessThanOrEqual(2 * pagesPerScan);
		expect(stream.count('DELETE')).toBe(20);
		expect(stream.contacts.filter((entry) => entry.status === 'INACTIVE').map((entry) => entry.id)).toEqual(targets.map((i) => `c${i}`));
		expect(heldStreams()).toBe(0);
	});

	test('a lookup asked while a scan runs waits for the next scan: a change made before it asked is not undone', async () => {
		const stream = fakeStream(250);
		const holdPage2 = deferred();
		const page2Asked = deferred();
		stream.beforePage = async (skip) => {
			if (skip === PAGE && stream.count('GET') === 2) {
				page2Asked.resolve();
				await holdPage2.promise;
			}
		};
		const first = deleteByPhone(phoneOf(5));
		await page2Asked.promise;
		// Another system renames c20 (on page 1, already read by the running scan), then a CRM event asks to
		// change c20's last name: the running scan began before the event, so its copy must not be merged.
		stream.update('c20', { firstName: 'Renamed' });
		const second = updateById('c20', { lastName: 'Changed' });
		await new Promise((resolve) => setTimeout(resolve, 50));
		holdPage2.resolve();
		const [a, b] = await Promise.all([first, second]);
		expect(a.error).toBeUndefined();
		expect(b.error).toBeUndefined();
		expect(stream.byId('c20')).toMatchObject({ firstName: 'Renamed', lastName: 'Changed' });
		// two scans of 3 pages, the second started after the second event asked (it steps back one page
		// more when the delete of c5 lands between two of its pages and shifts them)
		expect(stream.count('GET')).toBeGreaterThanOrEqual(6);
		expect(stream.count('GET')).toBeLessThanOrEqual(7);
		const scanStarts = stream.seen.filter((request) => request.method === 'GET' && request.query.get('skip') === '0');
		expect(scanStarts).toHaveLength(2);
	});

	test('a stale copy never answers: a lookup after a scan finished waits for a new scan', async () => {
		const stream = fakeStream(50);
		expect((await deleteByPhone(phoneOf(1))).error).toBeUndefined();
		stream.update('c2', { cellPhone: { phoneNumber: '9999999999' } });
		expect((await deleteByPhone('9999999999')).error).toBeUndefined();
		expect(stream.byId('c2')!.status).toBe('INACTIVE');
		expect(stream.count('GET')).toBe(2);
	});
});

describe('Writes to one contact', () => {
	test('two concurrent executions changing different fields of one contact both survive', async () => {
		const stream = fakeStream(30);
		const [a, b] = await Promise.all([updateById('c7', { firstName: 'Ada' }), updateById('c7', { lastName: 'Lovelace' })]);
		expect(a.error).toBeUndefined();
		expect(b.error).toBeUndefined();
		expect(stream.byId('c7')).toMatchObject({ firstName: 'Ada', lastName: 'Lovelace' });
		// one shared scan, two writes; the second merged on Kore's answer to the first
		expect(stream.count('GET')).toBe(1);
		expect(stream.count('PUT')).toBe(2);
	});

	test('two items of one run changing different fields of one contact both survive', async () => {
		const stream = fakeStream(30);
		const run = await runWorkflow('update-contact.json', {
			credentials: CREDENTIALS,
			items: [
				{ koreId: 'c3', field: 'firstName', value: 'Grace' },
				{ koreId: 'c3', field: 'lastName', value: 'Hopper' },
			],
			node: { parameters: { updateFields: { firstName: '={{ $json.field === "firstName" ? $json.value : undefined }}', lastName: '={{ $json.field === "lastName" ? $json.value : undefined }}' } } },
		});
		expect(run.error).toBeUndefined();
		expect(stream.byId('c3')).toMatchObject({ firstName: 'Grace', lastName: 'Hopper' });
	});

	test('writes are serialized: the second PUT is not sent before Kore answered the first', async () => {
		const stream = fakeStream(10);
		let inFlight = 0;
		let most = 0;
		stream.beforeWrite = async () => {
			inFlight++;
			most = Math.max(most, inFlight);
			await new Promise((resolve) => setTimeout(resolve, 30));
			inFlight--;
		};
		const runs = await Promise.all(['A', 'B', 'C', 'D'].map((name) => updateById('c4', { salutation: name })));
		for (const run of runs) expect(run.error).toBeUndefined();
		expect(stream.count('PUT')).toBe(4);
		expect(most).toBe(1);
	});

	test('a failed write makes the next writer read afresh instead of merging on a copy that may be wrong', async () => {
		const stream = fakeStream(10);
		let failNext = true;
		stream.beforeWrite = () => {
			if (failNext) {
				failNext = false;
				// Another system changes the contact and this write is refused
				stream.update('c1', { firstName: 'Changed' });
				return { status: 412, body: koreError('refused', 412) };
			}
			return undefined;
		};
		const [a, b] = await Promise.all([updateById('c1', { lastName: 'One' }), updateById('c1', { salutation: 'Dr' })]);
		expect([a.error, b.error].filter(Boolean)).toHaveLength(1);
		expect(stream.byId('c1')).toMatchObject({ firstName: 'Changed', salutation: 'Dr' });
	});
});

describe('Pages that shift under a scan', () => {
	test('a delete that shifts the pages under a scan: the scan steps back and still finds the contact moved back', async () => {
		const stream = fakeStream(250);
		stream.beforePage = (skip) => {
			// After page 1 was read, another system deletes c0: c100 moves to page 1 and page 2 starts at c101.
			if (skip === PAGE && stream.byId('c0')!.status === 'ACTIVE') stream.remove('c0');
		};
		const run = await deleteByPhone(phoneOf(100));
		expect(run.error).toBeUndefined();
		expect(stream.byId('c100')!.status).toBe('INACTIVE');
		// Kore's count dropped by one between pages 1 and 2: the read stepped back past the last contact it had,
		// by that one and one more in case deletes go on, and one scan was enough
		const skips = stream.seen.filter((request) => request.method === 'GET').map((request) => Number(request.query.get('skip')));
		expect(skips).toEqual([0, PAGE, PAGE - 3, 2 * PAGE - 3]);
	});

	test('a contact skipped by a shift the count does not show (a create and a delete at once) is found on one more scan', async () => {
		const stream = fakeStream(250);
		stream.beforePage = (skip) => {
			if (skip === PAGE && stream.byId('c0')!.status === 'ACTIVE') {
				stream.remove('c0');
				stream.add(contact('late', { cellPhone: { phoneNumber: '+917000000000', countryCode: '+91', extension: '+' } }));
			}
		};
		const run = await deleteByPhone(phoneOf(100));
		expect(run.error).toBeUndefined();
		expect(stream.byId('c100')!.status).toBe('INACTIVE');
		expect(stream.count('GET')).toBe(6);
	});

	test('a number no contact has still fails, after one confirming scan', async () => {
		const stream = fakeStream(150);
		const run = await deleteByPhone('9999999999');
		expect(run.error?.message).toBe('Item 0: no contact with phone +919999999999 in stream "st-1"');
		expect(stream.count('DELETE')).toBe(0);
		expect(stream.count('GET')).toBe(4);
	});
});

describe('Visible', () => {
	test('n8n\'s log says that lookups wait for a scan, and how many shared it and how many pages it read', async () => {
		fakeStream(250);
		const runs = await Promise.all([1, 2, 3, 4, 5].map((i) => deleteByPhone(phoneOf(i * 40))));
		// the engine runner gives the process one logger at a time: lines of all runs are gathered
		const lines = runs.flatMap((run) => run.logs.map((line: { message: string }) => line.message));
		expect(lines).toContainEqual(expect.stringMatching(/^Kore Contacts: lookups in stream st-1 wait for a scan of the stream/));
		expect(lines).toContainEqual(expect.stringMatching(/^Kore Contacts: scanned stream st-1: 250 contacts in 3 page\(s\), .*, shared by 5 lookup\(s\)$/));
	});
});

describe('Memory', () => {
	test('nothing is held after a burst, and a later execution reads afresh', async () => {
		const stream = fakeStream(120);
		await Promise.all([deleteByPhone(phoneOf(1)), deleteByPhone(phoneOf(2)), updateById('c3', { firstName: 'X' })]);
		expect(heldStreams()).toBe(0);
		const before = stream.count('GET');
		await updateById('c4', { firstName: 'Y' });
		expect(stream.count('GET')).toBe(before + 2);
	});
});
