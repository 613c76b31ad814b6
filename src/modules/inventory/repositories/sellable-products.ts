import { mapProduct, type ProductResponse, type ProductRow } from '../dto/product.dto.js';
import { PRODUCT_COLUMNS } from './product.repository.js';

/**
 * Inventory's part of another module's ranked product read, so that the read is one indexed statement
 * (recommendations: its pair counts joined to the products they name, instead of a candidates query and
 * then a product look-up per call). Inventory keeps its tables, columns and what "sellable" means (active,
 * available > 0); the caller keeps its ranking. The caller's SQL must not use the aliases `p` and `s`.
 */
export const SellableProducts = {
  /** The columns `map` reads. */
  columns: PRODUCT_COLUMNS,
  /**
   * Joins the product named by `idColumn` (a qualified column of the caller's SQL, never user input) and
   * its stock, keeping only sellable ones: two primary-key look-ups per candidate (eq_ref).
   */
  join: (idColumn: string) =>
    `JOIN products p ON p.id = ${idColumn} AND p.active = 1
     JOIN stock_levels s ON s.product_id = p.id AND s.on_hand > s.reserved`,
  map: (row: ProductRow): ProductResponse => mapProduct(row),
} as const;

export type SellableProductRow = ProductRow;
