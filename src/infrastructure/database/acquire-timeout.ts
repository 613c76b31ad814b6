import type { DataSource } from 'typeorm';

interface PooledConnection {
  release(): void;
}
interface ConnectionSource {
  obtainMasterConnection(): Promise<PooledConnection>;
}

/**
 * mysql2's pool waits for a free connection forever; this bounds the wait so a saturated pool
 * answers 503 (the filter maps ERR_POOL_ACQUIRE_TIMEOUT) instead of hanging the request.
 * A connection that arrives after the deadline goes straight back to the pool.
 */
export function enforceAcquireTimeout(dataSource: DataSource, timeoutMs: number): void {
  const driver = dataSource.driver as unknown as ConnectionSource;
  const obtain = driver.obtainMasterConnection.bind(driver);
  driver.obtainMasterConnection = () =>
    new Promise<PooledConnection>((resolve, reject) => {
      let expired = false;
      const timer = setTimeout(() => {
        expired = true;
        reject(
          Object.assign(new Error('Timed out waiting for a database connection'), { code: 'ERR_POOL_ACQUIRE_TIMEOUT' }),
        );
      }, timeoutMs);
      obtain().then(
        (connection) => {
          clearTimeout(timer);
          if (expired) connection.release();
          else resolve(connection);
        },
        (error: unknown) => {
          clearTimeout(timer);
          if (!expired) reject(error);
        },
      );
    });
}
