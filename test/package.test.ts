/**
 * The package as it is published: `npm pack` of the built project (run `npm run build` first; `npm test`
 * does), unpacked the way n8n unpacks it, and checked for what n8n needs and what n8n's gate enforces:
 * n8n-core's own loader finds the node and credential in it, its package.json has no dependencies, its
 * JavaScript loads nothing but n8n-workflow, Node built-ins and its own files, the node and the credential
 * share one copy of every module (process-wide state such as the pacers), and n8n's scanner
 * (@n8n/scan-community-package) finds nothing in it or in the sources beyond the allowed list below.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';

import { build } from 'esbuild';
import { PackageDirectoryLoader } from 'n8n-core';

const ROOT = path.join(__dirname, '..');
const PACKAGE_NAME = 'n8n-nodes-kore-contacts';

interface Finding {
	file: string;
	line: number;
	severity: string;
	rule: string;
	message: string;
}
interface ScanResult {
	passed: boolean;
	message: string | null;
	details: string | null;
	findings: Finding[];
}

/**
 * What n8n's scanner may still report: a source file importing one of these libraries, under
 * `no-restricted-imports` (n8n Cloud's import rule). The build bundles them, so the tarball must not mention
 * them at all. The scanner in use exempts devDependencies from that rule, so today nothing is reported; an
 * older or stricter scanner reports exactly these imports.
 */
const ALLOWED_SOURCE_IMPORTS = ['jose', 'libphonenumber-js'];

/** n8n Cloud's own rules: they decide Cloud verification, which this package cannot have (see README). */
const CLOUD_RULES = ['@n8n/community-nodes/no-restricted-globals', '@n8n/community-nodes/no-restricted-imports'];

/**
 * Beyond those imports, n8n Cloud's rules may flag only two places, both for n8n's queue mode: the one source
 * file that reads n8n's queue settings from the environment (`process`, and `node:fs` for the `<NAME>_FILE`
 * variants), and ioredis, the Redis client n8n itself uses, bundled into its own file dist/vendor/ioredis.js
 * (it uses timers and Node built-ins).
 */
const CLOUD_ONLY_PLACES = { source: ['nodes/KoreContacts/queue/environment.ts'], tarball: ['dist/vendor/ioredis.js'] };

const PROCESS = "Use of restricted global 'process' is not allowed";
/** environment.ts's read of n8n's `<NAME>_FILE` settings, as the source ("Import of") and the bundle ("Require of") show it. */
const READS_FILES = /^(Import|Require) of 'node:fs' is not allowed/;
const queueSettingsRead = (finding: Finding) => finding.message === PROCESS || READS_FILES.test(finding.message);

function allowed(finding: Finding, leg: 'source' | 'tarball'): boolean {
	if (CLOUD_RULES.includes(finding.rule) && CLOUD_ONLY_PLACES[leg].includes(finding.file)) {
		return leg === 'tarball' || queueSettingsRead(finding);
	}
	// ioredis logs a few warnings with console; it is not the package's code
	if (leg === 'tarball' && finding.rule === 'no-console' && CLOUD_ONLY_PLACES.tarball.includes(finding.file)) return true;
	// the bundle's `process` and `node:fs` are queue/environment.ts's (checked on the source leg: no other source file uses them)
	if (leg === 'tarball' && finding.file === 'dist/bundle.js' && queueSettingsRead(finding)) return true;
	return (
		leg === 'source' &&
		finding.rule === '@n8n/community-nodes/no-restricted-imports' &&
		/^(nodes|credentials)\/.+\.ts$/.test(finding.file) &&
		ALLOWED_SOURCE_IMPORTS.some((lib) => finding.message.startsWith(`Import of '${lib}'`) || finding.message.startsWith(`Import of '${lib}/`))
	);
}

function unexpectedFindings(findings: Finding[], leg: 'source' | 'tarball'): Finding[] {
	return findings.filter((finding) => !allowed(finding, leg));
}

function scan(leg: 'source' | 'tarball', dir: string, tmp: string): ScanResult {
	const stdout = execFileSync(process.execPath, [path.join(ROOT, 'scripts/scan-package.mjs'), `--${leg}`, dir], {
		cwd: ROOT,
		encoding: 'utf8',
		// the scanner makes a temporary folder when it is loaded: keep it inside ours. Without jest's
		// NODE_ENV=test, which makes eslint-plugin-n8n-nodes-base read file names as in its own tests.
		env: { ...process.env, NODE_ENV: undefined, TMPDIR: tmp },
	});
	return JSON.parse(stdout) as ScanResult;
}

