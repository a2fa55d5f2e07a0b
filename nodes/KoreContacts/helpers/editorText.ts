import type { NodeApiError, NodeOperationError } from 'n8n-workflow';

/**
 * n8n's editor shows error messages as HTML (its error popup and the credential Test's banner): "+<country
 * code>" would vanish as an unknown tag, and "&amp;" would show as "&". The node's own words hold no such
 * text (test/nodes/KoreContacts/helpers/editorText.test.ts reads every string in the sources); this keeps the
 * values a message quotes — what a user typed, Kore's words — as they were written: angle brackets become
 * ‹ and ›, and an "&" that would start an entity is followed by an invisible word joiner.
 */
export function editorText(text: string): string {
	return text.replace(/</g, '‹').replace(/>/g, '›').replace(/&(?=[#a-z])/gi, '&\u2060');
}

/** The error with every text n8n shows of it (message, description, Kore's messages) made editor-safe, in place. */
export function forEditor<E extends NodeApiError | NodeOperationError>(error: E): E {
	error.message = editorText(error.message);
	if (typeof error.description === 'string') error.description = editorText(error.description);
	if ('messages' in error && Array.isArray(error.messages)) error.messages = error.messages.map((text) => editorText(String(text)));
	return error;
}
