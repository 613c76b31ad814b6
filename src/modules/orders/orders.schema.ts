import { Orders1796173424629 } from '../../../migrations/1796173424629-Orders.js';
import { OrderLine } from './entities/order-line.entity.js';
import { OrderRefund } from './entities/order-refund.entity.js';
import { Order } from './entities/order.entity.js';

/** The orders module's tables: the composition root concatenates every module's lists. */
export const ORDERS_ENTITIES = [Order, OrderLine, OrderRefund];
export const ORDERS_MIGRATIONS = [Orders1796173424629];
