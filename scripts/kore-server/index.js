'use strict';

/**
 * A local server that speaks Kore.ai's contact-center Contacts public API (see README.md beside this file for the
 * contract and for every choice made where Kore's documentation is silent).
 */

const http = require('node:http');
const { Store, render, validateContactInput, isPlainObject, normalizeCountryCode } = require('./store');
const { buildApps, verifyToken } = require('./auth');
const { RateLimiter } = require('./rate-limit');
const { multipartBoundary, parseMultipart, parseCsv } = require('./multipart');
const { createCampaignApi, demoCampaignSeed } = require('./campaign');

/** Kore's documented rate-limit message. */
const RATE_LIMIT_MESSAGE = "You've exceeded the per-minute rate limit. Please wait for sometime before retrying.";
const VALIDATION_MESSAGE = 'Validation errors/ Invalid arguments';
const BASE_SEGMENTS = ['agentassist', 'api', 'v1', 'public'];
const CSV_COLUMNS = ['firstName', 'lastName', 'salutation', 'cellPhoneNumber', 'cellPhoneCountryCode', 'cellPhoneExtension'];

// ---------------------------------------------------------------------------------------------- types

/**
 * @typedef {import('./auth').AccountOption} AccountOption
 * @typedef {import('./auth').App} App
 * @typedef {import('./rate-limit').RateLimitOptions} RateLimitOptions
 * @typedef {import('./store').Stream} Stream
 * @typedef {import('./store').ItemError} ItemError
 *
 * @typedef {object} SeedContact
 * @property {string} streamId
 * @property {string} [id]
 * @property {string} [accountId]   owner account (default: the app whose `streams` lists streamId, else the first)
 * @property {string} firstName
 * @property {string} [lastName]
 * @property {string} [salutation]
 * @property {string} [fullName]
 * @property {{ phoneNumber: string, countryCode: string, extension?: string }} cellPhone
 *   phoneNumber as digits, or already prefixed with the country code ("+9198…")
 * @property {'ACTIVE'|'INACTIVE'} [status]
 * @property {string} [createdAt]
 * @property {string} [updatedAt]
 *
 * @typedef {{ status: number, body?: unknown, headers?: Record<string, string> }} StatusAction
 * @typedef {'reset'|'hang'|{ reset: 'before'|'after' }|{ rateLimitMessage: true, status?: number }|StatusAction} FaultAction
 *
 * @typedef {object} FaultRule
 * @property {string} [method]          HTTP method to match (any when omitted)
 * @property {string|RegExp} [path]     prefix of, or RegExp tested against, the raw request path (no query)
 * @property {number} [times]           how many matching requests it applies to (default 1; Infinity allowed)
 * @property {FaultAction} action
 *
 * @typedef {object} ServerOptions
 * @property {string} [host]                  default '127.0.0.1'
 * @property {number} [port]                  default 0 (random)
 * @property {AccountOption[]} [accounts]     default: the demo account of `demoSeed()`
 * @property {SeedContact[]} [contacts]       seed contacts, restored by reset()
 * @property {RateLimitOptions} [rateLimit]   default { limit: 60, windowMs: 60000, mode: 'sliding', status: 429, retryAfter: false }
 * @property {number|[number, number]} [latencyMs] fixed delay or [min, max] random delay per API request (default 0)
 * @property {number} [pageSize]              Get All `limit` when none is given (default 10)
 * @property {number} [maxPageSize]           larger `limit` values are clamped to this (default 100)
 * @property {number} [maxBulk]               most items per Create / Import / Update Bulk / Delete Bulk (default 10000)
 * @property {number} [maxBodyBytes]          larger bodies get 413 (default 16 MiB)
 * @property {boolean} [listInactive]         Get All also lists INACTIVE (deleted) contacts (default false)
 * @property {'notFound'|'ok'} [inactiveIds]  how Update / Delete treat an INACTIVE contact's id (default 'notFound')
 * @property {number} [notFoundStatus]        status for an unknown contact id (default 404)
 * @property {number} [duplicateStatus]       status when a phone number is already taken (default 409)
 * @property {'msg'|'message'} [errorKey]     key of the message in error bodies (default 'msg')
 * @property {boolean} [requireAllFields]     Create / Import require all six documented fields (default true)
 * @property {number} [logLimit]              keep at most this many log entries, oldest dropped; 0 = no log (default 10000)
 * @property {boolean} [logBodies]            keep parsed request bodies in the log (default true)
 *
 * @typedef {object} LogEntry
 * @property {number} at           ms since epoch, when the request arrived
 * @property {string} method
 * @property {string} path         raw path as received (still percent-encoded), without the query
 * @property {Record<string, string>} query
 * @property {string|null} accountId   `accountId` header
 * @property {string|null} appId       `appId` claim of the token (unverified when auth failed)
 * @property {string|null} jti         `jti` claim of the token (unverified when auth failed)
 * @property {number|null} status      status answered (for a 'reset after' fault: the status that was lost)
 * @property {unknown} [body]          parsed body (JSON value, multipart summary, or the first 1000 characters)
 * @property {string} [fault]          'status' | 'reset-before' | 'reset-after' | 'hang' | 'rate-limit-message'
 * @property {string} [authError]      why a 401 was answered (e.g. 'expired', 'bad-signature', 'jti-replay')
 * @property {boolean} [rateLimited]   answered with the rate-limit error
 * @property {number} [durationMs]
 */

// ---------------------------------------------------------------------------------------------- demo data

const DEMO = {
	accountId: '65f7d49a5dd06e2cefa4c1d2',
	clientId: 'cs-5f1d7c3a-8e2b-5d4f-9a61-3c7e2b9d0a14',
	clientSecret: 'local-demo-secret-not-a-real-kore-secret',
	streamId: 'st-demo7dc9-4436-5134-9fa8-a942625a1b2c',
};

