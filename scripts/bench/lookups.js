'use strict';
/**
 * `npm run bench -- lookups [S/N …]`: N separate executions started at once in this process (as n8n runs
 * concurrent webhook executions), each changing one contact of a stream of S contacts through the lookup layer.
 */
const { LIMIT, WINDOW_MS, startServer, contactsById, listReads } = require('./kore');
const { execute, nodeOutputs, seconds } = require('./measure');

const QUICK = process.env.BENCH_QUICK === '1';
const PRINT_LOG = process.env.BENCH_LOG === '1';
const PAGE = 100; // what the node asks Kore for per list page (Kore's maxPageSize)

/** The fields a change by the node may touch, to compare a contact before and after. */
const shape = ({ firstName, lastName, fullName, salutation, cellPhone, status }) => JSON.stringify({ firstName, lastName, fullName, salutation, cellPhone, status });

const lookupRows = [];

/**
 * N separate executions started at once in this process (as n8n runs concurrent webhook executions), each
 * changing one contact of a stream of S contacts through the lookup layer: `delete` by phone number, or
 * `update` of one field by ID. Counts what Kore received (list pages, scans, writes, 429s), times the burst,
 * and checks the stream afterwards: every targeted contact changed as asked and no other contact touched.
 */
async function lookupBurst(s, n, kind, { label } = {}) {
	const server = await startServer(['--seed', String(s), '--rate-limit', `${LIMIT}/${WINDOW_MS}`, '--log-limit', String(1_000_000)]);
	try {
		const before = await contactsById(server);
		// Generated contacts are numbered +1 2000000000 + i in creation order (= list order): N targets spread
		// evenly over the stream, so deletes shift the pages of any scan that runs alongside them.
		const seeded = [...before.values()];
		const targets = Array.from({ length: n }, (_, i) => seeded[Math.floor(((i + 0.5) * s) / n)]);
		const newName = (i) => `Bench${i}`;
		const parameters =
			kind === 'delete'
				? { operation: 'delete', streamId: server.streamId, contactBy: 'phone', phoneNumber: '={{ $json.phone }}' }
				: { operation: 'update', streamId: server.streamId, contactBy: 'id', contactId: '={{ $json.id }}', updateFields: { firstName: '={{ $json.firstName }}' } };
		const itemFor = (contact, i) =>
			kind === 'delete' ? { phone: `${contact.cellPhone.countryCode} ${contact.cellPhone.phoneNumber.replace(contact.cellPhone.countryCode, '')}` } : { id: contact.id, firstName: newName(i) };
		await server.admin('requests', { method: 'DELETE' });

		const print = PRINT_LOG ? (level, message) => console.log(`    [${((performance.now() - start) / 1000).toFixed(2)} s] ${message}`) : undefined;
		const start = performance.now();
		const results = await Promise.all(
			targets.map((contact, i) => execute(server, parameters, [itemFor(contact, i)], { print }).then((result) => ({ result, ms: performance.now() - start }))),
		);
		const wallMs = performance.now() - start;

		const { requests } = await server.admin('requests');
		const { pages, scans } = listReads(requests);
		const writes = requests.filter((entry) => entry.method === 'PUT' || entry.method === 'DELETE').length;
		const rateLimited = requests.filter((entry) => entry.status === 429 || entry.rateLimited).length;

		// Correctness: each target changed as asked, every other contact exactly as before.
		const after = await contactsById(server);
		const expected = new Map([...before].map(([id, contact]) => [id, shape(contact)]));
		targets.forEach((contact, i) => {
			const want = kind === 'delete' ? { ...contact, status: 'INACTIVE' } : { ...contact, firstName: newName(i), fullName: `${newName(i)} ${contact.lastName}`.trim() };
			expected.set(contact.id, shape(want));
		});
		let wrong = 0;
		for (const [id, want] of expected) if (!after.has(id) || shape(after.get(id)) !== want) wrong++;
		wrong += [...after.keys()].filter((id) => !expected.has(id)).length;
		const failed = [];
		for (const { result } of results) {
			const output = nodeOutputs(result, 'Kore Contacts')[0] ?? [];
			for (const item of output) if (item.json.error !== undefined) failed.push(item.json.error);
			if (result.error) failed.push(result.error.message);
		}
		// The engine's logger is process-wide (the last execution's capture receives every line): gather all.
		const logs = [...new Set(results.flatMap(({ result }) => result.logs))];
		const scanLines = logs.filter((line) => /scanned stream/.test(line.message)).map((line) => line.message.replace(/^Kore Contacts: scanned stream \S+: /, ''));
		const finishes = results.map(({ ms }) => ms).sort((a, b) => a - b);

		const scanPages = Math.ceil(s / PAGE);
		const floor = scanPages + n;
		const writeWindows = n / LIMIT;
		const name = label ?? `${kind === 'delete' ? 'Delete by phone' : 'Update firstName by ID'}: ${n} executions at once, stream of ${s}`;
		if (label === 'warm-up') return;
		console.log(`\n${name}`);
		console.log(`  events N         ${n}`);
		console.log(`  stream size S    ${s}`);
		console.log(`  requests         ${requests.length} (list pages ${pages.length}, writes ${writes})`);
		console.log(`  scans            ${scans} (GETs with skip=0)`);
		console.log(`  requests/event   ${(requests.length / n).toFixed(2)}`);
		console.log(`  429s             ${rateLimited}`);
		console.log(`  wall time        ${seconds(wallMs)} (first execution done at ${seconds(finishes[0])}, median ${seconds(finishes[Math.floor(n / 2)])})`);
		// A rolling window lets the first 60 requests go at once: the tightest finish is a window earlier.
		const burst = (count) => seconds(Math.max(0, Math.ceil(count / LIMIT) - 1) * WINDOW_MS);
		console.log(`  floor            one scan + N writes = ${scanPages} + ${n} = ${floor} requests = ${(floor / LIMIT).toFixed(2)} windows = ${seconds((floor / LIMIT) * WINDOW_MS)} (${burst(floor)} with the first burst)`);
		console.log(`  N writes alone   ${n}/${LIMIT} = ${writeWindows.toFixed(2)} windows = ${seconds(writeWindows * WINDOW_MS)} at the rate limit (${burst(n)} with the first burst); wall time is ${(wallMs / (writeWindows * WINDOW_MS)).toFixed(2)}× that`);
		console.log(`  failed items     ${failed.length}${failed.length ? `: ${[...new Set(failed)].slice(0, 3).join(' | ')}` : ''}`);
		console.log(`  wrong: ${wrong}`);
		console.log(`  scans logged     ${scanLines.length ? scanLines.join('; ') : 'none'}`);
		lookupRows.push({
			scenario: `${kind} ${s}/${n}`,
			requests: requests.length,
			'list pages': pages.length,
			writes,
			scans,
			'req/event': Number((requests.length / n).toFixed(2)),
			'429s': rateLimited,
			wall: seconds(wallMs),
			floor: `${floor} req, ${seconds((floor / LIMIT) * WINDOW_MS)}`,
			'writes alone': seconds(writeWindows * WINDOW_MS),
			wrong,
			failed: failed.length,
		});
	} finally {
		await server.stop();
	}
}

/** The lookup bursts (both operations for each S/N pair; default pairs unless given), then their summary. */
async function lookups(pairs) {
	const figures = pairs.length ? pairs : QUICK ? [[1000, 20], [5000, 100]] : [[3000, 40], [20_000, 500]];
	// Warm-up: compiles n8n's engine and HTTP paths; not reported.
	await lookupBurst(200, 5, 'update', { label: 'warm-up' });
	for (const [s, n] of figures) {
		await lookupBurst(s, n, 'delete');
		await lookupBurst(s, n, 'update');
	}
	console.log('\nLookups summary (scaled clock: 60 requests per 6 s)');
	console.table(lookupRows);
}

/** `S/N` arguments (stream size/events), e.g. `3000/40`, as [S, N] pairs. */
function parsePairs(args) {
	return args.map((arg) => {
		const match = /^(\d+)\/(\d+)$/.exec(arg);
		if (!match) throw new Error(`Expected S/N (stream size/events), e.g. 3000/40; got "${arg}"`);
		return [Number(match[1]), Number(match[2])];
	});
}

module.exports = { lookups, parsePairs };
