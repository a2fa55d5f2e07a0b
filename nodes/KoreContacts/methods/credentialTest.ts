import type {
	ICredentialTestFunctions,
	ICredentialsDecrypted,
	IDataObject,
	INodeCredentialTestResult,
} from 'n8n-workflow';

import { editorText } from '../helpers/editorText';
import { CUSTOM_HOST, KORE_ENVIRONMENTS, KoreCredentialError, authenticateRequest, readCredentials } from '../transport/auth';
import { errorCode, isRateLimitResponse, koreErrorText, networkText } from '../transport/errors';
import { contactsPath } from '../transport';
import { pacerFor } from '../transport/pacing';
import type { PacingSlot } from '../transport/pacing';

/** How long the Test waits for Kore to answer, and for a free slot of the account's rate limit. */
const TEST_TIMEOUT_MS = 20_000;
const SLOT_WAIT_MS = 10_000;

/** What the Test found; `kind` is for tests and logs, `message` is what n8n shows (as HTML, so made editor-safe). */
export interface CredentialTestOutcome extends INodeCredentialTestResult {
	kind: 'ok' | 'credential' | 'host' | 'token' | 'account' | 'stream' | 'refused' | 'rateLimit' | 'koreError';
}

function outcome(kind: CredentialTestOutcome['kind'], message: string): CredentialTestOutcome {
	return { status: kind === 'ok' ? 'OK' : 'Error', kind, message: editorText(message) };
}

function quoted(words: string | undefined): string {
	return words ? `: "${words}"` : '';
}

function isKoreErrorBody(body: unknown): boolean {
	return !!body && typeof body === 'object' && Array.isArray((body as IDataObject).errors);
}

/**
 * Reads Kore's answer to the Test's request (one contact of the credential's stream) as one of the cases a
 * user can act on. Kore's documented 401 bodies (reference, "Errors"): "Invalid JWT token" for a token that
 * does not verify (Client ID / Client Secret), "Invalid SDK credentials" for a wrong stream or app, and
 * "Permission denied. Scope is incorrect!" for an app without the API scope. Kore documents no body for a
 * wrong Account ID, so a refusal whose words mention the account is read as that, and a refusal in other
 * words gets a message that names every field it may be about.
 */
export function classifyTestResponse(status: number, body: unknown, host: string, streamId: string): CredentialTestOutcome {
	const words = koreErrorText(body);
	if (status >= 200 && status < 300) {
		if (body && typeof body === 'object' && Array.isArray((body as IDataObject).results)) {
			return outcome(
				'ok',
				`Connection successful: Kore at ${host} accepted the Client ID, Client Secret and Account ID, and listed the contacts of stream "${streamId}".`,
			);
		}
		return notKore(host, status, words);
	}
	if (isRateLimitResponse(status, body)) {
		return outcome(
			'rateLimit',
			`Kore answered that this account's rate limit is used up (HTTP ${status}), so the credential could not be tested now. Try again in a minute.`,
		);
	}
	if (!isKoreErrorBody(body)) {
		return status >= 500 ? koreProblem(host, status, words) : notKore(host, status, words);
	}
	if (status >= 500) return koreProblem(host, status, words);
	const text = words ?? '';
	if (/jwt|token|signature/i.test(text)) {
		return outcome(
			'token',
			`Kore did not accept the Client ID and Client Secret (HTTP ${status}${quoted(words)}). Check both: they must come from the same JWT app (App Settings → Dev Tools), and the secret must be copied whole.`,
		);
	}
	if (/scope|permission/i.test(text)) {
		return streamRefused(status, words, streamId);
	}
	if (/account/i.test(text)) {
		return outcome(
			'account',
			`Kore accepted the Client ID and Client Secret but refused the Account ID (HTTP ${status}${quoted(words)}). Check the Account ID: it must be the account the JWT app belongs to.`,
		);
	}
	if (/sdk credentials|stream|bot\b|app\b/i.test(text)) {
		return streamRefused(status, words, streamId);
	}
	if (status === 404 || status === 405) return notKore(host, status, words);
	return outcome(
		'refused',
		`Kore refused the request (HTTP ${status}${quoted(words)}). Check the Account ID, the Stream ID "${streamId}", and that the JWT app is mapped to the "Configuration" API scope.`,
	);
}

function streamRefused(status: number, words: string | undefined, streamId: string): CredentialTestOutcome {
	return outcome(
		'stream',
		`Kore accepted the Client ID and Client Secret but refused Stream ID "${streamId}" (HTTP ${status}${quoted(words)}). Check the Stream ID (the bot's ID, "st-…", on its App Settings page), that the JWT app was created in that bot, and that the app is mapped to the "Configuration" API scope.`,
	);
}