function listFiles(dir: string, base = dir): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const full = path.join(dir, entry.name);
		return entry.isDirectory() ? listFiles(full, base) : [path.relative(base, full).split(path.sep).join('/')];
	});
}

let work: string;
/** the unpacked tarball, where n8n would have it: <folder>/node_modules/<package> */
let pkgDir: string;
let packedFiles: string[];

beforeAll(() => {
	if (!existsSync(path.join(ROOT, 'dist/nodes/KoreContacts/KoreContacts.node.js'))) {
		throw new Error('dist/ is missing: run `npm run build` (npm test does) before these tests');
	}
	// inside the project (.cache is git-ignored) so that the unpacked package resolves n8n-workflow from
	// the project's node_modules, as an installed package resolves n8n's own copy
	mkdirSync(path.join(ROOT, '.cache'), { recursive: true });
	work = mkdtempSync(path.join(ROOT, '.cache', 'package-test-'));
	const [packed] = JSON.parse(
		execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], { cwd: ROOT, encoding: 'utf8' }),
	) as Array<{ filename: string; files: Array<{ path: string }> }>;
	packedFiles = packed.files.map((file) => file.path).sort();
	pkgDir = path.join(work, 'node_modules', PACKAGE_NAME);
	mkdirSync(pkgDir, { recursive: true });
	execFileSync('tar', ['-xzf', path.join(work, packed.filename), '-C', pkgDir, '--strip-components=1']);
}, 120_000);

afterAll(() => {
	if (work) rmSync(work, { recursive: true, force: true });
});

