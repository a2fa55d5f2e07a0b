/**
 * n8n's editor renders the node's error messages and descriptions, and the credential Test's answer, as HTML:
 * "write it as +<country code><number>" showed as "write it as +". No text the node or its credential can show
 * may hold what HTML swallows (angle brackets, entities such as "&amp;"). Three nets:
 * 1. every string written in the sources (nodes/, credentials/): a new message with "<" or ">" fails here;
 * 2. every text of the node's and the credential's descriptions, as built;
 * 3. the messages the failure paths raise, driven through n8n's engine and the credential Test with inputs
 *    and Kore answers that hold such characters themselves (they must reach the editor made safe).
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

import ts from 'typescript';
import type { IDataObject, ICredentialDataDecryptedObject, IWorkflowBase } from 'n8n-workflow';

import { KoreContactsApi } from '../../../../credentials/KoreContactsApi.credentials';
import { KoreContacts } from '../../../../nodes/KoreContacts/KoreContacts.node';
import { editorText } from '../../../../nodes/KoreContacts/helpers/editorText';
import { runCredentialTest } from '../../../helpers/credential-test';
import { KORE_NODE_TYPE, loadWorkflow, runWorkflow } from '../../../helpers/engine';
import type { SeedContact } from '../../../../scripts/kore-server';
import { CREDENTIALS, contact, freshKore, koreError, scriptedKore } from '../../../helpers/kore';
import type { ScriptedAnswer } from '../../../helpers/kore';
import { networkFailure } from '../../../helpers/network';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');

/** What HTML swallows or changes: a tag's brackets, or an "&" that starts an entity (some need no ";"). */
const SWALLOWED = /[<>]|&[#a-z]/i;

/** Text that holds both, as a user might type it or Kore might answer; it must reach the editor made safe. */
const HOSTILE = '<b>x</b> &amp;';
const HOSTILE_SHOWN = editorText(HOSTILE);

function unsafe(texts: string[]): string[] {
	return texts.filter((text) => SWALLOWED.test(text));
}

describe('editorText', () => {
	test('angle brackets become ‹ ›, an entity-like "&" is kept from being read as one, other text is left alone', () => {
		expect(editorText('write it as +<country code><number>')).toBe('write it as +‹country code›‹number›');
		expect(editorText('Tom &amp; Jerry, &#60;, &copy')).toBe('Tom &\u2060amp; Jerry, &\u2060#60;, &\u2060copy');
		expect(editorText('R & D, a && b, e.g. +91 98765 43210')).toBe('R & D, a && b, e.g. +91 98765 43210');
		expect(unsafe([HOSTILE_SHOWN])).toEqual([]);
	});
});

// --------------------------------------------------------------------------------------------- 1. sources

interface Literal {
	file: string;
	line: number;
	text: string;
}

function sourceFiles(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) return sourceFiles(full);
		return entry.name.endsWith('.ts') ? [full] : [];
	});
}

/** Every string literal and every literal part of a template in `code`, and the error classes it constructs. */
function readSource(file: string, code: string): { literals: Literal[]; constructed: string[] } {
	const source = ts.createSourceFile(file, code, ts.ScriptTarget.Latest, true);
	const literals: Literal[] = [];
	const constructed: string[] = [];
	const visit = (node: ts.Node) => {
		if (
			ts.isStringLiteral(node) ||
			ts.isNoSubstitutionTemplateLiteral(node) ||
			ts.isTemplateHead(node) ||
			ts.isTemplateMiddle(node) ||
			ts.isTemplateTail(node)
		) {
			literals.push({ file: path.relative(ROOT, file), line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1, text: node.text });
		}
		if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && /Error$/.test(node.expression.text)) constructed.push(node.expression.text);
		if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'outcome') constructed.push('outcome');
		ts.forEachChild(node, visit);
	};
	visit(source);
	return { literals, constructed };
}

/** Lua sent to Redis (queue mode) compares with < and >; it is never shown to anyone. */
const isLuaScript = (text: string) => text.includes('redis.call(');

function unsafeLiterals(literals: Literal[]): string[] {
	return literals.filter(({ text }) => !isLuaScript(text) && SWALLOWED.test(text)).map(({ file, line, text }) => `${file}:${line}: ${text}`);
}

