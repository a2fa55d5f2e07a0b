/** Shared test data: a credential, Kore-shaped contacts and error bodies, and nock set-up. */
import nock from 'nock';
import { jwtVerify } from 'jose';
import type { IDataObject } from 'n8n-workflow';

export const HOST = 'https://kore.example.test';
export const SECRET = 'test-client-secret-0123456789-abcdefghij';
export const CREDENTIALS = {
	host: HOST,
	accountId: 'acc-0001',
	clientId: 'cs-test-client',
	clientSecret: SECRET,
	// Pacing is shared per host + account for the whole process: tests that are not about pacing must
	// not wait for each other.
	requestsPerMinute: 1_000_000,
};

export const BASE = '/agentassist/api/v1/public';

export function contact(id: string, overrides: IDataObject = {}): IDataObject {
	return {
		firstName: 'john',
		lastName: 'doe',
		fullName: 'john doe',
		salutation: 'mr',
		cellPhone: { extension: '+', phoneNumber: '+919876543210', countryCode: '+91' },
		status: 'ACTIVE',
		instanceBotId: 'st-1',
		accountId: CREDENTIALS.accountId,
		address: [],
		twitterDetails: [],
		createdAt: '2026-01-09T05:20:39.374Z',
		updatedAt: '2026-01-09T09:19:37.307Z',
		id,
		...overrides,
	};
}

export function koreError(msg: string, code = 0) {
	return { errors: [{ msg, code }] };
}

export const kore = () => nock(HOST);

/** Verifies a request's `auth` header the way Kore would, and returns its payload. */
export async function verifyAuth(token: string | string[] | undefined) {
	if (typeof token !== 'string') throw new Error('no auth header');
	const { payload, protectedHeader } = await jwtVerify(token, new TextEncoder().encode(SECRET), {
		algorithms: ['HS256'],
	});
	return { payload, protectedHeader };
}

// Nothing leaves the process while nock is on; it is switched off again after each test file, because
// jest runs several files in one worker and other suites talk to a real local server.
beforeAll(() => {
	if (!nock.isActive()) nock.activate();
	nock.disableNetConnect();
});
afterEach(() => nock.cleanAll());
afterAll(() => {
	nock.enableNetConnect();
	nock.restore();
});
