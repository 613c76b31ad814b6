import { Orders1796173424629 } from '../../../migrations/1796173424629-Orders.js';
import type { ModuleSchema } from '../../infrastructure/database/module-schema.js';
import { OrderLine } from './entities/order-line.entity.js';
import { OrderRefund } from './entities/order-refund.entity.js';
import { Order } from './entities/order.entity.js';

export const ordersSchema: ModuleSchema = {
  entities: [Order, OrderLine, OrderRefund],
  migrations: [Orders1796173424629],
};
