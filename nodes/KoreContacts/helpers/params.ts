import { NodeOperationError } from 'n8n-workflow';
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

/** A parameter's value as trimmed text; numbers (e.g. from an expression) are accepted as text. */
export function textParameter(ctx: IExecuteFunctions, name: string, index: number, fallback = ''): string {
	const value = ctx.getNodeParameter(name, index, fallback) as unknown;
	if (value === null || value === undefined) return '';
	if (typeof value === 'string') return value.trim();
	if (typeof value === 'number' || typeof value === 'bigint') return String(value);
	throw new NodeOperationError(ctx.getNode(), `Item ${index}: "${labelOf(name)}" must be text, got ${typeof value}`, {
		itemIndex: index,
	});
}

const LABELS: Record<string, string> = {
	streamId: 'Stream ID',
	contactId: 'Contact ID',
	phoneNumber: 'Phone Number',
	binaryPropertyName: 'Input Binary Field',
};

function labelOf(name: string): string {
	return LABELS[name] ?? name;
}

/** A required parameter as trimmed, non-blank text. */
export function requiredText(ctx: IExecuteFunctions, name: string, index: number): string {
	const value = textParameter(ctx, name, index);
	if (value === '') {
		const label = labelOf(name);
		throw new NodeOperationError(ctx.getNode(), `Item ${index}: "${label}" is empty — nothing was sent to Kore for this item`, {
			itemIndex: index,
			description: `Set "${label}", e.g. map it from the incoming data with an expression such as {{ $json.${name} }}.`,
		});
	}
	return value;
}

/** `value` of the identifier `name`, refused if it cannot be one URL path segment ("." or ".."). */
function pathSegment(ctx: IExecuteFunctions, name: string, index: number, value: string): string {
	if (value === '.' || value === '..') {
		throw new NodeOperationError(ctx.getNode(), `Item ${index}: "${labelOf(name)}" cannot be "${value}"`, { itemIndex: index });
	}
	return value;
}

/** A required identifier (Stream ID, Contact ID): not blank, and usable as one URL path segment. */
export function requiredId(ctx: IExecuteFunctions, name: string, index: number): string {
	return pathSegment(ctx, name, index, requiredText(ctx, name, index));
}

/**
 * The stream item `index` acts on: the node's Stream ID, or — when that is empty — the credential's
 * (`defaultStreamId`, trimmed when the credential was read). The one place that decides it, for every operation.
 */
export function streamIdFor(ctx: IExecuteFunctions, index: number, defaultStreamId: string): string {
	const value = textParameter(ctx, 'streamId', index) || defaultStreamId;
	if (value === '') {
		throw new NodeOperationError(
			ctx.getNode(),
			`Item ${index}: "Stream ID" is empty, in the node and in the credential — nothing was sent to Kore for this item`,
			{
				itemIndex: index,
				description:
					'Set the Stream ID of the Kore bot (it starts with "st-") in the credential, or in the node\'s "Stream ID" field (e.g. with an expression such as {{ $json.streamId }}).',
			},
		);
	}
	return pathSegment(ctx, 'streamId', index, value);
}

/** The Stream ID field of one resource: empty means the credential's stream. */
export function streamIdProperty(resource: string, description: string): INodeProperties {
	return {
		displayName: 'Stream ID',
		name: 'streamId',
		type: 'string',
		default: '',
		placeholder: 'e.g. st-7dc994f0-4436-5134-9fa8-a942625a1b2c',
		hint: 'Leave empty to use the Stream ID of the credential',
		description,
		displayOptions: { show: { resource: [resource] } },
	};
}

/** Return All and Limit of an operation that reads pages. */
export function returnAllProperties(resource: string, operation: string): INodeProperties[] {
	const show = { resource: [resource], operation: [operation] };
	return [
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			default: false,
			description: 'Whether to return all results or only up to a given limit',
			displayOptions: { show },
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 50,
			description: 'Max number of results to return',
			displayOptions: { show: { ...show, returnAll: [false] } },
		},
	];
}

/** How many records item `index` wants (Return All / Limit): undefined for all. */
export function readLimit(ctx: IExecuteFunctions, index: number): number | undefined {
	if (ctx.getNodeParameter('returnAll', index, false) === true) return undefined;
	return Math.max(1, Math.floor(Number(ctx.getNodeParameter('limit', index, 50)) || 1));
}
