/**
 * A TCP proxy in front of the test redis-server, to make n8n's Redis unreachable for a while: `cut()` drops
 * every connection and refuses new ones (as a network blip or a Redis restart does), `restore()` lets them
 * through again.
 */
import net from 'node:net';

export interface RedisProxy {
	port: number;
	cut(): void;
	restore(): void;
	close(): Promise<void>;
}

export async function startRedisProxy(targetPort: number): Promise<RedisProxy> {
	const sockets = new Set<net.Socket>();
	let open = true;
	const server = net.createServer((client) => {
		if (!open) {
			client.destroy();
			return;
		}
		const upstream = net.connect(targetPort, '127.0.0.1');
		for (const socket of [client, upstream]) {
			sockets.add(socket);
			socket.on('close', () => sockets.delete(socket));
			socket.on('error', () => undefined);
		}
		client.pipe(upstream).pipe(client);
		client.on('close', () => upstream.destroy());
		upstream.on('close', () => client.destroy());
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		port: (server.address() as net.AddressInfo).port,
		cut: () => {
			open = false;
			for (const socket of sockets) socket.destroy();
		},
		restore: () => {
			open = true;
		},
		close: async () => {
			for (const socket of sockets) socket.destroy();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}