/**
 * Demo data for `npm start`, the end-to-end suite and the benchmark: one account / JWT app / stream and a handful
 * of realistic contacts (or `count` generated ones). Pass the result straight to `startKoreServer`.
 * @param {{ count?: number, accountId?: string, clientId?: string, clientSecret?: string, streamId?: string,
 *   enforceJti?: boolean }} [opts]
 */
function demoSeed(opts = {}) {
	const accountId = opts.accountId || DEMO.accountId;
	const clientId = opts.clientId || DEMO.clientId;
	const clientSecret = opts.clientSecret || DEMO.clientSecret;
	const streamId = opts.streamId || DEMO.streamId;
	/** @type {SeedContact[]} */
	let contacts;
	if (opts.count !== undefined) {
		const first = ['Ava', 'Liam', 'Maya', 'Noah', 'Priya', 'Arjun', 'Sofia', 'Kenji', 'Amara', 'Lucas'];
		const last = ['Patel', 'Smith', 'Garcia', 'Chen', 'Okafor', 'Müller', 'Rossi', 'Kim', 'Singh', 'Brown'];
		contacts = [];
		for (let i = 0; i < opts.count; i++) {
			contacts.push({
				streamId,
				firstName: first[i % first.length],
				lastName: `${last[Math.floor(i / first.length) % last.length]}`,
				salutation: i % 2 ? 'Mr' : 'Ms',
				cellPhone: { phoneNumber: String(2000000000 + i), countryCode: '+1', extension: '+' },
			});
		}
	} else {
		/** @type {[string, string, string, string, string][]} */
		const rows = [
			['Mr', 'John', 'Doe', '+91', '9876543210'],
			['Mrs', 'Jane', 'Doe', '+91', '9123456780'],
			['Ms', 'Emily', 'Clarke', '+44', '7700900123'],
			['Mr', 'Carlos', 'Mendes', '+1', '2025550143'],
			['Dr', 'Aiko', 'Tanaka', '+81', '9012345678'],
			['Ms', 'Olivia', 'Brown', '+61', '491570156'],
		];
		contacts = rows.map(([salutation, firstName, lastName, countryCode, phoneNumber]) => ({
			streamId,
			firstName,
			lastName,
			salutation,
			cellPhone: { phoneNumber, countryCode, extension: '+' },
		}));
	}
	return {
		accountId,
		clientId,
		clientSecret,
		streamId,
		/** @type {AccountOption[]} */
		accounts: [{ accountId, clientId, clientSecret, streams: [streamId], enforceJti: Boolean(opts.enforceJti) }],
		contacts,
		campaign: demoCampaignSeed(streamId),
	};
}

// ---------------------------------------------------------------------------------------------- helpers

class HttpError extends Error {
	/**
	 * @param {number} status
	 * @param {string} msg
	 * @param {{ code?: number, detail?: { property?: string, message: string }[], authError?: string }} [extra]
	 */
	constructor(status, msg, extra = {}) {
		super(msg);
		this.status = status;
		this.code = extra.code !== undefined ? extra.code : status;
		this.detail = extra.detail;
		this.authError = extra.authError;
	}
}

/**
 * @param {string} message
 * @param {string} [property]
 */
function validation(message, property) {
	return new HttpError(412, VALIDATION_MESSAGE, { detail: [property ? { property, message } : { message }] });
}

/**
 * Matches a raw path against the seven Contacts endpoints. Each segment is percent-decoded on its own, so
 * `/contacts/a%2Fb` addresses the contact whose id is `a/b`; anything that is not exactly an endpoint is 404.
 * @param {string} rawPath
 * @param {string} method
 * @returns {{ kind: 'notFound' } | { kind: 'methodNotAllowed', allow: string } |
 *   { kind: 'list'|'create'|'import'|'bulkUpdate'|'bulkDelete', streamId: string } |
 *   { kind: 'update'|'delete', streamId: string, id: string }}
 */
function matchRoute(rawPath, method) {
	if (!rawPath.startsWith('/')) return { kind: 'notFound' };
	const raw = rawPath.slice(1).split('/');
	if (raw.length < 6 || raw.length > 7) return { kind: 'notFound' };
	/** @type {string[]} */
	const segs = [];
	for (const s of raw) {
		try {
			segs.push(decodeURIComponent(s));
		} catch {
			return { kind: 'notFound' };
		}
	}
	for (let i = 0; i < BASE_SEGMENTS.length; i++) if (segs[i] !== BASE_SEGMENTS[i]) return { kind: 'notFound' };
	const streamId = segs[4];
	if (streamId === '' || segs[5] !== 'contacts') return { kind: 'notFound' };
	if (segs.length === 6) {
		if (method === 'GET') return { kind: 'list', streamId };
		if (method === 'POST') return { kind: 'create', streamId };
		return { kind: 'methodNotAllowed', allow: 'GET, POST' };
	}
	const id = segs[6];
	if (id === '') return { kind: 'notFound' };
	// the fixed sub-paths are matched on the raw segment, as a router does; an encoded lookalike is an id
	/** @type {Record<string, ['import'|'bulkUpdate'|'bulkDelete', string]>} */
	const fixed = { 'import-contacts': ['import', 'POST'], 'bulk-update': ['bulkUpdate', 'PUT'], 'bulk-delete': ['bulkDelete', 'DELETE'] };
	const f = Object.prototype.hasOwnProperty.call(fixed, raw[6]) ? fixed[raw[6]] : undefined;
	if (f) return method === f[1] ? { kind: f[0], streamId } : { kind: 'methodNotAllowed', allow: f[1] };
	if (method === 'PUT') return { kind: 'update', streamId, id };
	if (method === 'DELETE') return { kind: 'delete', streamId, id };
	return { kind: 'methodNotAllowed', allow: 'PUT, DELETE' };
}

