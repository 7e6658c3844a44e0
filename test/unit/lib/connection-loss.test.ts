import { describe, expect, it } from 'vitest';
import { isConnectionLoss, whileUnreachable } from '../../../server/lib/connection-loss.ts';

const pgError = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('isConnectionLoss', () => {
  it('recognises a server going away, refusing or not yet ready, however pg reports it', () => {
    expect(isConnectionLoss(pgError('57P01', 'terminating connection due to administrator command'))).toBe(true);
    expect(isConnectionLoss(pgError('57P03', 'the database system is starting up'))).toBe(true);
    expect(isConnectionLoss(pgError('08006'))).toBe(true);
    expect(isConnectionLoss(pgError('ECONNREFUSED'))).toBe(true);
    expect(isConnectionLoss(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isConnectionLoss(new Error('Client has encountered a connection error and is not queryable'))).toBe(true);
    expect(isConnectionLoss(new Error('wrapped', { cause: pgError('ECONNRESET') }))).toBe(true);
  });

  it('leaves statement errors alone: retrying them changes nothing', () => {
    expect(isConnectionLoss(pgError('23505', 'duplicate key value violates unique constraint'))).toBe(false);
    expect(isConnectionLoss(pgError('42P01', 'relation "x" does not exist'))).toBe(false);
    expect(isConnectionLoss(pgError('57014', 'canceling statement due to statement timeout'))).toBe(false);
    expect(isConnectionLoss(new Error('not a uuid'))).toBe(false);
  });
});

describe('whileUnreachable', () => {
  it('tries again while the database is away and answers once it is back', async () => {
    let calls = 0;
    const waited: unknown[] = [];
    const value = await whileUnreachable(
      async () => {
        calls += 1;
        if (calls < 3) throw pgError('57P03');
        return 'done';
      },
      { onWait: (err) => waited.push(err) },
    );
    expect(value).toBe('done');
    expect(calls).toBe(3);
    expect(waited).toHaveLength(1);
  });

  it('fails at once on another error, and after the deadline on a lasting outage', async () => {
    await expect(
      whileUnreachable(async () => {
        throw pgError('23505');
      }),
    ).rejects.toMatchObject({ code: '23505' });
    await expect(
      whileUnreachable(
        async () => {
          throw pgError('ECONNREFUSED');
        },
        { giveUpAfterMs: 250 },
      ),
    ).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});
