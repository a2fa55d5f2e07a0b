'use strict';
/**
 * Throw-away Redis and PostgreSQL servers for the queue-mode e2e suite, `npm run bench -- queue` and the unit
 * tests of the node's queue-mode coordination (test/helpers/redis.ts).
 *
 * Each server runs as a child of this process on a random free port of 127.0.0.1, with its data in a new temp
 * directory, and `stop()` ends it and removes the directory. Nothing is persisted, nothing is shared with a
 * system service (a machine's own redis/postgres on 6379/5432 is neither used nor touched).
 *
 * The binaries come from Debian 12's packages, installed by .ci/install-services (redis-server, postgresql):
 *  - redis-server on PATH (/usr/bin/redis-server, Redis 7.0).
 *  - PostgreSQL's server programs are NOT on PATH in Debian (/usr/lib/postgresql/<major>/bin); we look there
 *    after PATH. `postgres` refuses to run as root, so as root initdb and postgres run as the `postgres`
 *    system user that the package creates (spawned with its uid/gid), and the data directory is chown'ed to it.
 *
 * Node built-ins only.
 */
const fs = require('node:fs');
const fsp = require('node:fs/promises');
const os = require('node:os');
const path = require('node:path');
const net = require('node:net');
const { spawn, execFileSync } = require('node:child_process');

const { freePort, run, startDaemon } = require('./processes');

/** @typedef {import('./processes').LogFn} LogFn */

/** @param {string} name @returns {string | undefined} the program's path on PATH */
function onPath(name) {
	for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
		if (!dir) continue;
		const file = path.join(dir, name);
		try {
			fs.accessSync(file, fs.constants.X_OK);
			return file;
		} catch {
			/* next */
		}
	}
	return undefined;
}

/** How a server is started and stopped (startDaemon): ready within 30 s, asked every 50 ms, killed 10 s after stop(). */
const SERVER = Object.freeze({ timeoutMs: 30_000, pollMs: 50, stopGraceMs: 10_000, timeoutSignal: /** @type {NodeJS.Signals} */ ('SIGKILL') });

const INSTALL_HINT = 'run .ci/install-services (Debian: apt-get install -y redis-server postgresql)';

/** @returns {string} */
function findRedis() {
	const bin = onPath('redis-server');
	if (!bin) throw new Error(`redis-server is not installed: ${INSTALL_HINT}`);
	return bin;
}

/** @returns {string} the folder with initdb, postgres and psql of one PostgreSQL version */
function findPostgresBinDir() {
	const candidates = [];
	const initdb = onPath('initdb');
	if (initdb) candidates.push(path.dirname(fs.realpathSync(initdb)));
	const debian = '/usr/lib/postgresql';
	if (fs.existsSync(debian)) {
		const majors = fs
			.readdirSync(debian)
			.filter((v) => /^\d+$/.test(v))
			.sort((a, b) => Number(b) - Number(a));
		for (const v of majors) candidates.push(path.join(debian, v, 'bin'));
	}
	for (const dir of candidates) {
		if (['initdb', 'postgres', 'psql'].every((p) => fs.existsSync(path.join(dir, p)))) return dir;
	}
	throw new Error(`PostgreSQL (initdb, postgres, psql) is not installed: ${INSTALL_HINT}`);
}

/**
 * A round trip in Redis' protocol (RESP): sends one command, resolves with the raw reply.
 * @param {number} port @param {string[]} command @returns {Promise<string>}
 */
function redisCommand(port, command) {
	return new Promise((resolve, reject) => {
		const socket = net.connect({ host: '127.0.0.1', port });
		let reply = '';
		socket.setTimeout(2000, () => socket.destroy(new Error('redis: no reply')));
		socket.on('connect', () => {
			socket.write(`*${command.length}\r\n${command.map((c) => `$${Buffer.byteLength(c)}\r\n${c}\r\n`).join('')}`);
		});
		socket.setEncoding('utf8').on('data', (d) => {
			reply += d;
			if (reply.endsWith('\r\n')) {
				socket.end();
				resolve(reply);
			}
		});
		socket.on('error', reject);
	});
}