/**
 * @param {string} rawQuery
 * @returns {Record<string, string>}
 */
function parseQuery(rawQuery) {
	/** @type {Record<string, string>} */
	const q = {};
	if (!rawQuery) return q;
	for (const [k, v] of new URLSearchParams(rawQuery)) q[k] = v;
	return q;
}

/**
 * Reads the whole body up to `max` bytes; resolves null when it is larger (the rest is not read).
 * @param {http.IncomingMessage} req
 * @param {number} max
 * @returns {Promise<Buffer|null>}
 */
function readBody(req, max) {
	return new Promise((resolve, reject) => {
		/** @type {Buffer[]} */
		const chunks = [];
		let size = 0;
		let done = false;
		req.on('data', (/** @type {Buffer} */ chunk) => {
			if (done) return;
			size += chunk.length;
			if (size > max) {
				done = true;
				req.pause();
				resolve(null);
				return;
			}
			chunks.push(chunk);
		});
		req.on('end', () => {
			if (!done) {
				done = true;
				resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
			}
		});
		req.on('error', (e) => {
			if (!done) {
				done = true;
				reject(e);
			}
		});
	});
}

/**
 * @param {string|undefined} contentType
 */
function isJsonType(contentType) {
	if (!contentType) return false;
	const t = contentType.split(';')[0].trim().toLowerCase();
	return t === 'application/json' || (t.startsWith('application/') && t.endsWith('+json'));
}

/**
 * @param {string|string[]|undefined} v
 * @returns {string|null}
 */
function headerValue(v) {
	if (Array.isArray(v)) return v[0] ?? null;
	return v === undefined ? null : v;
}

/**
 * @param {number} n
 * @param {string} name
 */
