import { Foundation1764320000000 } from '../../../migrations/1764320000000-Foundation.js';
import { AuditEvents1764320000002 } from '../../../migrations/1764320000002-AuditEvents.js';
import { Users1764320000001 } from '../../../migrations/1764320000001-Users.js';
import { AuthSessions1764320100000 } from '../../../migrations/1764320100000-AuthSessions.js';
import { AuditChain1764320200000 } from '../../../migrations/1764320200000-AuditChain.js';
import { Inventory1764320300000 } from '../../../migrations/1764320300000-Inventory.js';
import { IdempotencyRecord } from '../../common/idempotency/idempotency-record.entity.js';
import { AuditChainLink } from '../../modules/audit/entities/audit-chain-link.entity.js';
import { AuditEvent } from '../../modules/audit/entities/audit-event.entity.js';
import { AuthSession } from '../../modules/auth/entities/auth-session.entity.js';
import { RefreshToken } from '../../modules/auth/entities/refresh-token.entity.js';
import { User } from '../../modules/auth/entities/user.entity.js';
import { Product } from '../../modules/inventory/entities/product.entity.js';
import { ReservationItem } from '../../modules/inventory/entities/reservation-item.entity.js';
import { Reservation } from '../../modules/inventory/entities/reservation.entity.js';
import { StockLevel } from '../../modules/inventory/entities/stock-level.entity.js';
import { StockMovement } from '../../modules/inventory/entities/stock-movement.entity.js';
import { Subscriptions1764320400000 } from '../../../migrations/1764320400000-Subscriptions.js';
import { AuthHardening1796173454665 } from '../../../migrations/1796173454665-AuthHardening.js';
import { IdempotencyLease1796174933406 } from '../../../migrations/1796174933406-IdempotencyLease.js';
import { Invoice } from '../../modules/subscriptions/entities/invoice.entity.js';
import { PaymentAttempt } from '../../modules/subscriptions/entities/payment-attempt.entity.js';
import { Plan } from '../../modules/subscriptions/entities/plan.entity.js';
import { Subscription } from '../../modules/subscriptions/entities/subscription.entity.js';

/**
 * Every entity and migration, listed explicitly: TypeORM's glob loading uses dynamic import(),
 * which jest's ESM runtime cannot serve from a second test file. Add new ones at the end.
 */
export const ENTITIES = [
  IdempotencyRecord,
  User,
  AuditEvent,
  AuthSession,
  RefreshToken,
  AuditChainLink,
  Product,
  StockLevel,
  StockMovement,
  Reservation,
  ReservationItem,
  Plan,
  Subscription,
  Invoice,
  PaymentAttempt,
];

export const MIGRATIONS = [
  Foundation1764320000000,
  Users1764320000001,
  AuditEvents1764320000002,
  AuthSessions1764320100000,
  AuditChain1764320200000,
  Inventory1764320300000,
  Subscriptions1764320400000,
  AuthHardening1796173454665,
  IdempotencyLease1796174933406,
];
