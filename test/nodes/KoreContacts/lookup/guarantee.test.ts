/**
 * The lookup layer's promise in one n8n process, under the orderings a busy CRM produces (issue 17): a write
 * by phone is never sent to a contact whose newest known number is not the one asked for, knowledge of a
 * contact that Kore no longer lists is dropped, and a write waits for another only so long, and not past
 * its execution's end. Kore's answers are held (fakeStream's hooks) to force each ordering.
 */
import type { INodeType } from 'n8n-workflow';

import { deferred, fakeStream } from '../../../helpers/fake-stream';
import type { FakeStream } from '../../../helpers/fake-stream';
import { contact } from '../../../helpers/kore';
import { deleteByPhone, resetWorkers, run, update, worker } from '../../../helpers/workers';

/** Every field an update can set, so that it sends at once (no read for the fields it leaves). */
const allFields = (phone: string) => ({ firstName: 'Changed', lastName: 'Contact', salutation: 'Mx', phoneNumber: phone, countryCode: '+91', extension: '+' });
const phoneOf = (i: number) => `+91${9000000000 + i}`;
const until = async (check: () => boolean) => {
	while (!check()) await new Promise((resolve) => setTimeout(resolve, 10));
};

afterEach(() => resetWorkers());

describe('A write by phone', () => {
	test('is not sent when its contact lost the number while the write waited, however often that happens', async () => {
		const stream = fakeStream(30);
		const node = worker();
		const firstPut = deferred();
		const secondPut = deferred();
		const releaseFirst = deferred();
		const releaseSecond = deferred();
		let puts = 0;
		stream.beforeWrite = async (request) => {
			if (request.method !== 'PUT') return;
			puts++;
			if (puts === 1) {
				firstPut.resolve();
				await releaseFirst.promise;
			} else if (puts === 2) {
				secondPut.resolve();
				await releaseSecond.promise;
			}
		};
		let gets = 0;
		let second: ReturnType<typeof update> | undefined;
		stream.beforePage = async () => {
			if (++gets !== 2) return;
			// before the delete looks again: c5 gets its old number back (in Kore's UI), and another write by ID
			// takes c5's lock and moves the number away once more
			stream.update('c5', { cellPhone: { phoneNumber: '9000000005' } });
			second = update(node, 'c5', allFields('9222222222'));
			await secondPut.promise;
		};

		// a write by ID moves c5's number away; Kore answers it once the delete by c5's number has found c5
		const first = update(node, 'c5', allFields('9111111111'));
		await firstPut.promise;
		const removal = deleteByPhone(node, 5);
		await until(() => gets >= 1);
		await new Promise((resolve) => setTimeout(resolve, 200));
		releaseFirst.resolve();
		await until(() => second !== undefined);
		releaseSecond.resolve();

		const [removed, one, two] = await Promise.all([removal, first, second!]);
		expect(one.error).toBeUndefined();
		expect(two.error).toBeUndefined();
		expect(stream.count('DELETE')).toBe(0);
		expect(stream.byId('c5')).toMatchObject({ status: 'ACTIVE', cellPhone: { phoneNumber: '+919222222222' } });
		expect(removed.error?.message).toBe('Item 0: no contact with phone +919000000005 in stream "st-1"');
	});
});

describe('What this process wrote', () => {
	test('is dropped when a later read no longer lists the contact: its number can then belong to another', async () => {
		const stream = fakeStream(30);
		const node = worker();
		// an execution that holds the stream all along (its delete waits in Kore), so what the layer knows stays
		const holding = deferred();
		const held = deferred();
		stream.beforeWrite = async (request) => {
			if (request.method === 'DELETE' && request.path.endsWith('/c0')) {
				held.resolve();
				await holding.promise;
			}
		};
		const holder = run(node, 'delete-by-phone.json', { contactBy: 'id', contactId: 'c0' });
		await held.promise;

		expect((await update(node, 'c5', { firstName: 'Ada' })).error).toBeUndefined();
		// in Kore, c5 is deleted and its number given to a new contact
		stream.remove('c5');
		stream.add(contact('c99', { cellPhone: { phoneNumber: phoneOf(5), countryCode: '+91', extension: '+' } }));

		const removed = await deleteByPhone(node, 5);
		holding.resolve();
		expect((await holder).error).toBeUndefined();
		expect(removed.error).toBeUndefined();
		expect(stream.byId('c99')!.status).toBe('INACTIVE');
	});
});

describe('Waiting for another write to the same contact', () => {
	/** An update of `contactId` whose PUT Kore holds (its write keeps the contact's turn) until `holding` resolves. */
	async function holdingContact(stream: FakeStream, node: INodeType, contactId: string) {
		const holding = deferred();
		const held = deferred();
		stream.beforeWrite = async (request) => {
			if (request.method !== 'PUT') return;
			held.resolve();
			await holding.promise;
		};
		const first = update(node, contactId, allFields('9333333333'));
		await held.promise;
		return { holding, first };
	}

	test('is bounded, and the message names the contact; nothing is sent for the item that gave up', async () => {
		const stream = fakeStream(30);
		const node = worker({ lockWaitMs: 1_000 });
		const { holding, first } = await holdingContact(stream, node, 'c8');
		const second = await update(node, 'c8', { firstName: 'Late' });
		expect(second.error?.message).toBe('Item 0: not sent: another write to contact "c8" did not finish within 1 s');
		holding.resolve();
		expect((await first).error).toBeUndefined();
		expect(stream.count('PUT')).toBe(1);
		expect(stream.byId('c8')!.firstName).toBe('Changed');
	});

	test('ends when the execution is cancelled, and nothing is sent for it', async () => {
		const stream = fakeStream(30);
		const node = worker();
		const { holding, first } = await holdingContact(stream, node, 'c9');
		const cancel = deferred();
		const second = update(node, 'c9', { firstName: 'Cancelled' }, { cancel: cancel.promise });
		await new Promise((resolve) => setTimeout(resolve, 300));
		cancel.resolve();
		// it ends while the first write still holds the contact
		const ended = await second;
		expect(ended.run.status).toBe('canceled');
		holding.resolve();
		expect((await first).error).toBeUndefined();
		expect(stream.count('PUT')).toBe(1);
		expect(stream.byId('c9')!.firstName).toBe('Changed');
	});
});