describe('every string in the sources', () => {
	const files = ['nodes', 'credentials'].flatMap((dir) => sourceFiles(path.join(ROOT, dir)));
	const read = files.map((file) => readSource(file, readFileSync(file, 'utf8')));
	const literals = read.flatMap((entry) => entry.literals);
	const constructed = read.flatMap((entry) => entry.constructed);

	test('the scan reaches every kind of message the node and the credential raise', () => {
		expect(files.map((file) => path.relative(ROOT, file))).toEqual(
			expect.arrayContaining(['credentials/KoreContactsApi.credentials.ts', 'nodes/KoreContacts/transport/errors.ts', 'nodes/KoreContacts/methods/credentialTest.ts']),
		);
		const kinds = new Set(constructed);
		for (const kind of ['NodeOperationError', 'NodeApiError', 'PhoneError', 'KoreCredentialError', 'outcome']) expect(kinds).toContain(kind);
		expect(constructed.length).toBeGreaterThan(40);
	});

	test('none holds text HTML would swallow (Lua scripts for Redis aside)', () => {
		expect(unsafeLiterals(literals)).toEqual([]);
	});

	test('the check finds such text where it is (the message this test was written for)', () => {
		const old = 'throw new PhoneError(`"${raw}" has no country code: write it as +<country code><number>, or fill "Country Code"`);';
		const entity = "const description = 'A number written as +&lt;country code&gt;… is accepted';";
		expect(unsafeLiterals(readSource('old.ts', old).literals)).toHaveLength(1);
		expect(unsafeLiterals(readSource('old.ts', entity).literals)).toHaveLength(1);
		expect(unsafeLiterals(readSource('lua.ts', "export const S = `if used < limit then redis.call('ZADD') end`;").literals)).toEqual([]);
	});
});

// ----------------------------------------------------------------------------------------- 2. descriptions

function strings(value: unknown, at = ''): Array<[string, string]> {
	if (typeof value === 'string') return [[at, value]];
	if (Array.isArray(value)) return value.flatMap((entry, index) => strings(entry, `${at}[${index}]`));
	if (value && typeof value === 'object') return Object.entries(value).flatMap(([key, entry]) => strings(entry, `${at}.${key}`));
	return [];
}

test('every text of the node\'s and the credential\'s descriptions is shown as written', () => {
	const texts = [...strings(new KoreContacts().description, 'node'), ...strings(new KoreContactsApi().properties, 'credential')];
	expect(texts.length).toBeGreaterThan(200);
	expect(texts.filter(([, text]) => SWALLOWED.test(text)).map(([at, text]) => `${at}: ${text}`)).toEqual([]);
});

// ---------------------------------------------------------------------------------- 3. the failure paths

/** Sets up this test's fake Kore (fresh, with no contacts) for a run on the stream given. */
type KoreSetUp = (streamId: string) => void;

interface Scenario {
	parameters: IDataObject;
	items?: IDataObject[];
	kore?: KoreSetUp | { networkError: string };
	/** Fields that differ from CREDENTIALS (read when the test runs: the fake Kore's URL is set per test). */
	credentials?: ICredentialDataDecryptedObject;
}

const CSV_HEADER = 'firstName,lastName,salutation,cellPhoneNumber,cellPhoneCountryCode,cellPhoneExtension\n';
const file = (text: string, mimeType: string, fileName: string) => ({
	json: {},
	binary: { data: { data: Buffer.from(text).toString('base64'), mimeType, fileName } },
});
const create = { operation: 'create', firstName: 'Asha', lastName: 'Rao', salutation: 'Ms', phoneNumber: '98765 43210', countryCode: '+91', extension: '+' };
const byPhone = (operation: string, phoneNumber: string, countryCode = '+91') => ({ operation, contactBy: 'phone', phoneNumber, countryCode });
const withPhone = (id: string, phoneNumber: string, extra: IDataObject = {}) => contact(id, { cellPhone: { phoneNumber, countryCode: '+91', extension: '+' }, ...extra });
/** Kore holding `contacts` in the run's stream, answering by its own rules (`asStored` lets one number be on two). */
const holding =
	(contacts: IDataObject[]): KoreSetUp =>
	(streamId) =>
		void freshKore().addContacts(contacts.map((entry) => ({ ...entry, streamId, asStored: true }) as unknown as SeedContact));
/** Kore answering every request with `answer`, whatever it holds. */
const answering = (answer: ScriptedAnswer) => () => void scriptedKore(() => answer);
const always = (status: number, body?: unknown) => answering([status, body]);
const bulk = (failedRecords: unknown[]) => answering([200, { totalRequested: 1, successful: 0, failed: failedRecords.length, successfulRecords: [], failedRecords }]);
const noRetry = { options: { maxRetries: 0 } };

