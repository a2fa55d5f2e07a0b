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

/** A required identifier (Stream ID, Contact ID): not blank, and usable as one URL path segment. */
export function requiredId(ctx: IExecuteFunctions, name: string, index: number): string {
	const value = requiredText(ctx, name, index);
	if (value === '.' || value === '..') {
		throw new NodeOperationError(ctx.getNode(), `Item ${index}: "${labelOf(name)}" cannot be "${value}"`, { itemIndex: index });
	}
	return value;
}
