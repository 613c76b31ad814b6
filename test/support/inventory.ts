import { randomUUID } from 'node:crypto';
import { expect } from '@jest/globals';
import type { TestApp } from './test-app.js';
import type { TestUser } from './users.js';

/** Creates a product through the API and returns its body. */
export async function createProduct(
  t: TestApp,
  staff: TestUser,
  overrides: Record<string, unknown> = {},
): Promise<{ id: string; sku: string; version: number; [key: string]: unknown }> {
  const res = await t
    .http()
    .post('/api/v1/products')
    .set(staff.auth)
    .send({
      sku: `SKU-${randomUUID().slice(0, 8)}`,
      name: 'Test product',
      priceCents: 1000,
      currency: 'EUR',
      initialStock: 10,
      ...overrides,
    });
  expect(res.status).toBe(201);
  return res.body;
}

/** GET /inventory/reconcile as `admin`, asserting the ledger adds up. */
export async function expectReconciled(t: TestApp, admin: TestUser): Promise<void> {
  const res = await t.http().get('/api/v1/inventory/reconcile').set(admin.auth).expect(200);
  expect(res.body.mismatches).toEqual([]);
  expect(res.body.ok).toBe(true);
}

export async function stockOf(t: TestApp, productId: string): Promise<{ onHand: number; reserved: number }> {
  const [row] = await t.dataSource.query('SELECT on_hand, reserved FROM stock_levels WHERE product_id = ?', [
    productId,
  ]);
  return { onHand: Number(row.on_hand), reserved: Number(row.reserved) };
}