const SCENARIOS: Record<string, Scenario> = {
	// checked before any request
	'Create: a phone number with letters and brackets': { parameters: { ...create, phoneNumber: '={{ $json.phone }}' }, items: [{ phone: HOSTILE }] },
	'Create: a country code that is not one': { parameters: { ...create, countryCode: '={{ $json.cc }}' }, items: [{ cc: HOSTILE }] },
	'Create: an empty First Name': { parameters: { ...create, firstName: '={{ "" }}' } },
	'Create: a number written with another country code': { parameters: { ...create, phoneNumber: '+44 7700 900123' } },
	'Create: a number too short for its country': { parameters: { ...create, phoneNumber: '12' } },
	'Get by phone: a number without a country code': { parameters: byPhone('get', '98765 43210', '') },
	'Get by phone: a country calling code nobody has': { parameters: byPhone('get', '98765 43210', '+999') },
	'Delete by phone: a number with letters': { parameters: byPhone('delete', '={{ $json.phone }}'), items: [{ phone: HOSTILE }] },
	'Get Many: a Phone Number filter that is not a number': { parameters: { operation: 'getAll', filters: { phoneNumber: HOSTILE } } },
	'Delete: an empty Contact ID': { parameters: { operation: 'delete', contactId: '={{ "" }}' } },
	'Delete: a Contact ID of ".."': { parameters: { operation: 'delete', contactId: '..' } },
	'Delete: a Contact ID that is not text': { parameters: { operation: 'delete', contactId: '={{ { id: 1 } }}' } },
	'Delete: no Stream ID, in the node or the credential': { parameters: { operation: 'delete', contactId: 'c1', streamId: '' } },
	'Update: no fields to change': { parameters: { operation: 'update', contactId: 'c1', updateFields: {} } },
	'Update: only blank fields': { parameters: { operation: 'update', contactId: 'c1', updateFields: { firstName: '' } } },
	'Import CSV: no such binary field': { parameters: { operation: 'importCsv', binaryPropertyName: HOSTILE }, items: [file(CSV_HEADER, 'text/csv', 'a.csv')] },
	'Import CSV: an item without a file': { parameters: { operation: 'importCsv', binaryPropertyName: 'data' }, items: [{}] },
	'Import CSV: a file that is not a CSV': { parameters: { operation: 'importCsv', binaryPropertyName: 'data' }, items: [file('x', 'image/png', `${HOSTILE}.png`)] },
	'Import CSV: a CSV without Kore\'s columns': { parameters: { operation: 'importCsv', binaryPropertyName: 'data' }, items: [file('name,phone\n', 'text/csv', 'a.csv')] },
	'Import CSV: an empty file': { parameters: { operation: 'importCsv', binaryPropertyName: 'data' }, items: [file('', 'text/csv', 'a.csv')] },
	'an operation this version does not know': { parameters: { operation: HOSTILE } },
	'Create, in one request: two items with one number': {
		parameters: { ...create, phoneNumber: '={{ $json.phone }}', options: { sendInOneRequest: true } },
		items: [{ phone: '98765 43210' }, { phone: '+91 98765 43210' }],
		kore: always(200, []),
	},
	// the credential, read by the node
	'the credential: Custom URL chosen, none entered': { parameters: { operation: 'delete', contactId: 'c1' }, credentials: { host: 'custom', customHost: '' } },
	'the credential: a plain http:// address': { parameters: { operation: 'delete', contactId: 'c1' }, credentials: { host: 'custom', customHost: 'http://kore.example.com' } },
	'the credential: a rate limit that is not a number': { parameters: { operation: 'delete', contactId: 'c1' }, credentials: { requestsPerMinute: HOSTILE } },
	// Kore's answers
	'Kore refuses the values (HTTP 400), in its words': { parameters: { operation: 'delete', contactId: 'c1', ...noRetry }, kore: always(400, koreError(HOSTILE)) },
	'Kore refuses the credentials (HTTP 401)': { parameters: { operation: 'delete', contactId: 'c1', ...noRetry }, kore: always(401, koreError('Invalid JWT token')) },
	'Kore does not know the contact (HTTP 404)': { parameters: { operation: 'delete', contactId: 'c1', ...noRetry }, kore: always(404, koreError('Contact not found')) },
	'a proxy answers with an HTML page (HTTP 404)': { parameters: { operation: 'getAll', ...noRetry }, kore: always(404, `<html><body><h1>Not Found</h1>${HOSTILE}</body></html>`) },
	'Kore fails (HTTP 500)': { parameters: { operation: 'delete', contactId: 'c1', ...noRetry }, kore: always(500, koreError(HOSTILE)) },
	'a create fails after it may have reached Kore (HTTP 503)': { parameters: { ...create, ...noRetry }, kore: always(503, 'Service Unavailable') },
	'Kore keeps rate-limiting': { parameters: { operation: 'delete', contactId: 'c1', options: { maxRateLimitWait: 0 } }, kore: always(429, koreError(HOSTILE, 429)) },
	'Kore returns no created contact': { parameters: create, kore: always(200, []) },
	'no answer: the name is not found': { parameters: { operation: 'delete', contactId: 'c1', ...noRetry }, kore: { networkError: 'ENOTFOUND' } },
	'no answer: the connection is reset': { parameters: { operation: 'delete', contactId: 'c1', ...noRetry }, kore: { networkError: 'ECONNRESET' } },
	'no answer: an expired certificate': { parameters: { operation: 'delete', contactId: 'c1', ...noRetry }, kore: { networkError: 'CERT_HAS_EXPIRED' } },
	'no answer: a code the node does not know': { parameters: { operation: 'delete', contactId: 'c1', ...noRetry }, kore: { networkError: 'EWEIRD' } },
	// lookups and writes
	'Get: no contact with the ID': { parameters: { operation: 'get', contactBy: 'id', contactId: 'nope' }, kore: holding([]) },
	'Get by phone: no contact with the number': { parameters: byPhone('get', '98765 43210'), kore: holding([withPhone('c1', '+919000000001')]) },
	'Get by phone: only a deleted contact has the number': { parameters: byPhone('get', '98765 43210'), kore: holding([withPhone('c1', '+919876543210', { status: 'INACTIVE' })]) },
	'Get by phone: several contacts have the number': { parameters: byPhone('get', '98765 43210'), kore: holding([withPhone('c1', '+919876543210'), withPhone('c2', '+919876543210')]) },
	'Create or Update: a new contact without its names': { parameters: { ...create, operation: 'upsert', firstName: '', lastName: '' }, kore: holding([]) },
	'Update: a new number that is no number in the contact\'s country': {
		parameters: { operation: 'update', contactId: 'c1', updateFields: { phoneNumber: '12' } },
		kore: holding([withPhone('c1', '+919876543210')]),
	},
	'Delete Many: Kore reports the contact as failed, in its words': { parameters: { operation: 'deleteMany', contactId: 'c1' }, kore: bulk([{ id: 'c1', error: { msg: HOSTILE } }]) },
	'Delete Many: Kore reports a failure without naming the contact': { parameters: { operation: 'deleteMany', contactId: 'c1' }, kore: bulk([{ msg: HOSTILE }]) },
	'Update Many: Kore\'s answer does not mention the contact': {
		parameters: { operation: 'updateMany', contactId: 'c1', updateFields: { firstName: 'A', lastName: 'B', salutation: 'Mx', phoneNumber: '9876543210', countryCode: '+91', extension: '+' } },
		kore: bulk([]),
	},
};

