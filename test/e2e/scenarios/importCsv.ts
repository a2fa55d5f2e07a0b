/** Scenarios for Contact › Import CSV, run by a real `n8n execute`. How to add one: ../README.md. */
import type { Scenario } from '../helpers';

const CSV = 'firstName,lastName,salutation,cellPhoneNumber,cellPhoneCountryCode,cellPhoneExtension\nMaya,Iyer,Ms,9000011111,+91,+\nLuca,Rossi,Mr,3471234567,+39,+\n';

const file = (text: string, mimeType: string, fileName: string) => ({
	json: { fileName },
	binary: { data: { data: Buffer.from(text).toString('base64'), mimeType, fileName } },
});

export const scenarios: Scenario[] = [
	{
		id: 'csv-import',
		title: 'import CSV: multipart result_file upload, one output item per created contact',
		binaryItems: [file(CSV, 'text/csv', 'leads.csv')],
		node: { parameters: { operation: 'importCsv', binaryPropertyName: 'data' } },
		expect: (run) => {
			expect(run.code).toBe(0);
			expect(run.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([`POST ${run.base}/import-contacts 200`]);
			expect(run.requests[0].body).toEqual({ multipart: [expect.objectContaining({ name: 'result_file', filename: 'leads.csv', text: CSV })] });
			expect(run.output()!.map((c) => [c.fullName, (c.cellPhone as { phoneNumber: string }).phoneNumber])).toEqual([
				['Maya Iyer', '+919000011111'],
				['Luca Rossi', '+393471234567'],
			]);
		},
	},
	{
		id: 'csv-not-csv',
		title: 'import CSV: a file that is not CSV stops the run, nothing uploaded',
		binaryItems: [file('\u0000\u0001PNG', 'image/png', 'photo.png')],
		node: { parameters: { operation: 'importCsv', binaryPropertyName: 'data' } },
		expect: (run) => {
			expect(run.code).toBe(1);
			expect(run.errorMessage).toBe('Item 0: the file in "data" is not a CSV file ("photo.png"): its type is image/png — nothing was sent to Kore for this item');
			expect(run.requests).toEqual([]);
		},
	},
];
