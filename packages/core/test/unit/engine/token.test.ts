import { describe, expect, it } from 'vitest';
import { decodeToken, encodeToken, ReplayTokenError } from '../../../src/engine/token.js';

describe('replay tokens', () => {
  it('round-trips a schedule', () => {
    const schedule = [0, 0, 0, 1, 1, 0, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2];
    const token = encodeToken('abc123', 3, schedule);
    expect(token).toBe('pc1.abc123.3.a3b2ac12');
    expect(decodeToken(token)).toEqual({ fingerprint: 'abc123', threads: 3, schedule });
  });

  it("carries the spec's identity after its fingerprint, and reads tokens without one", () => {
    const token = encodeToken('abc123', 2, [0, 1, 1], undefined, 'xyz9');
    expect(token).toBe('pc1.abc123-xyz9.2.ab2');
    expect(decodeToken(token)).toEqual({ fingerprint: 'abc123', identity: 'xyz9', threads: 2, schedule: [0, 1, 1] });
    expect(decodeToken('pc1.abc123.2.ab2')).toEqual({ fingerprint: 'abc123', threads: 2, schedule: [0, 1, 1] });
    expect(() => decodeToken('pc1.abc-.2.ab2')).toThrow(/the fingerprint 'abc-' must be base-36 letters and digits/);
  });

  it('rejects a string that is not a token, saying what a token looks like', () => {
    expect(() => decodeToken('hello')).toThrow(ReplayTokenError);
    expect(() => decodeToken('hello')).toThrow(/four dot-separated parts starting with 'pc1\.'/);
  });

  it('rejects a schedule naming a thread the token does not have', () => {
    expect(() => decodeToken('pc1.abc.2.a3c1')).toThrow(/names thread 2 but says the spec has 2 threads/);
  });

  it('rejects garbage in the schedule part', () => {
    expect(() => decodeToken('pc1.abc.2.a3-b')).toThrow(/unexpected '-' at position 2/);
  });
});
