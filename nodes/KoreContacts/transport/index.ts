import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, IHttpRequestMethods, IHttpRequestOptions } from 'n8n-workflow';

import { KoreCredentialError, readCredentials } from './auth';
import type { KoreCredentials } from './auth';
import { errorCode, koreApiError, koreNetworkError } from './errors';

export const CREDENTIAL_TYPE = 'koreContactsApi';

/** One request to a stream's Contacts API. */
export interface KoreRequest {
	method: IHttpRequestMethods;
	streamId: string;
	/** Path segments after `/contacts`; each is percent-encoded on its own. */
	path?: string[];
	qs?: IDataObject;
	body?: IHttpRequestOptions['body'];
	/** The contact the request is about, named in error hints. */
	contactId?: string;
	itemIndex?: number;
}

/**
 * Percent-encodes one path segment so that nothing in it can leave it: `/`, `?`, `#` and `%` are encoded
 * by encodeURIComponent; `.` and `..` would be collapsed by URL parsing (even as `%2E`), so they are refused.
 */
export function encodeSegment(value: string): string {
	if (value === '' || value === '.' || value === '..') {
		throw new Error(`"${value}" cannot be used as a path segment`);
	}
	return encodeURIComponent(value);
}

/** The path of a stream's contacts resource, with each segment encoded. */
export function contactsPath(streamId: string, path: string[] = []): string {
	return ['', 'agentassist', 'api', 'v1', 'public', encodeSegment(streamId), 'contacts', ...path.map(encodeSegment)].join('/');
}

/**
 * The one way this package talks to Kore. It alone knows the URLs, the authentication (through the
 * credential's `authenticate`, which signs a token per request), and Kore's error format.
 */
export class KoreClient {
	private credentials?: Promise<KoreCredentials>;

	constructor(private readonly ctx: IExecuteFunctions) {}

	/** The credential's checked fields (read once per execution). */
	async getCredentials(itemIndex?: number): Promise<KoreCredentials> {
		this.credentials ??= this.ctx
			.getCredentials(CREDENTIAL_TYPE)
			.then((data) => readCredentials(data));
		try {
			return await this.credentials;
		} catch (error) {
			// A KoreCredentialError's message is written for the user; anything else (e.g. no credential
			// selected) keeps n8n's own message.
			throw error instanceof KoreCredentialError
				? new NodeOperationError(this.ctx.getNode(), error.message, { itemIndex })
				: new NodeOperationError(this.ctx.getNode(), error as Error, { itemIndex });
		}
	}

	async request<T = unknown>(req: KoreRequest): Promise<T> {
		const credentials = await this.getCredentials(req.itemIndex);
		const options: IHttpRequestOptions = {
			method: req.method,
			url: contactsPath(req.streamId, req.path),
			qs: req.qs,
			body: req.body,
			json: true,
			headers: { 'Content-Type': 'application/json' },
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			disableFollowRedirect: true,
			sendCredentialsOnCrossOriginRedirect: false,
		};
		let response: { statusCode: number; body: unknown };
		try {
			response = (await this.ctx.helpers.httpRequestWithAuthentication.call(
				this.ctx,
				CREDENTIAL_TYPE,
				options,
			)) as { statusCode: number; body: unknown };
		} catch (error) {
			throw koreNetworkError(this.ctx.getNode(), errorCode(error), credentials.host, req.itemIndex);
		}
		if (response.statusCode >= 200 && response.statusCode < 300) return response.body as T;
		throw koreApiError(
			this.ctx.getNode(),
			response.statusCode,
			response.body,
			{ streamId: req.streamId, contactId: req.contactId },
			req.itemIndex,
		);
	}
}
