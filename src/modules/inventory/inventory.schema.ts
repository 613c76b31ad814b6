import { Inventory1764320300000 } from '../../../migrations/1764320300000-Inventory.js';
import { ReservationLimits1796173000789 } from '../../../migrations/1796173000789-ReservationLimits.js';
import type { ModuleSchema } from '../../infrastructure/database/module-schema.js';
import { Product } from './entities/product.entity.js';
import { ReservationHolder } from './entities/reservation-holder.entity.js';
import { ReservationItem } from './entities/reservation-item.entity.js';
import { Reservation } from './entities/reservation.entity.js';
import { StockLevel } from './entities/stock-level.entity.js';
import { StockMovement } from './entities/stock-movement.entity.js';

export const inventorySchema: ModuleSchema = {
  entities: [Product, StockLevel, StockMovement, Reservation, ReservationItem, ReservationHolder],
  migrations: [Inventory1764320300000, ReservationLimits1796173000789],
};
