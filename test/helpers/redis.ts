/**
 * A throwaway redis-server on a free loopback port, for the queue-mode tests (n8n's queue mode keeps its
 * queue in Redis; the node shares its budget and locks there). `.ci/run` installs Debian's redis-server;
 * without it these tests fail, they are not skipped.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createServer, Socket } from 'node:net';

export interface TestRedis {
	port: number;
	stop(): Promise<void>;
}

async function freePort(): Promise<number> {
	return await new Promise((resolve, reject) => {
		const server = createServer();
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as { port: number };
			server.close(() => resolve(port));
		});
		server.on('error', reject);
	});
}

async function answersPing(port: number): Promise<boolean> {
	return await new Promise((resolve) => {
		const socket = new Socket();
		socket.setTimeout(500);
		socket.once('data', (data) => {
			socket.destroy();
			resolve(data.toString().startsWith('+PONG'));
		});
		socket.once('error', () => resolve(false));
		socket.once('timeout', () => {
			socket.destroy();
			resolve(false);
		});
		socket.connect(port, '127.0.0.1', () => socket.write('PING\r\n'));
	});
}

export async function startRedis(): Promise<TestRedis> {
	const port = await freePort();
	const child: ChildProcess = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
		stdio: 'ignore',
	});
	const failed = new Promise<never>((_, reject) => {
		child.once('error', (error) => reject(new Error(`redis-server could not start (${error.message}); .ci/run installs it: apt-get install redis-server`)));
	});
	const deadline = Date.now() + 10_000;
	while (!(await Promise.race([answersPing(port), failed]))) {
		if (Date.now() > deadline) throw new Error('redis-server did not answer within 10 s');
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
	return {
		port,
		stop: async () => {
			if (child.exitCode !== null) return;
			const exited = new Promise((resolve) => child.once('exit', resolve));
			child.kill('SIGTERM');
			await exited;
		},
	};
}
