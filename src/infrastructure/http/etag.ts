import { hash } from 'node:crypto';

/**
 * The weak ETag of a body: SHA-1, base64 (the tags @fastify/etag gave before the onSend hook took its
 * place, so clients' stored tags stay valid), through the one-shot crypto.hash (no Hash object per response).
 * Set by the onSend hook (http-hooks.ts) and, once per cached object, by direct routes (direct-route.ts).
 */
export const weakEtagOf = (payload: string | Buffer): string => `W/"${hash('sha1', payload, 'base64')}"`;