function positiveInt(n, name) {
	if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer`);
	return n;
}

// ---------------------------------------------------------------------------------------------- server

/**
 * Starts the server. Resolves once it listens.
 * @param {ServerOptions} [options]
 */
async function startKoreServer(options = {}) {
	const o = {
		host: options.host || '127.0.0.1',
		port: options.port ?? 0,
		pageSize: positiveInt(options.pageSize ?? 10, 'pageSize'),
		maxPageSize: positiveInt(options.maxPageSize ?? 100, 'maxPageSize'),
		maxBulk: positiveInt(options.maxBulk ?? 10000, 'maxBulk'),
		maxBodyBytes: positiveInt(options.maxBodyBytes ?? 16 * 1024 * 1024, 'maxBodyBytes'),
		listInactive: Boolean(options.listInactive),
		inactiveIds: options.inactiveIds || 'notFound',
		notFoundStatus: options.notFoundStatus ?? 404,
		duplicateStatus: options.duplicateStatus ?? 409,
		errorKey: options.errorKey || 'msg',
		requireAllFields: options.requireAllFields ?? true,
		logLimit: options.logLimit ?? 10000,
		logBodies: options.logBodies ?? true,
	};
	if (o.inactiveIds !== 'notFound' && o.inactiveIds !== 'ok') throw new Error("inactiveIds must be 'notFound' or 'ok'");
	if (o.errorKey !== 'msg' && o.errorKey !== 'message') throw new Error("errorKey must be 'msg' or 'message'");
	if (o.pageSize > o.maxPageSize) o.maxPageSize = o.pageSize;

	const apps = buildApps(options.accounts || demoSeed().accounts);
	const campaigns = createCampaignApi({ accounts: options.accounts || demoSeed().accounts, ...options.campaign });
	const seed = options.contacts || [];
	const store = new Store();
	const limiter = new RateLimiter(options.rateLimit);
	const initialRateLimit = { ...limiter.config };
	/** @type {number|[number, number]} */
	let latency = options.latencyMs ?? 0;

	/** @type {LogEntry[]} */
	const requests = [];
	const stats = {
		total: 0,
		/** @type {Record<string, number>} */
		byStatus: {},
		rateLimited: 0,
		/** @type {Record<string, number>} */
		faults: {},
		dropped: 0,
	};
	/** @type {(FaultRule & { times: number })[]} */
	let faults = [];
	/** @type {Set<NodeJS.Timeout>} */
	const timers = new Set();
	let closing = false;

	// ------------------------------------------------------------------ seeding

	function loadSeed() {
		store.clear();
		for (const app of apps.values()) app.seenJti.clear();
		/** @type {Map<string, import('./store').Contact[]>} */
		const byStream = new Map();
		seed.forEach((c, i) => {
			if (!c || typeof c.streamId !== 'string' || c.streamId === '') throw new Error(`contacts[${i}]: streamId is required`);
			const input = { ...c, cellPhone: c.cellPhone ? { ...c.cellPhone } : c.cellPhone };
			const cc = input.cellPhone && normalizeCountryCode(input.cellPhone.countryCode);
			if (cc && typeof input.cellPhone.phoneNumber === 'string' && input.cellPhone.phoneNumber.startsWith(cc)) {
				input.cellPhone.phoneNumber = input.cellPhone.phoneNumber.slice(cc.length);
			}
			const v = validateContactInput(input, 'create', { requireAllFields: false });
			if (!v.ok) throw new Error(`contacts[${i}]: ${v.error.msg}`);
			const app = ownerOf(c);
			const stream = store.stream(c.streamId);
			const contact = stream.build(v.value, actorOf(app), {
				id: c.id,
				status: c.status,
				createdAt: c.createdAt,
				updatedAt: c.updatedAt,
			});
			if (c.accountId) contact.accountId = c.accountId;
			const list = byStream.get(c.streamId) || [];
			list.push(contact);
			byStream.set(c.streamId, list);
		});
		for (const [streamId, list] of byStream) {
			const r = store.stream(streamId).insertAll(list);
			if (!r.ok) throw new Error(`contacts (stream ${streamId}): ${r.error.msg}`);
		}
	}

	/**
	 * @param {SeedContact} c
	 * @returns {App}
	 */
	function ownerOf(c) {
		const all = [...apps.values()];
		return (
			all.find((a) => c.accountId !== undefined && a.accountId === c.accountId && (!a.streams || a.streams.has(c.streamId))) ||
			all.find((a) => c.accountId !== undefined && a.accountId === c.accountId) ||
			all.find((a) => a.streams && a.streams.has(c.streamId)) ||
			all[0]
		);
	}

	/** @param {App} app */
	function actorOf(app) {
		return { accountId: app.accountId, orgId: app.orgId, userId: app.userId, aId: app.aId };
	}

	loadSeed();

	// ------------------------------------------------------------------ responses

	/**
	 * @param {number} status
	 * @param {string} msg
	 * @param {number} [code]
	 * @param {{ property?: string, message: string }[]} [detail]
	 */
	function errorBody(status, msg, code = status, detail) {
		/** @type {Record<string, unknown>} */
		const e = { [o.errorKey]: msg, code };
		if (detail) e.error = detail;
		return { errors: [e] };
	}

	/**
	 * @param {ItemError} e
	 * @returns {{ status: number, msg: string, detail?: { property?: string, message: string }[] }}
	 */
	function itemErrorStatus(e) {
		if (e.kind === 'notFound') return { status: o.notFoundStatus, msg: e.msg };
		if (e.kind === 'duplicate') return { status: o.duplicateStatus, msg: e.msg };
		return { status: 412, msg: VALIDATION_MESSAGE, detail: [e.property ? { property: e.property, message: e.msg } : { message: e.msg }] };
	}

	/** @param {ItemError} e */
	function throwItemError(e) {
		const s = itemErrorStatus(e);
		throw new HttpError(s.status, s.msg, { detail: s.detail });
	}

	/**
	 * failedRecords entry: { id, error: { msg, code } } (msg → message with errorKey 'message').
	 * @param {string|null} id
	 * @param {ItemError} e
	 */
	function failedRecord(id, e) {
		const s = itemErrorStatus(e);
		return { id, error: { [o.errorKey]: e.kind === 'validation' ? `${VALIDATION_MESSAGE}: ${e.msg}` : e.msg, code: s.status } };
	}

	/** @param {string} id @returns {ItemError} */
	const notFound = (id) => ({ kind: 'notFound', msg: `Contact not found: ${id}` });

	// ------------------------------------------------------------------ endpoint handlers

	/**
	 * @param {unknown} body
	 * @param {string} what
	 * @returns {unknown[]}
	 */
	function requireArray(body, what) {
		if (!Array.isArray(body)) throw validation(`body must be a JSON array of ${what}`);
		if (body.length === 0) throw validation(`body must contain at least one ${what.replace(/s$/, '')}`);
		if (body.length > o.maxBulk) throw validation(`at most ${o.maxBulk} ${what} per request (got ${body.length})`);
		return body;
	}

	/**
	 * Validates and inserts contacts all-or-nothing.
	 * @param {Stream} stream
	 * @param {unknown[]} inputs
	 * @param {App} app
	 * @param {(i: number) => string} where
	 */
	function createAll(stream, inputs, app, where) {
		const actor = actorOf(app);
		const built = inputs.map((input, i) => {
			const v = validateContactInput(input, 'create', { requireAllFields: o.requireAllFields });
			if (!v.ok) throw validation(`${where(i)}: ${v.error.msg}`, v.error.property);
			return stream.build(v.value, actor);
		});
		const r = stream.insertAll(built);
		if (!r.ok) throwItemError(r.error);
		return built.map(render);
	}

	/**
	 * @param {{ kind: string, streamId: string, id?: string }} route
	 * @param {{ json?: unknown, raw: Buffer, contentType?: string }} body
	 * @param {Record<string, string>} query
	 * @param {App} app
	 * @returns {unknown}
	 */
	function handle(route, body, query, app) {
		const stream = store.stream(route.streamId);
		const inactiveOk = o.inactiveIds === 'ok';
		switch (route.kind) {
			case 'list': {
				for (const k of ['skip', 'limit']) {
					if (query[k] !== undefined && !/^\d{1,9}$/.test(query[k])) throw validation(`${k} must be a non-negative integer`, k);
				}
				const skip = query.skip !== undefined ? Number(query.skip) : 0;
				let limit = query.limit !== undefined ? Number(query.limit) : o.pageSize;
				if (limit < 1) throw validation('limit must be at least 1', 'limit');
				limit = Math.min(limit, o.maxPageSize);
				const { results, total } = stream.page(skip, limit, o.listInactive);
				return {
					results: results.map(render),
					skip,
					limit,
					hasMore: skip + results.length < total,
					totalPages: Math.ceil(total / limit),
					totalResults: total,
				};
			}
			case 'create':
				return createAll(stream, requireArray(body.json, 'contacts'), app, (i) => `[${i}]`);
			case 'import': {
				const rows = csvContacts(body);
				return createAll(stream, rows, app, (i) => `CSV row ${i + 2}`);
			}
			case 'update': {
				const id = /** @type {string} */ (route.id);
				if (!isPlainObject(body.json)) throw validation('body must be a JSON object');
				const v = validateContactInput(body.json, 'update', { requireAllFields: false });
				if (!v.ok) throw validation(v.error.msg, v.error.property);
				const c = stream.find(id, inactiveOk);
				if (!c) throwItemError(notFound(id));
				const err = stream.update(/** @type {import('./store').Contact} */ (c), v.value, actorOf(app));
				if (err) throwItemError(err);
				return render(/** @type {import('./store').Contact} */ (c));
			}
			case 'bulkUpdate': {
				const items = requireArray(body.json, 'contacts');
				const actor = actorOf(app);
				/** @type {{ id: string, contact: unknown }[]} */
				const ok = [];
				/** @type {unknown[]} */
				const failed = [];
				for (const item of items) {
					const id = isPlainObject(item) && typeof item.id === 'string' && item.id !== '' ? item.id : null;
					if (id === null) {
						failed.push(failedRecord(null, { kind: 'validation', msg: 'each item must be an object with a string id', property: 'id' }));
						continue;
					}
					const v = validateContactInput(item, 'update', { requireAllFields: false });
					if (!v.ok) {
						failed.push(failedRecord(id, v.error));
						continue;
					}
					const c = stream.find(id, inactiveOk);
					if (!c) {
						failed.push(failedRecord(id, notFound(id)));
						continue;
					}
					const err = stream.update(c, v.value, actor);
					if (err) failed.push(failedRecord(id, err));
					else ok.push({ id, contact: render(c) });
				}
				return bulkEnvelope(items.length, ok, failed);
			}
			case 'delete': {
				const id = /** @type {string} */ (route.id);
				const c = stream.find(id, inactiveOk);
				if (!c) throwItemError(notFound(id));
				stream.softDelete(/** @type {import('./store').Contact} */ (c));
				return render(/** @type {import('./store').Contact} */ (c));
			}
			case 'bulkDelete': {
				const b = body.json;
				if (!isPlainObject(b) || !Array.isArray(b.ids)) throw validation('body must be {"ids": [ … ]}', 'ids');
				const ids = b.ids;
				if (ids.length === 0) throw validation('ids must contain at least one id', 'ids');
				if (ids.length > o.maxBulk) throw validation(`at most ${o.maxBulk} ids per request (got ${ids.length})`, 'ids');
				if (!ids.every((x) => typeof x === 'string' && x !== '')) throw validation('ids must be non-empty strings', 'ids');
				/** @type {{ id: string }[]} */
				const ok = [];
				/** @type {unknown[]} */
				const failed = [];
				for (const id of /** @type {string[]} */ (ids)) {
					const c = stream.find(id, inactiveOk);
					if (!c) {
						failed.push(failedRecord(id, notFound(id)));
						continue;
					}
					stream.softDelete(c);
					ok.push({ id });
				}
				return bulkEnvelope(ids.length, ok, failed);
			}
			default:
				throw new HttpError(404, 'Not Found');
		}
	}

	/**
	 * @param {number} totalRequested
	 * @param {unknown[]} successfulRecords
	 * @param {unknown[]} failedRecords
	 */
	function bulkEnvelope(totalRequested, successfulRecords, failedRecords) {
		return {
			totalRequested,
			successful: successfulRecords.length,
			failed: failedRecords.length,
			successfulRecords,
			failedRecords,
		};
	}

	/**
	 * The contacts of an Import CSV request, as Create inputs.
	 * @param {{ raw: Buffer, contentType?: string }} body
	 * @returns {unknown[]}
	 */
	function csvContacts(body) {
		const boundary = multipartBoundary(body.contentType);
		if (!boundary) throw validation('expected a multipart/form-data body with a CSV file in the result_file field', 'result_file');
		/** @type {import('./multipart').Part[]} */
		let parts;
		try {
			parts = parseMultipart(body.raw, boundary);
		} catch (e) {
			throw validation(`malformed multipart body: ${/** @type {Error} */ (e).message}`);
		}
		const file = parts.find((p) => p.name === 'result_file');
		if (!file) throw validation('the result_file field is missing', 'result_file');
		/** @type {string[][]} */
		let rows;
		try {
			rows = parseCsv(file.data.toString('utf8'));
		} catch (e) {
			throw validation(`malformed CSV: ${/** @type {Error} */ (e).message}`, 'result_file');
		}
		if (rows.length === 0) throw validation('the CSV file is empty', 'result_file');
		const header = rows[0].map((h) => h.trim().toLowerCase());
		/** @type {Record<string, number>} */
		const col = {};
		for (const name of CSV_COLUMNS) col[name] = header.indexOf(name.toLowerCase());
		const required = o.requireAllFields ? CSV_COLUMNS : ['firstName', 'cellPhoneNumber', 'cellPhoneCountryCode'];
		const missing = required.filter((n) => col[n] < 0);
		if (missing.length) throw validation(`CSV header is missing column(s): ${missing.join(', ')}`, 'result_file');
		const data = rows.slice(1);
		if (data.length === 0) throw validation('the CSV file has no contact rows', 'result_file');
		if (data.length > o.maxBulk) throw validation(`at most ${o.maxBulk} contacts per request (got ${data.length})`, 'result_file');
		/** @param {string[]} r @param {string} name */
		const cell = (r, name) => (col[name] < 0 ? undefined : (r[col[name]] ?? '').trim());
		return data.map((r) => ({
			firstName: cell(r, 'firstName'),
			lastName: cell(r, 'lastName'),
			salutation: cell(r, 'salutation'),
			cellPhone: {
				phoneNumber: cell(r, 'cellPhoneNumber'),
				countryCode: cell(r, 'cellPhoneCountryCode'),
				extension: cell(r, 'cellPhoneExtension'),
			},
		}));
	}

	// ------------------------------------------------------------------ log

	/** @param {LogEntry} entry */
	function record(entry) {
		stats.total++;
		const key = entry.status === null ? 'none' : String(entry.status);
		stats.byStatus[key] = (stats.byStatus[key] || 0) + 1;
		if (entry.rateLimited) stats.rateLimited++;
		if (entry.fault) stats.faults[entry.fault] = (stats.faults[entry.fault] || 0) + 1;
		if (o.logLimit <= 0) return;
		if (!o.logBodies) delete entry.body;
		requests.push(entry);
		while (requests.length > o.logLimit) {
			requests.shift();
			stats.dropped++;
		}
	}

	/**
	 * What the log keeps of a body.
	 * @param {{ json?: unknown, raw: Buffer, contentType?: string, jsonError?: boolean }} body
	 * @param {string} kind
	 */
	function loggedBody(body, kind) {
		if (body.raw.length === 0) return undefined;
		if (kind === 'import') {
			const boundary = multipartBoundary(body.contentType);
			if (!boundary) return body.raw.subarray(0, 1000).toString('utf8');
			try {
				return {
					multipart: parseMultipart(body.raw, boundary).map((p) => ({
						name: p.name,
						filename: p.filename,
						size: p.data.length,
						text: p.data.subarray(0, 1000).toString('utf8'),
					})),
				};
			} catch {
				return body.raw.subarray(0, 1000).toString('utf8');
			}
		}
		if (body.json !== undefined) return body.json;
		return body.raw.subarray(0, 1000).toString('utf8');
	}

	// ------------------------------------------------------------------ faults

	/**
	 * @param {FaultRule} rule
	 */
	function addFault(rule) {
		if (!rule || rule.action === undefined) throw new Error('fault rule needs an action');
		const a = rule.action;
		const valid =
			a === 'reset' ||
			a === 'hang' ||
			(isPlainObject(a) &&
				((/** @type {any} */ (a).reset === 'before' || /** @type {any} */ (a).reset === 'after') ||
					/** @type {any} */ (a).rateLimitMessage === true ||
					Number.isInteger(/** @type {any} */ (a).status)));
		if (!valid) throw new Error(`unsupported fault action: ${JSON.stringify(a)}`);
		const times = rule.times === undefined ? 1 : rule.times;
		if (!(times > 0)) throw new Error('fault times must be > 0');
		faults.push({ ...rule, method: rule.method ? rule.method.toUpperCase() : undefined, times });
	}

	/**
	 * Takes (consumes one use of) the first fault rule matching this request.
	 * @param {string} method
	 * @param {string} rawPath
	 * @returns {FaultAction|undefined}
	 */
	function takeFault(method, rawPath) {
		for (let i = 0; i < faults.length; i++) {
			const f = faults[i];
			if (f.method && f.method !== method) continue;
			if (f.path !== undefined) {
				if (f.path instanceof RegExp) {
					f.path.lastIndex = 0;
					if (!f.path.test(rawPath)) continue;
				} else if (!rawPath.startsWith(f.path)) continue;
			}
			f.times--;
			if (f.times <= 0) faults.splice(i, 1);
			return f.action;
		}
		return undefined;
	}

	/**
	 * @param {FaultAction} a
	 * @returns {'status'|'reset-before'|'reset-after'|'hang'|'rate-limit-message'}
	 */
	function faultKind(a) {
		if (a === 'reset') return 'reset-before';
		if (a === 'hang') return 'hang';
		const x = /** @type {any} */ (a);
		if (x.reset === 'before') return 'reset-before';
		if (x.reset === 'after') return 'reset-after';
		if (x.rateLimitMessage) return 'rate-limit-message';
		return 'status';
	}

	// ------------------------------------------------------------------ request pipeline

	/** @param {number} ms */
	function delay(ms) {
		return new Promise((resolve) => {
			const t = setTimeout(() => {
				timers.delete(t);
				resolve(undefined);
			}, ms);
			timers.add(t);
		});
	}

	function latencyNow() {
		if (Array.isArray(latency)) {
			const [min, max] = latency;
			return min + Math.random() * Math.max(0, max - min);
		}
		return latency || 0;
	}

	/**
	 * @param {http.ServerResponse} res
	 * @param {number} status
	 * @param {unknown} body
	 * @param {Record<string, string>} [headers]
	 */
	function send(res, status, body, headers = {}) {
		if (res.writableEnded || res.destroyed) return;
		const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
		res.writeHead(status, {
			'content-type': typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8',
			'content-length': String(Buffer.byteLength(text)),
			...headers,
		});
		res.end(text);
	}

	/**
	 * @param {http.IncomingMessage} req
	 * @param {http.ServerResponse} res
	 */
	async function onRequest(req, res) {
		const at = Date.now();
		const url = req.url || '/';
		const qi = url.indexOf('?');
		const rawPath = qi < 0 ? url : url.slice(0, qi);
		const rawQuery = qi < 0 ? '' : url.slice(qi + 1);
		const method = (req.method || 'GET').toUpperCase();
		if (rawPath === '/__admin' || rawPath.startsWith('/__admin/')) return admin(req, res, method, rawPath, parseQuery(rawQuery));

		/** @type {LogEntry} */
		const entry = {
			at,
			method,
			path: rawPath,
			query: parseQuery(rawQuery),
			accountId: headerValue(req.headers.accountid),
			appId: null,
			jti: null,
			status: null,
		};
		const fault = takeFault(method, rawPath);
		const kind = fault === undefined ? undefined : faultKind(fault);
		if (kind) entry.fault = kind;

		const wait = latencyNow();
		if (wait > 0) await delay(wait);
		if (closing) return;

		if (kind === 'reset-before') {
			req.socket.destroy();
			return record(entry);
		}
		if (kind === 'hang') {
			record(entry);
			req.resume(); // swallow the body, never answer
			return;
		}

		/** @type {number} */
		let status;
		/** @type {unknown} */
		let out;
		/** @type {Record<string, string>} */
		let headers = {};
		const route = campaigns.match(rawPath, method) || matchRoute(rawPath, method);
		try {
			const raw = await readBody(req, o.maxBodyBytes);
			if (raw === null) {
				entry.status = 413;
				record(entry);
				send(res, 413, errorBody(413, 'Request Entity Too Large'), { connection: 'close' });
				return;
			}
			const contentType = headerValue(req.headers['content-type']) || undefined;
			/** @type {{ json?: unknown, raw: Buffer, contentType?: string, jsonError?: boolean }} */
			const body = { raw, contentType };
			if (raw.length > 0 && isJsonType(contentType)) {
				try {
					body.json = JSON.parse(raw.toString('utf8'));
				} catch {
					body.jsonError = true;
				}
			}
			if (route.kind !== 'notFound' && route.kind !== 'methodNotAllowed') entry.body = loggedBody(body, route.kind);
			else if (raw.length > 0) entry.body = body.json !== undefined ? body.json : raw.subarray(0, 1000).toString('utf8');

			if (kind === 'status') {
				const a = /** @type {StatusAction} */ (fault);
				status = a.status;
				out = a.body !== undefined ? a.body : errorBody(a.status, http.STATUS_CODES[a.status] || 'Error');
				headers = a.headers || {};
			} else if (kind === 'rate-limit-message') {
				const a = /** @type {{ status?: number }} */ (fault);
				status = a.status ?? 200;
				out = errorBody(status, RATE_LIMIT_MESSAGE, 429);
				entry.rateLimited = true;
			} else {
				({ status, out, headers } = await apiRequest(route, body, entry, req, at));
			}
		} catch (e) {
			if (e instanceof HttpError) {
				status = e.status;
				out = errorBody(e.status, e.message, e.code, e.detail);
				if (e.authError) entry.authError = e.authError;
			} else {
				status = 500;
				out = errorBody(500, 'Internal Server Error');
				console.error('[kore-server]', e);
			}
		}
		entry.status = status;
		entry.durationMs = Date.now() - at;
		record(entry);
		if (kind === 'reset-after') {
			req.socket.destroy();
			return;
		}
		send(res, status, out, headers);
	}

	/**
	 * Routing, authentication, rate limiting, body checks and the endpoint itself.
	 * @param {ReturnType<typeof matchRoute>} route
	 * @param {{ json?: unknown, raw: Buffer, contentType?: string, jsonError?: boolean }} body
	 * @param {LogEntry} entry
	 * @param {http.IncomingMessage} req
	 * @param {number} at
	 * @returns {Promise<{ status: number, out: unknown, headers: Record<string, string> }>}
	 */
	async function apiRequest(route, body, entry, req, at) {
		if (route.kind === 'notFound') throw new HttpError(404, 'Not Found');
		if (route.kind === 'methodNotAllowed') {
			return { status: 405, out: errorBody(405, 'Method Not Allowed'), headers: { allow: route.allow } };
		}

		// authentication: `auth` JWT + `accountId` header
		const token = headerValue(req.headers.auth);
		if (!token || !entry.accountId) {
			throw new HttpError(401, 'Invalid SDK credentials', { code: 4002, authError: !token ? 'no-token' : 'no-accountId' });
		}
		const v = await verifyToken(apps, token.trim(), Date.now());
		if (v.info.appId !== undefined) entry.appId = v.info.appId;
		if (v.info.jti !== undefined) entry.jti = v.info.jti;
		if (!v.ok) throw new HttpError(401, 'Invalid JWT token', { code: 4002, authError: v.reason });
		const app = v.app;
		// Kore documents no body for an accountId that is not the app's account (reference: "Errors"); this
		// server names the account, so a client can tell it from a refused stream. See README, choice 8.
		if (app.accountId !== entry.accountId) {
			throw new HttpError(401, 'Invalid accountId', { code: 4002, authError: 'account-mismatch' });
		}
		if (app.streams && !app.streams.has(route.streamId)) {
			throw new HttpError(401, 'Invalid SDK credentials', { code: 4002, authError: 'unknown-stream' });
		}
		// Kore's documented answer for an app that is not mapped to the API's scope (reference: "Errors").
		if (route.scope ? !route.scope(app) : !app.configurationScope) {
			throw new HttpError(401, 'Permission denied. Scope is incorrect!', { code: 4002, authError: 'scope' });
		}

		// rate limit, per account, every authenticated request counts
		const d = limiter.hit(app.accountId, at);
		if (!d.allowed) {
			entry.rateLimited = true;
			const rl = limiter.config;
			/** @type {Record<string, string>} */
			const headers = rl.retryAfter ? { 'retry-after': String(Math.max(1, Math.ceil(d.retryAfterMs / 1000))) } : {};
			return { status: rl.status, out: errorBody(rl.status, RATE_LIMIT_MESSAGE, 429), headers };
		}

		// body checks for the JSON endpoints
		if (route.kind === 'create' || route.kind === 'update' || route.kind === 'bulkUpdate' || route.kind === 'bulkDelete') {
			if (body.raw.length === 0) throw validation('a JSON body is required');
			if (!isJsonType(body.contentType)) throw validation('Content-Type must be application/json');
			if (body.jsonError) throw new HttpError(400, 'Invalid JSON payload');
		}
		if (route.handle) return route.handle(body, entry.query, app, req.headers);
		return { status: 200, out: handle(route, body, entry.query, app), headers: {} };
	}

	// ------------------------------------------------------------------ admin API

	/**
	 * @param {http.IncomingMessage} req
	 * @param {http.ServerResponse} res
	 * @param {string} method
	 * @param {string} rawPath
	 * @param {Record<string, string>} query
	 */
	async function admin(req, res, method, rawPath, query) {
		const raw = await readBody(req, o.maxBodyBytes);
		/** @type {any} */
		let json;
		if (raw && raw.length > 0) {
			try {
				json = JSON.parse(raw.toString('utf8'));
			} catch {
				return send(res, 400, { error: 'invalid JSON' });
			}
		}
		const p = rawPath.replace(/\/+$/, '');
		/** @type {Record<string, Record<string, () => unknown>>} */
		const routes = {
			'/__admin/requests': {
				GET: () => {
					const limit = query.limit !== undefined ? Number(query.limit) : undefined;
					return {
						...statsSnapshot(),
						requests: query.summary ? undefined : limit !== undefined && limit >= 0 ? requests.slice(Math.max(0, requests.length - limit)) : requests,
					};
				},
				DELETE: () => {
					clearLog();
					return statsSnapshot();
				},
			},
			'/__admin/faults': {
				GET: () => ({ faults: faults.map(faultJson) }),
				POST: () => {
					for (const r of Array.isArray(json) ? json : [json]) addFault(faultFromJson(r));
					return { faults: faults.map(faultJson) };
				},
				DELETE: () => {
					faults = [];
					return { faults: [] };
				},
			},
			'/__admin/reset': { POST: () => (reset(), { ok: true }) },
			'/__admin/campaigns': { GET: campaigns.admin.GET, POST: () => campaigns.admin.POST(json) },
			'/__admin/rate-limit': {
				GET: () => limiter.config,
				POST: () => (setRateLimit(json || {}), limiter.config),
			},
			'/__admin/latency': {
				GET: () => ({ latencyMs: latency }),
				POST: () => {
					setLatency(json && json.latencyMs);
					return { latencyMs: latency };
				},
			},
			'/__admin/contacts': {
				GET: () => {
					if (query.streamId !== undefined) return contacts(query.streamId);
					/** @type {Record<string, unknown[]>} */
					const all = {};
					for (const id of store.streams.keys()) all[id] = contacts(id);
					return all;
				},
			},
		};
		const r = routes[p];
		if (!r) return send(res, 404, { error: 'unknown admin endpoint' });
		const fn = r[method];
		if (!fn) return send(res, 405, { error: 'Method Not Allowed' }, { allow: Object.keys(r).join(', ') });
		try {
			send(res, 200, fn());
		} catch (e) {
			send(res, 400, { error: /** @type {Error} */ (e).message });
		}
	}

	/**
	 * @param {any} r
	 * @returns {FaultRule}
	 */
	function faultFromJson(r) {
		if (!isPlainObject(r)) throw new Error('fault rule must be an object');
		/** @type {any} */
		const rule = { ...r };
		if (typeof r.pathRegex === 'string') {
			rule.path = new RegExp(r.pathRegex, typeof r.pathFlags === 'string' ? r.pathFlags : '');
			delete rule.pathRegex;
			delete rule.pathFlags;
		}
		if (rule.times === null || rule.times === -1) rule.times = Infinity;
		return rule;
	}

	/** @param {FaultRule & { times: number }} f */
	function faultJson(f) {
		return {
			method: f.method,
			path: f.path instanceof RegExp ? undefined : f.path,
			pathRegex: f.path instanceof RegExp ? f.path.source : undefined,
			times: Number.isFinite(f.times) ? f.times : -1,
			action: f.action,
		};
	}

	function statsSnapshot() {
		return {
			total: stats.total,
			byStatus: { ...stats.byStatus },
			rateLimited: stats.rateLimited,
			faults: { ...stats.faults },
			logged: requests.length,
			dropped: stats.dropped,
		};
	}

	function clearLog() {
		requests.length = 0;
		stats.total = 0;
		stats.byStatus = {};
		stats.rateLimited = 0;
		stats.faults = {};
		stats.dropped = 0;
	}

	// ------------------------------------------------------------------ handle

	/**
	 * Every contact of a stream (INACTIVE included), in creation order, as the API renders them.
	 * @param {string} streamId
	 */
	function contacts(streamId) {
		const s = store.streams.get(streamId);
		return s ? [...s.byId.values()].map(render) : [];
	}

	/** Back to the state right after start: seed contacts, empty log and counters, no faults, initial rate limit. */
	function reset() {
		loadSeed();
		campaigns.reset();
		clearLog();
		faults = [];
		limiter.set(initialRateLimit);
		latency = options.latencyMs ?? 0;
	}

	/** @param {RateLimitOptions} opts */
	function setRateLimit(opts) {
		limiter.set(opts);
	}

	/** @param {number|[number, number]|undefined} ms */
	function setLatency(ms) {
		if (ms === undefined || ms === null) ms = 0;
		const ok = Array.isArray(ms) ? ms.length === 2 && ms.every((n) => n >= 0) : ms >= 0;
		if (!ok) throw new Error('latencyMs must be a number >= 0 or [min, max]');
		latency = ms;
	}

	const server = http.createServer((req, res) => {
		onRequest(req, res).catch((e) => {
			console.error('[kore-server]', e);
			if (!res.headersSent) send(res, 500, errorBody(500, 'Internal Server Error'));
		});
	});
	server.keepAliveTimeout = 5000;

	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(o.port, o.host, () => {
			server.off('error', reject);
			resolve(undefined);
		});
	});
	const address = /** @type {import('node:net').AddressInfo} */ (server.address());
	const hostForUrl = address.family === 'IPv6' ? `[${address.address}]` : address.address;

	return {
		url: `http://${hostForUrl}:${address.port}`,
		port: address.port,
		/** the live request log (same array across reset()) */
		requests,
		contacts,
		campaigns: campaigns.api,
		reset,
		addFault,
		clearFaults() {
			faults = [];
		},
		setRateLimit,
		setLatency,
		stats: statsSnapshot,
		/** @returns {Promise<void>} */
		close() {
			closing = true;
			for (const t of timers) clearTimeout(t);
			timers.clear();
			return new Promise((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			});
		},
	};
}

module.exports = { startKoreServer, demoSeed, matchRoute, RATE_LIMIT_MESSAGE, VALIDATION_MESSAGE };