function workflow(streamId: string, parameters: IDataObject): IWorkflowBase {
	const base = loadWorkflow('delete-contact.json');
	const koreNode = base.nodes.find((node) => node.type === KORE_NODE_TYPE)!;
	koreNode.parameters = { resource: 'contact', streamId, ...parameters };
	return base;
}

/** No request of a run fails at the network more often than this (maxRetries is 0 in those scenarios). */
const FAILURES_PER_RUN = 10;

/** Sets the fake Kore up for one run of `scenario` on `streamId`. */
function answer(scenario: Scenario, streamId: string): void {
	freshKore();
	if (!scenario.kore) return;
	if ('networkError' in scenario.kore) {
		for (const method of ['GET', 'POST', 'PUT', 'DELETE']) networkFailure(method, /.*/, scenario.kore.networkError, { times: FAILURES_PER_RUN });
		return;
	}
	scenario.kore(streamId);
}

/** What n8n shows of a scenario's failure: the error that stopped the run, and the error output's items. */
async function shownTexts(name: string, scenario: Scenario, index: number): Promise<string[]> {
	const texts: string[] = [];
	// Each scenario has a stream of its own: the lookup layer keeps a stream's read for a while.
	const streamId = `st-${index}`;
	const run = (onError?: string) =>
		runWorkflow(workflow(streamId, scenario.parameters), {
			credentials: { ...CREDENTIALS, ...scenario.credentials },
			items: structuredClone(scenario.items), // n8n moves binary data out of the items it is given
			node: onError ? { onError } : {},
		});
	answer(scenario, streamId);
	const stopped = await run();
	const error = stopped.error as (typeof stopped.error & { messages?: string[] }) | undefined;
	if (error) texts.push(error.message, ...(error.description ? [error.description] : []), ...(error.messages ?? []));
	answer(scenario, streamId);
	const continued = await run('continueErrorOutput');
	for (const { json } of continued.outputs[1] ?? []) texts.push(...[json.error, json.details].filter((text): text is string => typeof text === 'string'));
	expect(texts.length).toBeGreaterThan(0); // `name` really fails
	return texts.map((text) => `${name}: ${text}`);
}

