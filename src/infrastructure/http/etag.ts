import { hash } from 'node:crypto';

/** The hash behind every ETag (SHA-1, base64, as @fastify/etag's default), through the one-shot crypto.hash. */
export const bodyHash = (payload: string | Buffer): string => hash('sha1', payload, 'base64');

/** The weak ETag @fastify/etag (weak: true, hashFn: bodyHash) gives the same body. */
export const weakEtagOf = (payload: string | Buffer): string => `W/"${bodyHash(payload)}"`;