/**
 * Starts redis-server on 127.0.0.1:<random port>, no persistence (no RDB, no AOF), data dir in a temp folder.
 * @param {{ log?: LogFn }} [options]
 * @returns {Promise<{ host: string, port: number, url: string, pid: number | undefined, command: (args: string[]) => Promise<string>, output: () => string, stop: () => Promise<void> }>}
 */
async function startRedis({ log = () => {} } = {}) {
	const bin = findRedis();
	const t0 = Date.now();
	for (let attempt = 1; ; attempt++) {
		const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'e2e-redis-'));
		const port = await freePort();
		try {
			const daemon = await startDaemon(
				bin,
				[
					'--bind', '127.0.0.1',
					'--port', String(port),
					'--dir', dir,
					'--save', '',
					'--appendonly', 'no',
					'--daemonize', 'no',
					'--protected-mode', 'yes',
					'--loglevel', 'warning',
					'--logfile', '',
				],
				{
					...SERVER,
					name: 'redis-server',
					cwd: dir,
					isReady: async () => (await redisCommand(port, ['PING'])).startsWith('+PONG'),
				},
			);
			log(`[services] redis-server on 127.0.0.1:${port} (pid ${daemon.pid}, ${Date.now() - t0} ms)`);
			return {
				host: '127.0.0.1',
				port,
				url: `redis://127.0.0.1:${port}`,
				pid: daemon.pid,
				command: (args) => redisCommand(port, args),
				output: daemon.output,
				stop: async () => {
					await daemon.stop();
					await fsp.rm(dir, { recursive: true, force: true });
				},
			};
		} catch (error) {
			await fsp.rm(dir, { recursive: true, force: true });
			// a port taken between freePort() and the bind: try another
			if (attempt < 3 && /Address already in use/i.test(String(error))) continue;
			throw error;
		}
	}
}

/** @returns {{ uid: number, gid: number } | null} the `postgres` system user when we are root, else null */
function postgresUser() {
	if (typeof process.getuid !== 'function' || process.getuid() !== 0) return null;
	try {
		const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
		const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
		return { uid, gid };
	} catch {
		throw new Error(`running as root, and there is no \`postgres\` user to run PostgreSQL as: ${INSTALL_HINT}`);
	}
}

/**
 * Starts PostgreSQL in a new temp data directory on 127.0.0.1:<random port> (trust auth, superuser
 * `postgres`, no fsync: a test database that dies with the test). As root it runs as the `postgres` user.
 * `createDatabase(name)` makes one database per n8n instance.
 * @param {{ log?: LogFn }} [options]
 */
