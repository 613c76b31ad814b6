import { once } from 'node:events';
import net from 'node:net';

/** A free loopback port (the OS picks one; the tiny race until a server binds it is fine in tests). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}
