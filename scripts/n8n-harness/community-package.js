'use strict';
/**
 * This package in n8n as a community package: packed (`npm pack`), installed into a user folder the way n8n's
 * Community Nodes UI installs one, and recorded in n8n's database (the rows Settings → Community nodes lists).
 * Node built-ins only, plus the sqlite3 of the installed n8n.
 */
const fs = require('node:fs');
const fsp = require('node:fs/promises');
const path = require('node:path');

const { REPO_ROOT, resolveCacheDir } = require('./install');
const { readJson, writeJsonAtomic } = require('./json-files');
const { failure, npmEnv, run } = require('./processes');

/**
 * `npm pack` of this project (dist/ must be built: the npm scripts build first) into `destination`.
 * @param {string} destination @returns {Promise<string>} the tarball's path
 */
async function npmPack(destination) {
	const r = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', destination], { cwd: REPO_ROOT });
	if (r.code !== 0) throw failure(r, 'npm pack');
	const [{ filename }] = JSON.parse(r.stdout.slice(r.stdout.indexOf('[')));
	return path.join(destination, filename);
}

/**
 * Installs an `npm pack` tarball into <userFolder>/.n8n/nodes the way n8n 2.41.1's Community Nodes UI does
 * (n8n/dist/modules/community-packages/community-packages.service.js, downloadPackage()):
 *   1. mkdir <nodes>/node_modules/<name>; `npm pack <name>@<version>` there (we already have the tarball);
 *   2. `tar -xzf <tarball> -C <packageDir> --strip-components=1`;
 *   3. rewrite its package.json WITHOUT devDependencies, peerDependencies and optionalDependencies
 *      (so npm 7+ does not auto-install the peer `n8n-workflow`: the node resolves n8n's own copy through
 *      NODE_PATH, which n8n sets to its module paths at start);
 *   4. in the package dir: `npm install --audit=false --fund=false --bin-links=false
 *      --install-strategy=shallow --ignore-scripts=true --package-lock=false` (n8n also passes
 *      `--registry=<N8N_COMMUNITY_PACKAGES_REGISTRY>`; we leave the registry to the user's npm config);
 *   5. record `dependencies[name] = version` in <nodes>/package.json (n8n's "ledger",
 *      `{ name: 'installed-nodes', private: true, dependencies }`).
 * n8n then also writes installed_packages / installed_nodes rows into its DB; those only feed the
 * Settings > Community nodes list. Loading does not need them: at start n8n scans
 * <nodes>/node_modules for `n8n-nodes-*` and `@*\/n8n-nodes-*` folders (n8n-core scanDirectoryForPackages).
 *
 * @param {string} userFolder the N8N_USER_FOLDER
 * @param {string} tarballPath a .tgz made by `npm pack`
 * @returns {Promise<{ packageName: string, version: string, packageDir: string, nodeTypes: string[] }>}
 */
async function installCommunityPackage(userFolder, tarballPath) {
	const tarball = path.resolve(tarballPath);
	if (!fs.existsSync(tarball)) throw new Error(`tarball not found: ${tarball}`);
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	const modulesDir = path.join(nodesDir, 'node_modules');
	await fsp.mkdir(modulesDir, { recursive: true });

	const ledgerFile = path.join(nodesDir, 'package.json');
	const ledger = readJson(ledgerFile);
	if (!ledger?.dependencies) writeJsonAtomic(ledgerFile, { name: 'installed-nodes', private: true, dependencies: {} });

	// unpack beside the final place first, to learn the package name
	const staging = await fsp.mkdtemp(path.join(nodesDir, '.staging-'));
	try {
		const t = await run('tar', ['-xzf', tarball, '-C', staging, '--strip-components=1']);
		if (t.code !== 0) throw failure(t, 'tar -xzf');
		const pkgFile = path.join(staging, 'package.json');
		const pkg = readJson(pkgFile);
		if (!pkg?.name || !pkg.version) throw new Error(`${tarball} has no package.json with name and version`);
		if (!/^(@[a-z0-9][a-z0-9\-._]*\/)?n8n-nodes-[a-z0-9\-._]*$/.test(pkg.name)) {
			throw new Error(`n8n only loads community packages named n8n-nodes-* or @scope/n8n-nodes-*, not "${pkg.name}"`);
		}
		const { devDependencies, peerDependencies, optionalDependencies, ...stripped } = pkg;
		await fsp.writeFile(pkgFile, JSON.stringify(stripped, null, 2), 'utf-8');

		const packageDir = path.join(modulesDir, ...pkg.name.split('/'));
		await fsp.rm(packageDir, { recursive: true, force: true });
		await fsp.mkdir(path.dirname(packageDir), { recursive: true });
		await fsp.rename(staging, packageDir);

		const r = await run(
			'npm',
			['install', '--audit=false', '--fund=false', '--bin-links=false', '--install-strategy=shallow', '--ignore-scripts=true', '--package-lock=false'],
			{ cwd: packageDir, env: npmEnv(), timeoutMs: 10 * 60 * 1000 },
		);
		if (r.code !== 0) throw failure(r, `npm install in ${packageDir}`);
		if (fs.existsSync(path.join(packageDir, 'node_modules', 'n8n-workflow'))) {
			throw new Error(
				`${pkg.name} got its own n8n-workflow installed (is it in "dependencies"?); n8n-workflow must be a peer dependency only`,
			);
		}

		const current = readJson(ledgerFile) ?? { name: 'installed-nodes', private: true, dependencies: {} };
		current.dependencies = { ...current.dependencies, [pkg.name]: pkg.version };
		writeJsonAtomic(ledgerFile, current);

		const nodeTypes = (pkg.n8n?.nodes ?? []).map((/** @type {string} */ file) => {
			// the node type is `<packageName>.<description.name>`; the file name is only a hint
			const m = /([^/]+)\.node\.js$/.exec(file);
			return m ? `${pkg.name}.${m[1][0].toLowerCase()}${m[1].slice(1)}` : file;
		});
		return { packageName: pkg.name, version: pkg.version, author: pkg.author, packageDir, nodeTypes };
	} finally {
		await fsp.rm(staging, { recursive: true, force: true });
	}
}

