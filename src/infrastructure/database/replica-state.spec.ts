import { describe, expect, it } from '@jest/globals';
import { replicaStateOf } from './replica-state.js';

describe(replicaStateOf.name, () => {
  it('is up within the lag bound (MariaDB and MySQL 8 column names)', () => {
    expect(replicaStateOf([{ Seconds_Behind_Master: 0 }], 5)).toEqual({ status: 'up', lagSeconds: 0 });
    expect(replicaStateOf([{ Seconds_Behind_Source: '5' }], 5)).toEqual({ status: 'up', lagSeconds: 5 });
  });

  it('is lagging beyond the bound', () => {
    expect(replicaStateOf([{ Seconds_Behind_Master: 6 }], 5)).toEqual({ status: 'lagging', lagSeconds: 6 });
  });

  it('is down when replication is stopped (NULL lag) or the server is no replica', () => {
    expect(replicaStateOf([{ Seconds_Behind_Master: null }], 5)).toEqual({
      status: 'down',
      reason: 'replication stopped',
    });
    expect(replicaStateOf([], 5)).toEqual({ status: 'down', reason: 'not replicating' });
  });
});
