import type { IncomingMessage, ServerResponse } from 'node:http';

export type Middleware = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void;

/**
 * The headers a middleware sets, captured by running it once against a stand-in response. Only for
 * middleware whose headers never depend on the request (helmet with static options): fails at start
 * if it touches the request, answers asynchronously or fails.
 */
export function staticHeadersOf(middleware: Middleware): [string, string | number | readonly string[]][] {
  const headers = new Map<string, string | number | readonly string[]>();
  const res = {
    setHeader: (name: string, value: string | number | readonly string[]) => void headers.set(name, value),
    removeHeader: (name: string) => void headers.delete(name),
  };
  const req = new Proxy(
    {},
    {
      get: (_target, property) => {
        throw new Error(`static headers: the middleware read req.${String(property)}`);
      },
    },
  );
  let finished = false;
  middleware(req as IncomingMessage, res as unknown as ServerResponse, (error?: unknown) => {
    if (error) throw error instanceof Error ? error : new Error(String(error));
    finished = true;
  });
  if (!finished) throw new Error('static headers: the middleware did not finish synchronously');
  return [...headers];
}
