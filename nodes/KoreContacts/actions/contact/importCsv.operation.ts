import { randomBytes } from 'node:crypto';

import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { prepareItems, runEach } from '../../helpers/items';
import type { ItemOutcome } from '../../helpers/items';
import { requiredText, streamIdFor } from '../../helpers/params';
import type { OperationContext } from '../types';

/** The columns Kore's import reads (all documented as required). */
export const CSV_COLUMNS = ['firstName', 'lastName', 'salutation', 'cellPhoneNumber', 'cellPhoneCountryCode', 'cellPhoneExtension'];

export const description: INodeProperties[] = [
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		required: true,
		default: 'data',
		hint: `The CSV's header row must name Kore's columns: ${CSV_COLUMNS.join(', ')}`,
		description:
			'The binary field of the input item that holds the CSV file (e.g. from Read/Write Files from Disk or an HTTP download)',
		displayOptions: { show: { resource: ['contact'], operation: ['importCsv'] } },
	},
];

const CSV_MIME_TYPES = new Set(['text/csv', 'text/plain', 'application/csv', 'application/vnd.ms-excel', 'text/comma-separated-values', 'application/octet-stream']);

/** Checks that `data` looks like a CSV with Kore's columns; returns a problem, or undefined when fine. */
export function csvProblem(data: Buffer, mimeType: string | undefined, fileName: string | undefined): string | undefined {
	const named = fileName ? ` ("${fileName}")` : '';
	const type = (mimeType ?? '').split(';')[0].trim().toLowerCase();
	const extension = fileName?.split('.').pop()?.toLowerCase();
	if (type && !CSV_MIME_TYPES.has(type) && extension !== 'csv') return `is not a CSV file${named}: its type is ${type}`;
	if (data.length === 0) return `is empty${named}`;
	if (data.includes(0)) return `is not a CSV file${named}: it holds binary data`;
	const text = data.toString('utf8').replace(/^\uFEFF/, '');
	const header = text.split(/\r?\n/, 1)[0];
	const columns = header.split(',').map((column) => column.trim().replace(/^"|"$/g, '').toLowerCase());
	const missing = CSV_COLUMNS.filter((column) => !columns.includes(column.toLowerCase()));
	if (missing.length === CSV_COLUMNS.length) return `is not a contacts CSV${named}: its first line should be a header naming ${CSV_COLUMNS.join(', ')}`;
	if (missing.length > 0) return `is missing the column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}${named}`;
	return undefined;
}

/** A multipart/form-data body with the file in Kore's field `result_file`. */
export function multipartBody(data: Buffer, fileName: string): { body: Buffer; contentType: string } {
	const boundary = `----n8nKoreContacts${randomBytes(12).toString('hex')}`;
	const safeName = fileName.replace(/["\r\n]/g, '_');
	const head = Buffer.from(
		`--${boundary}\r\nContent-Disposition: form-data; name="result_file"; filename="${safeName}"\r\nContent-Type: text/csv\r\n\r\n`,
	);
	return { body: Buffer.concat([head, data, Buffer.from(`\r\n--${boundary}--\r\n`)]), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** Uploads each input item's CSV file to Kore's import endpoint; outputs the contacts Kore created. */
export async function execute(
	this: IExecuteFunctions,
	{ items, client, lookups, concurrency, defaultStreamId }: OperationContext,
): Promise<ItemOutcome[]> {
	// Every file is read and checked before anything is uploaded, so a bad file stops the run (or fails
	// its item) without another item's contacts having been imported.
	const { prepared, failed } = await prepareItems(this, items, async (index) => {
		const streamId = streamIdFor(this, index, defaultStreamId);
		const property = requiredText(this, 'binaryPropertyName', index);
		const binary = items[index].binary?.[property];
		if (!binary) {
			const available = Object.keys(items[index].binary ?? {});
			throw new NodeOperationError(this.getNode(), `Item ${index}: has no binary field "${property}" — nothing was sent to Kore for this item`, {
				itemIndex: index,
				description: available.length
					? `This item's binary fields are: ${available.join(', ')}. Set "Input Binary Field" to the one with the CSV file.`
					: 'This item has no file. Read the CSV file in an earlier node (e.g. Read/Write Files from Disk).',
			});
		}
		const fileName = binary.fileName ?? 'contacts.csv';
		const data = await this.helpers.getBinaryDataBuffer(index, property);
		const problem = csvProblem(data, binary.mimeType, fileName);
		if (problem) {
			throw new NodeOperationError(this.getNode(), `Item ${index}: the file in "${property}" ${problem} — nothing was sent to Kore for this item`, {
				itemIndex: index,
			});
		}
		return { streamId, data, fileName };
	});
	const done = await runEach(this, prepared, { concurrency, onStop: () => client.halt() }, async ({ streamId, data, fileName }, itemIndex) => {
		const { body, contentType } = multipartBody(data, fileName);
		const answer = await client.request<unknown>({ method: 'POST', streamId, path: ['import-contacts'], body, contentType, itemIndex });
		const created = Array.isArray(answer) ? (answer as IDataObject[]) : [answer as IDataObject];
		await lookups.learned(streamId, created, itemIndex);
		return created;
	});
	return [...failed, ...done];
}