/**
 * Records an installed community package in n8n's database, as n8n's own install does after loading it
 * (CommunityPackagesService.persistInstalledPackage → InstalledPackagesRepository.persistPackageWithNodes,
 * n8n 2.41.1): one `installed_packages` row (name, version, author) and one `installed_nodes` row per node
 * (display name, `<package>.<node name>`, version). Settings → Community nodes lists what these tables hold;
 * files in `nodes/node_modules` alone are loaded but not listed. The database must exist and be migrated
 * (run any n8n command first, e.g. an import) and n8n must not be running.
 *
 * @param {string} userFolder
 * @param {{ packageName: string, version: string, author?: { name?: string, email?: string } }} pkg
 * @param {Array<{ displayName: string, name: string, version: number }>} nodes  the package's node descriptions
 */
async function recordCommunityPackage(userFolder, pkg, nodes) {
	const file = path.join(userFolder, '.n8n', 'database.sqlite');
	if (!fs.existsSync(file)) throw new Error(`no n8n database at ${file}: run an n8n command (e.g. an import) first`);
	const sqlite3 = require(path.join(resolveCacheDir(), 'node_modules', 'sqlite3'));
	const db = new sqlite3.Database(file);
	const sql = (statement, params = []) =>
		new Promise((resolve, reject) => db.run(statement, params, (error) => (error ? reject(error) : resolve(undefined))));
	// the format TypeORM writes for datetime(3) columns
	const now = new Date().toISOString().replace('T', ' ').replace('Z', '');
	try {
		await sql('PRAGMA foreign_keys = ON');
		await sql('BEGIN');
		try {
			await sql('DELETE FROM installed_nodes WHERE package = ?', [pkg.packageName]);
			await sql('DELETE FROM installed_packages WHERE packageName = ?', [pkg.packageName]);
			await sql(
				'INSERT INTO installed_packages (packageName, installedVersion, authorName, authorEmail, createdAt, updatedAt) VALUES (?, ?, ?, ?, ?, ?)',
				[pkg.packageName, pkg.version, pkg.author?.name ?? null, pkg.author?.email ?? null, now, now],
			);
			for (const node of nodes) {
				await sql('INSERT INTO installed_nodes (name, type, latestVersion, package) VALUES (?, ?, ?, ?)', [
					node.displayName,
					`${pkg.packageName}.${node.name}`,
					node.version,
					pkg.packageName,
				]);
			}
			await sql('COMMIT');
		} catch (error) {
			await sql('ROLLBACK').catch(() => {});
			throw error;
		}
	} finally {
		await new Promise((resolve) => db.close(() => resolve(undefined)));
	}
}

/**
 * This package's nodes as n8n records them (display name, name, latest version), read from the build in dist/:
 * the `nodes` argument of recordCommunityPackage.
 * @returns {Array<{ displayName: string, name: string, version: number }>}
 */
function packageNodes() {
	const pkg = readJson(path.join(REPO_ROOT, 'package.json'));
	return (pkg.n8n?.nodes ?? []).map((/** @type {string} */ file) => {
		const exported = require(path.join(REPO_ROOT, file));
		const NodeClass = Object.values(exported).find((value) => typeof value === 'function');
		const { displayName, name, version } = new NodeClass().description;
		return { displayName, name, version: Array.isArray(version) ? Math.max(...version) : version };
	});
}

module.exports = { npmPack, installCommunityPackage, recordCommunityPackage, packageNodes };