function notKore(host: string, status: number, words: string | undefined): CredentialTestOutcome {
	const excerpt = words && words.length > 80 ? `${words.slice(0, 80)}…` : words;
	return outcome(
		'host',
		`${host} answered, but not as Kore's Contacts API (HTTP ${status}${quoted(excerpt)}). Check the Environment (or the Custom URL): it must be the address of your Kore platform, e.g. https://platform.kore.ai.`,
	);
}

function koreProblem(host: string, status: number, words: string | undefined): CredentialTestOutcome {
	return outcome('koreError', `Kore at ${host} had a problem on its side (HTTP ${status}${quoted(words)}). Try the Test again later.`);
}

/**
 * The Test's answer when Kore's address gave no answer, with advice for the field the user filled in: the
 * Custom URL, a region of the Environment list (whose names do resolve: so it is this n8n's network), or a
 * URL saved in the Environment field before the list existed.
 */
function unreachable(host: string, chosen: string, code: string | undefined): CredentialTestOutcome {
	const custom = chosen === CUSTOM_HOST;
	const region = KORE_ENVIRONMENTS.some((environment) => environment.value === chosen);
	const nameNotFound = code === 'ENOTFOUND' || code === 'EAI_AGAIN';
	let advice: string;
	if (!nameNotFound) {
		advice = `Check the ${custom ? 'Custom URL' : 'Environment'}, and that this n8n can reach that address (no firewall or proxy in the way).`;
	} else if (region) {
		advice = "Kore's regional addresses exist, so check this n8n's internet access and DNS.";
	} else if (custom) {
		advice = 'Check the Custom URL for a typing mistake: it is the address you open Kore at, e.g. https://kore.example.com.';
	} else {
		advice = 'Choose your region in Environment, or Custom URL with the address you open Kore at, e.g. https://kore.example.com.';
	}
	return outcome('host', `Could not reach Kore at ${host}: ${networkText(code)}. ${advice}`);
}

interface LegacyResponse {
	statusCode: number;
	body: unknown;
}

/**
 * The credential's Test (n8n calls it through the node's `methods.credentialTest`, see `testedBy`): reads one
 * contact of the credential's stream with a request built and signed exactly as the node's (the credential's
 * `authenticate` and the transport's URL), paced with the account's other requests, and says what Kore's
 * answer means. Messages never hold the secret or the token.
 */
export async function testKoreCredential(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<CredentialTestOutcome> {
	const data = credential.data ?? {};
	let signed;
	let credentials;
	try {
		credentials = readCredentials(data);
		if (credentials.streamId === '') {
			return outcome(
				'credential',
				'Enter the Stream ID: Kore\'s Contacts API belongs to a bot (stream), so the Test reads one contact of that stream.',
			);
		}
		signed = await authenticateRequest(data, {
			method: 'GET',
			url: contactsPath(credentials.streamId),
			qs: { skip: 0, limit: 1 },
			headers: { 'Content-Type': 'application/json' },
		});
	} catch (error) {
		if (error instanceof KoreCredentialError) return outcome('credential', error.message);
		return outcome('credential', `The Stream ID "${String(data.testStreamId).trim()}" is not a stream ID. Copy it from the bot's App Settings page: it starts with "st-".`);
	}
	const { host, streamId } = credentials;
	let slot: PacingSlot;
	try {
		slot = await pacerFor(host, credentials.accountId, credentials.requestsPerMinute, credentials.rateLimitWindowMs).acquire(
			AbortSignal.timeout(SLOT_WAIT_MS),
		);
	} catch {
		return outcome(
			'rateLimit',
			`This account's ${credentials.requestsPerMinute} requests per minute are in use by running workflows, so the credential could not be tested now. Try again in a minute.`,
		);
	}
	let response: LegacyResponse;
	try {
		// ICredentialTestFunctions (n8n 2.41) offers only the deprecated `helpers.request`, which n8n's own
		// scanner refuses; the request is built and signed above, so Node's fetch sends it as it is.
		const url = new URL(`${signed.baseURL ?? ''}${signed.url}`);
		for (const [key, value] of Object.entries(signed.qs ?? {})) url.searchParams.set(key, String(value));
		const answer = await fetch(url, {
			method: 'GET',
			headers: signed.headers as Record<string, string>,
			redirect: 'manual',
			signal: AbortSignal.timeout(TEST_TIMEOUT_MS),
		});
		const text = await answer.text();
		let body: unknown = text;
		try {
			body = JSON.parse(text);
		} catch {
			// not JSON: an HTML page or plain text, classified as such
		}
		response = { statusCode: answer.status, body };
	} catch (error) {
		// Built from the error code alone: the error itself carries the request, and so the signed token.
		const code = (error as Error)?.name === 'TimeoutError' ? 'ETIMEDOUT' : errorCode(error);
		return unreachable(host, String(data.host ?? '').trim(), code);
	} finally {
		slot.done();
	}
	return classifyTestResponse(response.statusCode, response.body, host, streamId);
}
