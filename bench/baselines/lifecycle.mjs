// Shared plumbing for the baseline servers: loopback only, port from PORT, and they never outlive
// the harness (it holds their stdin open; when the harness dies, stdin closes and they exit).

export function listenOptions() {
  const port = Number(process.env.PORT);
  if (!Number.isInteger(port) || port <= 0 || port > 65535)
    throw new Error(`PORT must be set, got "${process.env.PORT}"`);
  return { host: '127.0.0.1', port };
}

/** Calls close() once on SIGTERM/SIGINT or when the parent goes away; exits whatever happens within 3 s. */
export function exitWithParent(close) {
  let closing = false;
  const stop = () => {
    if (closing) return;
    closing = true;
    setTimeout(() => process.exit(0), 3000).unref();
    Promise.resolve()
      .then(close)
      .finally(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  process.stdin.on('end', stop);
  process.stdin.on('close', stop);
  process.stdin.resume();
}
