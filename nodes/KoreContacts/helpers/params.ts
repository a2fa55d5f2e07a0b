import { NodeOperationError } from 'n8n-workflow';
import type { IExecuteFunctions } from 'n8n-workflow';

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
