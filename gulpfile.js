// The build (`npm run build` type-checks with tsc first, then runs `gulp build`):
//
//  1. bundle: esbuild bundles every node and credential listed in package.json "n8n", with all the code they
//     import — our sources and every library (jose, …) — into ONE CommonJS file, dist/bundle.js. Only
//     n8n-workflow (n8n's own copy, a peer dependency) and Node built-ins stay outside, so the published package
//     has no `dependencies`. One file means one copy of every module: process-wide state (the per-account
//     pacing queues, lookups) is shared by the node, the credential and every execution, as with plain
//     `require`. Nothing here names a source file or a library: a new source file or a new library is bundled
//     because something imports it, and a new node or credential because package.json "n8n" lists it.
//  2. entries: each file package.json "n8n" lists (what n8n loads) is written as a two-line file that re-exports
//     its class from the bundle, at the path n8n expects, so n8n finds the codex and icons beside it.
//  3. assets: icons and the codex .node.json files, copied next to those files, keeping the folder layout.
const fs = require('node:fs');
const path = require('node:path');

const esbuild = require('esbuild');
const { dest, series, src, task } = require('gulp');

const ROOT = __dirname;
const OUT_DIR = path.join(ROOT, 'dist');
const BUNDLE = path.join(OUT_DIR, 'bundle.js');
/** Provided by n8n at run time (peer dependency); Node built-ins are external on platform 'node'. */
const EXTERNAL = ['n8n-workflow'];
/**
 * Libraries bundled into a file of their own, dist/vendor/<name>.js, that dist/bundle.js requires: those
 * that n8n Cloud's rules flag (timers, `process`, Node built-ins), so the package test can tell their code from
 * ours. ioredis is used only in n8n's queue mode (see nodes/KoreContacts/queue/).
 */
const VENDOR = ['ioredis'];
const VENDOR_DIR = path.join(OUT_DIR, 'vendor');

/** The files n8n loads (package.json "n8n"), with the class each exports and the source it is built from. */
function entries() {
	const { n8n } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
	return [...(n8n.nodes ?? []), ...(n8n.credentials ?? [])].map((file) => {
		const match = /^dist\/(.+)\.js$/.exec(file);
		if (!match) throw new Error(`package.json "n8n" lists ${file}: expected dist/<path>.js`);
		return {
			file: path.join(ROOT, file),
			source: `./${match[1]}.ts`,
			// n8n requires the exported class to be named as the file, up to the first dot
			className: path.basename(file).split('.')[0],
		};
	});
}

async function clean() {
	await fs.promises.rm(OUT_DIR, { recursive: true, force: true });
}

async function bundle() {
	const contents = entries()
		.map(({ className, source }) => `export { ${className} } from ${JSON.stringify(source)};`)
		.join('\n');
	await esbuild.build({
		stdin: { contents, resolveDir: ROOT, sourcefile: 'n8n-entries.ts', loader: 'ts' },
		outfile: BUNDLE,
		bundle: true,
		platform: 'node',
		format: 'cjs',
		target: 'node20',
		external: EXTERNAL,
		tsconfig: path.join(ROOT, 'tsconfig.json'),
		keepNames: true,
		logLevel: 'warning',
		plugins: [vendorPlugin()],
	});
	for (const name of VENDOR) {
		await esbuild.build({
			stdin: { contents: `module.exports = require(${JSON.stringify(name)});`, resolveDir: ROOT, sourcefile: `${name}.js` },
			outfile: path.join(VENDOR_DIR, `${name}.js`),
			bundle: true,
			platform: 'node',
			format: 'cjs',
			target: 'node20',
			external: EXTERNAL,
			logLevel: 'warning',
		});
	}
}

/** Rewrites imports of a VENDOR library in the bundle to a require of its vendor file. */
function vendorPlugin() {
	const filter = new RegExp(`^(${VENDOR.map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})$`);
	return {
		name: 'vendor',
		setup(build) {
			build.onResolve({ filter }, (args) => ({ path: `./vendor/${args.path}.js`, external: true }));
		},
	};
}

async function writeEntries() {
	for (const { file, className } of entries()) {
		let bundlePath = path.relative(path.dirname(file), BUNDLE).split(path.sep).join('/');
		if (!bundlePath.startsWith('.')) bundlePath = `./${bundlePath}`;
		await fs.promises.mkdir(path.dirname(file), { recursive: true });
		await fs.promises.writeFile(
			file,
			`'use strict';\n// The code is in the package's one bundle (see gulpfile.js), so it exists once per process.\n` +
				`exports.${className} = require(${JSON.stringify(bundlePath)}).${className};\n`,
		);
	}
}

function buildAssets() {
	return src(['nodes/**/*.{svg,png,json}', 'credentials/**/*.{svg,png,json}'], {
		base: '.',
		encoding: false,
	}).pipe(dest('dist'));
}

task('build:assets', buildAssets);
task('build', series(clean, bundle, writeEntries, buildAssets));
