import { Injectable } from '@nestjs/common';
import { ownerScope } from '../../../common/auth/ownership.js';
import { hasPermission } from '../../../common/auth/permissions.js';
import { notFound } from '../../../common/errors/domain-error.js';
import { decodeCursor, type Page, pageSize, toPage } from '../../../common/pagination/pagination.js';
import type { AuthenticatedActor } from '../../../infrastructure/http/request-context.js';
import { mapOrder, type OrderListQuery, type OrderResponse } from '../dto/order.dto.js';
import { type Order, VISIBLE_ORDER_STATUSES } from '../entities/order.entity.js';
import { OrderRepository } from '../repositories/order.repository.js';

const isVisible = (order: Order) => (VISIBLE_ORDER_STATUSES as readonly string[]).includes(order.status);

/** Reads: the owner, staff and admin see an order; anyone else gets 404, as for a missing one. */
@Injectable()
export class OrderQueryService {
  constructor(private readonly orders: OrderRepository) {}

  async get(actor: AuthenticatedActor, id: string): Promise<OrderResponse> {
    const order = await this.orders.findById(id);
    if (!order || !isVisible(order)) throw notFound('Order');
    if (order.userId !== actor.id && !hasPermission(actor.roles, 'orders:read-all')) throw notFound('Order');
    return this.withLines(order);
  }

  async list(actor: AuthenticatedActor, query: OrderListQuery): Promise<Page<OrderResponse>> {
    const limit = pageSize(query);
    const [beforeId] = (decodeCursor(query.cursor, 1) ?? []) as string[];
    const userId = ownerScope(actor, 'orders:read-all') ?? query.userId;
    const rows = await this.orders.list({ userId, beforeId, limit: limit + 1 });
    const lines = await this.orders.lines(rows.slice(0, limit).map((row) => row.id));
    return toPage(
      rows,
      limit,
      (row) => [row.id],
      (row) => mapOrder(row, lines.get(row.id) ?? []),
    );
  }

  async withLines(order: Order): Promise<OrderResponse> {
    const lines = await this.orders.lines([order.id]);
    return mapOrder(order, lines.get(order.id) ?? []);
  }
}