async function startPostgres({ log = () => {} } = {}) {
	const binDir = findPostgresBinDir();
	const asUser = postgresUser();
	// as root: spawn the programs themselves with the postgres user's uid/gid (no runuser/su in between, so
	// our signals reach postgres itself and nothing is left running when a wrapper exits)
	const spawnAs = asUser ? { uid: asUser.uid, gid: asUser.gid, env: { ...process.env, HOME: '/tmp', USER: 'postgres', LOGNAME: 'postgres' } } : {};
	const t0 = Date.now();
	const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'e2e-postgres-'));
	const dataDir = path.join(dir, 'data');
	try {
		if (asUser) await fsp.chown(dir, asUser.uid, asUser.gid);
		const init = await run(path.join(binDir, 'initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C'], { cwd: dir, ...spawnAs });
		if (init.code !== 0) throw new Error(`initdb failed (exit ${init.code}): ${init.stdout}${init.stderr}`);
		const tInit = Date.now() - t0;
		for (let attempt = 1; ; attempt++) {
			const port = await freePort();
			const pargs = [
				'-D', dataDir,
				'-c', 'listen_addresses=127.0.0.1',
				'-c', `port=${port}`,
				'-c', `unix_socket_directories=${dir}`,
				'-c', 'fsync=off',
				'-c', 'synchronous_commit=off',
				'-c', 'full_page_writes=off',
				'-c', 'max_connections=200',
				'-c', 'logging_collector=off',
				'-c', 'log_min_messages=warning',
			];
			try {
				const daemon = await startDaemon(path.join(binDir, 'postgres'), pargs, {
					...SERVER,
					name: 'postgres',
					cwd: dir,
					...spawnAs,
					// "database system is ready to accept connections" is logged at level LOG, below our
					// log_min_messages: ask pg_isready instead
					isReady: () => pgIsReady(binDir, port),
				});
				log(`[services] PostgreSQL on 127.0.0.1:${port} (pid ${daemon.pid}, initdb ${tInit} ms, ready after ${Date.now() - t0} ms)`);
				/** @param {string} sql */
				const psql = (sql, database = 'postgres') =>
					execFileSync(path.join(binDir, 'psql'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', database, '-v', 'ON_ERROR_STOP=1', '-tAc', sql], {
						encoding: 'utf8',
						stdio: ['ignore', 'pipe', 'pipe'],
					});
				return {
					host: '127.0.0.1',
					port,
					user: 'postgres',
					password: '',
					pid: daemon.pid,
					psql,
					/** @param {string} name a new, empty database */
					createDatabase: (name) => {
						if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`database name must be [a-z_][a-z0-9_]*: ${name}`);
						psql(`CREATE DATABASE ${name}`);
						return name;
					},
					output: daemon.output,
					stop: async () => {
						// SIGINT = "fast shutdown": disconnects clients instead of waiting for them (n8n may still hold a pool)
						await daemon.stop('SIGINT');
						await fsp.rm(dir, { recursive: true, force: true });
					},
				};
			} catch (error) {
				if (attempt < 3 && /could not bind|Address already in use/i.test(String(error))) continue;
				throw error;
			}
		}
	} catch (error) {
		await fsp.rm(dir, { recursive: true, force: true });
		throw error;
	}
}

/** @param {string} binDir @param {number} port */
function pgIsReady(binDir, port) {
	return new Promise((resolve) => {
		const child = spawn(path.join(binDir, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-q'], { stdio: 'ignore' });
		child.on('close', (code) => resolve(code === 0));
		child.on('error', () => resolve(false));
	});
}

/**
 * Both servers, started in parallel.
 * @param {{ log?: LogFn }} [options]
 */
async function startServices(options = {}) {
	const [redis, postgres] = await Promise.allSettled([startRedis(options), startPostgres(options)]);
	if (redis.status === 'rejected' || postgres.status === 'rejected') {
		if (redis.status === 'fulfilled') await redis.value.stop();
		if (postgres.status === 'fulfilled') await postgres.value.stop();
		throw redis.status === 'rejected' ? redis.reason : /** @type {PromiseRejectedResult} */ (postgres).reason;
	}
	return {
		redis: redis.value,
		postgres: postgres.value,
		stop: async () => {
			await Promise.all([redis.value.stop(), postgres.value.stop()]);
		},
	};
}

module.exports = { startRedis, startPostgres, startServices, findPostgresBinDir, findRedis };

if (require.main === module) {
	// smoke test: node_modules/.bin/node scripts/n8n-harness/services.js
	(async () => {
		const t = Date.now();
		const s = await startServices({ log: (l) => console.log(l) });
		console.log('redis PING ->', JSON.stringify(await s.redis.command(['PING'])));
		console.log('postgres ->', s.postgres.psql('select version()').trim());
		s.postgres.createDatabase('smoke');
		console.log('databases ->', s.postgres.psql("select string_agg(datname, ',') from pg_database").trim());
		await s.stop();
		console.log(`started, used and stopped in ${Date.now() - t} ms`);
	})().catch((e) => {
		console.error(e);
		process.exit(1);
	});
}
