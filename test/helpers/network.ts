/**
 * Network failures no server can answer with (a refused connection, a host name that does not resolve, a
 * client-side timeout), injected by nock in front of the fake Kore for the requests they name; every other
 * request still reaches the fake Kore (kore.ts). nock is on only while a test has such a failure pending.
 */
import nock from 'nock';

import { CREDENTIALS } from './kore';

// nock switches itself on when it is imported; off until a test asks for a failure
if (nock.isActive()) nock.restore();

/**
 * The next `times` requests with this method and path (a RegExp, or the path without the query) fail with `code`
 * before they reach Kore (default host: the fake Kore's).
 */
export function networkFailure(method: string, path: string | RegExp, code: string, { times = 1, host = CREDENTIALS.host } = {}): void {
	if (!nock.isActive()) nock.activate();
	nock(host, { allowUnmocked: true })
		.intercept(path, method)
		.times(times)
		.replyWithError(Object.assign(new Error(code), { code }));
}

afterEach(() => {
	nock.cleanAll();
	if (nock.isActive()) nock.restore();
});