describe('the npm pack tarball', () => {
	test('ships the bundle, the files n8n loads, icons and codex, and no sources or tests', () => {
		expect(packedFiles).toEqual(
			expect.arrayContaining([
				'LICENSE',
				'README.md',
				'CHANGELOG.md',
				'index.js',
				'package.json',
				'dist/bundle.js',
				'dist/vendor/ioredis.js',
				'dist/credentials/KoreContactsApi.credentials.js',
				'dist/nodes/KoreContacts/KoreContacts.node.js',
				'dist/nodes/KoreContacts/KoreContacts.node.json',
				'dist/nodes/KoreContactsTrigger/KoreContactsTrigger.node.js',
				'dist/nodes/KoreContactsTrigger/KoreContactsTrigger.node.json',
				'dist/nodes/KoreContactsTrigger/kore.svg',
				'dist/nodes/KoreContactsTrigger/kore.dark.svg',
				'dist/nodes/KoreContacts/kore.svg',
				'dist/nodes/KoreContacts/kore.dark.svg',
			]),
		);
		const unexpected = packedFiles.filter(
			(file) =>
				!/^dist\/.+\.(js|json|svg)$/.test(file) &&
				!['LICENSE', 'README.md', 'CHANGELOG.md', 'index.js', 'package.json'].includes(file),
		);
		expect(unexpected).toEqual([]);
		expect(packedFiles.filter((file) => /\.ts$|^test\/|^scripts\/|\.map$|node_modules/.test(file))).toEqual([]);
		expect(listFiles(pkgDir).sort()).toEqual(packedFiles);
	});

	test('its package.json has no dependencies: n8n-workflow is the only peer, and nothing else is installed', () => {
		const pkg = JSON.parse(readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
		expect(pkg.name).toBe(PACKAGE_NAME);
		expect(pkg.dependencies).toBeUndefined();
		expect(pkg.optionalDependencies).toBeUndefined();
		expect(pkg.bundleDependencies ?? pkg.bundledDependencies).toBeUndefined();
		expect(pkg.peerDependencies).toEqual({ 'n8n-workflow': '*' });
		expect(Object.keys(pkg.scripts ?? {}).filter((name) => /install|prepare|prepack|postpack/.test(name))).toEqual([]);
	});

	test('its JavaScript requires nothing but n8n-workflow, Node built-ins and its own files', async () => {
		const jsFiles = packedFiles.filter((file) => file.endsWith('.js')).map((file) => path.join(pkgDir, file));
		const requested: Array<{ importer: string; path: string; kind: string }> = [];
		const outside: string[] = [];
		// esbuild follows every require()/import in every shipped file, lazy ones inside functions included
		await build({
			entryPoints: jsFiles,
			bundle: true,
			write: false,
			outdir: path.join(work, 'analysis'),
			platform: 'neutral',
			format: 'cjs',
			logLevel: 'silent',
			plugins: [
				{
					name: 'record-imports',
					setup(pluginBuild) {
						pluginBuild.onResolve({ filter: /.*/ }, (args) => {
							if (args.kind === 'entry-point') return undefined;
							const importer = path.relative(pkgDir, args.importer);
							if (args.path.startsWith('.') || path.isAbsolute(args.path)) {
								const target = path.resolve(args.resolveDir, args.path);
								if (!target.startsWith(pkgDir + path.sep)) outside.push(`${importer} -> ${args.path}`);
								return undefined; // resolved by esbuild: a missing file fails the build
							}
							requested.push({ importer, path: args.path, kind: args.kind });
							return { path: args.path, external: true };
						});
					},
				},
			],
		});
		const builtins = new Set(builtinModules);
		const isBuiltin = (name: string) => name.startsWith('node:') || builtins.has(name);
		const disallowed = requested.filter((r) => r.path !== 'n8n-workflow' && !isBuiltin(r.path));
		expect(disallowed).toEqual([]);
		expect(outside).toEqual([]);
		// the analysis saw the bundle's imports (it would find none if it read nothing)
		expect(requested.map((r) => r.path)).toEqual(expect.arrayContaining(['n8n-workflow', 'node:crypto']));
		// and the libraries are inside the bundle: jose's signer, for one
		expect(readFileSync(path.join(pkgDir, 'dist/bundle.js'), 'utf8')).toMatch(/\bSignJWT\b/);
	}, 60_000);
});

describe('the package in n8n', () => {
	test("n8n's package loader finds the node, the credential, the codex and both icons", async () => {
		const loader = new PackageDirectoryLoader(pkgDir);
		await loader.loadAll();
		expect(loader.packageName).toBe(PACKAGE_NAME);
		expect(Object.keys(loader.nodeTypes).sort()).toEqual(['koreContacts', 'koreContactsTrigger']);
		expect(Object.keys(loader.credentialTypes)).toEqual(['koreContactsApi']);

		const node = loader.nodeTypes.koreContacts.type.description as unknown as Record<string, unknown>;
		expect(node.displayName).toBe('Kore Contacts');
		expect(node.usableAsTool).toBe(true);
		expect(node.codex).toEqual(
			expect.objectContaining({
				categories: expect.arrayContaining(['Communication']),
				resources: expect.objectContaining({ primaryDocumentation: expect.any(Array) }),
			}),
		);
		const icons = {
			light: `icons/${PACKAGE_NAME}/dist/nodes/KoreContacts/kore.svg`,
			dark: `icons/${PACKAGE_NAME}/dist/nodes/KoreContacts/kore.dark.svg`,
		};
		expect(node.iconUrl).toEqual(icons);
		const credential = loader.credentialTypes.koreContactsApi.type as unknown as Record<string, unknown>;
		expect(credential.iconUrl).toEqual(icons);
		for (const file of ['kore.svg', 'kore.dark.svg']) {
			expect(existsSync(path.join(pkgDir, 'dist/nodes/KoreContacts', file))).toBe(true);
		}

		const trigger = loader.nodeTypes.koreContactsTrigger.type.description as unknown as Record<string, unknown>;
		expect(trigger).toEqual(expect.objectContaining({ displayName: 'Kore Contacts Trigger', polling: true, inputs: [] }));
		expect(trigger.codex).toEqual(expect.objectContaining({ categories: expect.arrayContaining(['Communication']) }));
		expect(trigger.iconUrl).toEqual({
			light: `icons/${PACKAGE_NAME}/dist/nodes/KoreContactsTrigger/kore.svg`,
			dark: `icons/${PACKAGE_NAME}/dist/nodes/KoreContactsTrigger/kore.dark.svg`,
		});
	});

	test('index.js exports the node and credential classes', () => {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const exported = require(path.join(pkgDir, 'index.js'));
		expect(new exported.KoreContacts().description.name).toBe('koreContacts');
		expect(new exported.KoreContactsTrigger().description.name).toBe('koreContactsTrigger');
		expect(new exported.KoreContactsApi().name).toBe('koreContactsApi');
	});

	test('the node and the credential share one copy of every module (one pacer map per process)', () => {
		// A plain Node process, as n8n runs: n8n-core's loader outside tests requires each file through a vm
		// context with n8n-core's own require, i.e. Node's module cache.
		const probe = `
			const fs = require('node:fs');
			const path = require('node:path');
			const { PackageDirectoryLoader } = require('n8n-core');
			const pkgDir = ${JSON.stringify(pkgDir)};
			(async () => {
				const loader = new PackageDirectoryLoader(pkgDir);
				await loader.loadAll();
				const inPackage = Object.keys(require.cache).filter((file) => file.startsWith(pkgDir + path.sep) && file.endsWith('.js'));
				const nodeFile = path.join(pkgDir, 'dist/nodes/KoreContacts/KoreContacts.node.js');
				const credentialFile = path.join(pkgDir, 'dist/credentials/KoreContactsApi.credentials.js');
				const childrenOf = (file) => require.cache[file].children.filter((m) => m.filename.startsWith(pkgDir + path.sep));
				const [nodeChild] = childrenOf(nodeFile);
				const [credentialChild] = childrenOf(credentialFile);
				process.stdout.write(JSON.stringify({
					loaded: inPackage.map((file) => path.relative(pkgDir, file)).sort(),
					definePacer: inPackage.filter((file) => /\\bPacer = class\\b|\\bclass Pacer\\b/.test(fs.readFileSync(file, 'utf8'))).map((file) => path.relative(pkgDir, file)),
					definePacerMap: inPackage.filter((file) => /\\bpacers = (\\/\\* @__PURE__ \\*\\/ )?new Map\\(/.test(fs.readFileSync(file, 'utf8'))).length,
					sameModule: Boolean(nodeChild) && nodeChild === credentialChild,
					nodeIsBundleExport: loader.nodeTypes.koreContacts.type.constructor === nodeChild.exports.KoreContacts,
					credentialIsBundleExport: loader.credentialTypes.koreContactsApi.type.constructor === nodeChild.exports.KoreContactsApi,
				}));
			})().catch((error) => { console.error(error); process.exit(1); });`;
		const out = JSON.parse(
			execFileSync(process.execPath, ['-e', probe], {
				cwd: ROOT,
				encoding: 'utf8',
				env: { ...process.env, NODE_ENV: 'production' },
			}),
		);
		expect(out).toEqual({
			loaded: [
				'dist/bundle.js',
				'dist/credentials/KoreContactsApi.credentials.js',
				'dist/nodes/KoreContacts/KoreContacts.node.js',
				'dist/nodes/KoreContactsTrigger/KoreContactsTrigger.node.js',
			],
			definePacer: ['dist/bundle.js'],
			definePacerMap: 1,
			sameModule: true,
			nodeIsBundleExport: true,
			credentialIsBundleExport: true,
		});
	}, 60_000);
});

describe("n8n's scanner (@n8n/scan-community-package analyzePackage)", () => {
	test('finds nothing in the tarball but n8n Cloud\'s rules on the vendored Redis client', () => {
		const result = scan('tarball', pkgDir, work);
		expect(result.message).not.toBe('No files found to analyze');
		expect(unexpectedFindings(result.findings, 'tarball')).toEqual([]);
		// no more uses of `process` and `node:fs` in the bundle than the one source file that reads n8n's queue settings has
		const readsIn = (findings: Finding[], file: string) => findings.filter((f) => f.file === file && queueSettingsRead(f)).length;
		expect(readsIn(result.findings, 'dist/bundle.js')).toBeLessThanOrEqual(readsIn(scan('source', ROOT, work).findings, 'nodes/KoreContacts/queue/environment.ts'));
	}, 60_000);

	test('finds nothing in the sources but the allowed library imports and the one read of n8n\'s queue settings', () => {
		const result = scan('source', ROOT, work);
		expect(result.message).not.toBe('No files found to analyze');
		expect(unexpectedFindings(result.findings, 'source')).toEqual([]);
	}, 60_000);

	test('reports a runtime dependency and a require of a library left outside the bundle (so the checks above can fail)', () => {
		const broken = path.join(work, 'broken');
		cpSync(pkgDir, broken, { recursive: true });
		const pkgFile = path.join(broken, 'package.json');
		const pkg = JSON.parse(readFileSync(pkgFile, 'utf8'));
		writeFileSync(pkgFile, JSON.stringify({ ...pkg, dependencies: { 'left-pad': '^1.3.0' } }, null, 2));
		writeFileSync(path.join(broken, 'dist/extra.js'), "'use strict';\nexports.pad = require('left-pad');\n");
		const result = scan('tarball', broken, work);
		expect(result.passed).toBe(false);
		expect([...new Set(unexpectedFindings(result.findings, 'tarball').map((f) => `${f.file} ${f.rule}`))].sort()).toEqual([
			'dist/extra.js @n8n/community-nodes/no-restricted-imports',
			'package.json @n8n/community-nodes/no-runtime-dependencies',
		]);
	}, 60_000);
});
