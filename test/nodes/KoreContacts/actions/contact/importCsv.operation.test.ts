import { runWorkflow } from '../../../../helpers/engine';
import { BASE, CREDENTIALS, contact, scriptedKore } from '../../../../helpers/kore';

const CSV = 'firstName,lastName,salutation,cellPhoneNumber,cellPhoneCountryCode,cellPhoneExtension\njohn,doe,Mr,9876500001,+91,+\njane,doe,Mrs,9876500002,+91,+\n';

const file = (text: string, mimeType = 'text/csv', fileName = 'leads.csv') => ({
	json: { source: fileName },
	binary: { data: { data: Buffer.from(text).toString('base64'), mimeType, fileName } },
});

function kore() {
	return scriptedKore(() => [200, [contact('n1', { firstName: 'john' }), contact('n2', { firstName: 'jane' })]]);
}

describe('Import CSV, run inside n8n\'s engine', () => {
	test('uploads the file as multipart field result_file and outputs the created contacts', async () => {
		const seen = kore();
		const { outputs, error } = await runWorkflow('import-csv.json', { credentials: CREDENTIALS, items: [file(CSV)] });
		expect(error).toBeUndefined();
		expect(seen).toHaveLength(1);
		const [upload] = seen;
		expect(upload.method).toBe('POST');
		expect(upload.path).toBe(`${BASE}/st-1/contacts/import-contacts`);
		const boundary = /^multipart\/form-data; boundary=(.+)$/.exec(upload.headers['content-type'])?.[1];
		expect(boundary).toBeDefined();
		const body = (upload.body as Buffer).toString('utf8');
		expect(body).toBe(
			`--${boundary}\r\nContent-Disposition: form-data; name="result_file"; filename="leads.csv"\r\nContent-Type: text/csv\r\n\r\n${CSV}\r\n--${boundary}--\r\n`,
		);
		expect(upload.headers.auth).toBeDefined();
		expect(outputs[0].map((item) => [item.json.id, item.pairedItem])).toEqual([
			['n1', { item: 0 }],
			['n2', { item: 0 }],
		]);
	});

	test('a binary field name that is not there is a clear error naming the fields there are', async () => {
		const seen = kore();
		const { error } = await runWorkflow('import-csv.json', {
			credentials: CREDENTIALS,
			items: [file(CSV)],
			node: { parameters: { binaryPropertyName: 'csv' } },
		});
		expect(error?.message).toBe('Item 0: has no binary field "csv" — nothing was sent to Kore for this item');
		expect(error?.description).toBe('This item\'s binary fields are: data. Set "Input Binary Field" to the one with the CSV file.');
		expect(seen).toHaveLength(0);
	});

	test.each([
		['an image', file('\u0089PNG\r\n\u001a\n\u0000\u0000', 'image/png', 'photo.png'), 'is not a CSV file ("photo.png"): its type is image/png'],
		['a CSV without Kore\'s header', file('name,phone\njohn,123\n'), 'is not a contacts CSV ("leads.csv"): its first line should be a header naming'],
		['a CSV missing a column', file('firstName,lastName,cellPhoneNumber,cellPhoneCountryCode,cellPhoneExtension\n'), 'is missing the column salutation ("leads.csv")'],
		['an empty file', file(''), 'is empty ("leads.csv")'],
	])('%s is refused before anything is uploaded', async (_, item, problem) => {
		const seen = kore();
		const { error } = await runWorkflow('import-csv.json', { credentials: CREDENTIALS, items: [file(CSV), item] });
		expect(error?.message).toContain(`Item 1: the file in "data" ${problem}`);
		expect(seen).toHaveLength(0);
	});

	test('with Continue, a bad file fails only its item', async () => {
		const seen = kore();
		const { outputs } = await runWorkflow('import-csv.json', {
			credentials: CREDENTIALS,
			items: [file('x,y\n'), file(CSV)],
			node: { onError: 'continueErrorOutput' },
		});
		expect(seen).toHaveLength(1);
		expect(outputs[1].map((item) => item.pairedItem)).toEqual([{ item: 0 }]);
		expect(outputs[0].map((item) => item.pairedItem)).toEqual([{ item: 1 }, { item: 1 }]);
	});
});