describe('the messages the failure paths raise, run inside n8n\'s engine', () => {
	const shown: string[] = [];

	test.each(Object.entries(SCENARIOS).map(([name, scenario], index) => [name, scenario, index] as const))(
		'%s',
		async (name, scenario, index) => {
			const texts = await shownTexts(name, scenario, index);
			shown.push(...texts);
			expect(unsafe(texts)).toEqual([]);
		},
	);

	test('what users typed and what Kore answered reached the messages, made safe', () => {
		const quoting = shown.filter((text) => text.includes(HOSTILE_SHOWN));
		expect(quoting.length).toBeGreaterThanOrEqual(8);
	});
});

describe('the credential Test\'s answers', () => {
	// Read when a test runs: the fake Kore's URL (CREDENTIALS.host) is set per test.
	const withStream = (fields: ICredentialDataDecryptedObject = {}) => () => ({ ...CREDENTIALS, testStreamId: 'st-42', ...fields });
	const withoutStream = (fields: ICredentialDataDecryptedObject = {}) => () => ({ ...CREDENTIALS, ...fields });
	const answers: string[] = [];
	const test401 = (words: string) => always(401, koreError(words));
	const fails = (code: string) => () => networkFailure('GET', /.*/, code);

	test.each<[string, () => ICredentialDataDecryptedObject, (() => unknown)?]>([
		['no Environment', withStream({ host: '' })],
		['Custom URL chosen, none entered', withStream({ host: 'custom', customHost: '' })],
		['a Custom URL that is no address', withStream({ host: 'custom', customHost: HOSTILE })],
		['a plain http:// address', withStream({ host: 'custom', customHost: 'http://kore.example.com' })],
		['an ftp:// address', withStream({ host: 'custom', customHost: 'ftp://kore.example.com' })],
		['an address with a query', withStream({ host: 'custom', customHost: 'https://kore.example.com/?a=1' })],
		['no Account ID', withStream({ accountId: '' })],
		['a rate limit that is not a number', withStream({ requestsPerMinute: HOSTILE })],
		['no Stream ID', withoutStream()],
		['a Stream ID of ".."', withoutStream({ testStreamId: '..' })],
		['a token refusal', withStream(), test401(`Invalid JWT token ${HOSTILE}`)],
		['a scope refusal', withoutStream({ testStreamId: HOSTILE }), test401('Permission denied. Scope is incorrect!')],
		['an account refusal', withStream(), test401(`Invalid accountId ${HOSTILE}`)],
		['a refusal in other words', withStream(), test401(HOSTILE)],
		['a host that is not Kore', withStream(), always(404, `<html><h1>${HOSTILE}</h1></html>`)],
		['rate-limited', withStream(), always(429, koreError(HOSTILE, 429))],
		['a problem on Kore\'s side', withStream(), always(503, koreError(HOSTILE, 503))],
		['a name that is not found', withStream(), fails('ENOTFOUND')],
		['a refused connection', withStream(), fails('ECONNREFUSED')],
		['a network error the node does not know', withStream(), fails('EWEIRD')],
		// Kore's own answer: its list of the stream, holding one contact
		['success', withStream(), () => freshKore().addContacts([{ ...contact('c1'), streamId: 'st-42' } as unknown as SeedContact])],
		// rest parameters: jest would take a third declared parameter for a `done` callback on the shorter rows
	])('%s', async (...[, data, answerWith]) => {
		answerWith?.();
		const { message } = await runCredentialTest(data());
		answers.push(message);
		expect(message).toEqual(expect.any(String));
		expect(unsafe([message])).toEqual([]);
		expect(message).not.toMatch(/\[[A-Z_]+\]|\bHost\b/); // no raw error code, no field the form does not have
	});

	test('what users typed and what Kore answered reached the answers, made safe', () => {
		expect(answers.filter((text) => text.includes(HOSTILE_SHOWN)).length).toBeGreaterThanOrEqual(6);
	});
});
