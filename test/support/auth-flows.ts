import { randomUUID } from 'node:crypto';
import type { TestApp } from './test-app.js';

export const PASSWORD = 'correct horse battery staple';

export interface Registered {
  id: string;
  email: string;
  accessToken: string;
  refreshToken: string;
  auth: { authorization: string };
}

export function uniqueEmail(tag = 'user'): string {
  return `${tag}-${randomUUID()}@Example.COM`;
}

/** Registers through the API and returns the issued tokens. */
export async function register(t: TestApp, email = uniqueEmail(), password = PASSWORD): Promise<Registered> {
  const res = await t.http().post('/api/v1/auth/register').send({ email, password, name: 'Ada' });
  if (res.status !== 201) throw new Error(`register failed: ${res.status} ${JSON.stringify(res.body)}`);
  return {
    id: res.body.user.id,
    email: res.body.user.email,
    accessToken: res.body.accessToken,
    refreshToken: res.body.refreshToken,
    auth: { authorization: `Bearer ${res.body.accessToken}` },
  };
}

export function login(t: TestApp, email: string, password = PASSWORD) {
  return t.http().post('/api/v1/auth/login').send({ email, password });
}

export function auditRows(t: TestApp, action: string, entityId: string) {
  return t.dataSource.query('SELECT * FROM audit_events WHERE action = ? AND entity_id = ? ORDER BY id', [
    action,
    entityId,
  ]) as Promise<Array<Record<string, unknown> & { changes: string; outcome: string; actor_id: string | null }>>;
}
