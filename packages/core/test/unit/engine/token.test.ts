import { describe, expect, it } from 'vitest';
import { decodeToken, encodeToken, fingerprintOf, ReplayTokenError } from '../../../src/engine/token.js';

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

describe('replay tokens: encoding', () => {
  it('writes the thread count in base 36 and a run of one without a count', () => {
    expect(encodeToken('f', 12, [11, 0, 0, 11])).toBe('pc1.f.c.la2l');
    expect(encodeToken('f', 1, [])).toBe('pc1.f.1.');
  });

  it("appends the weak model's picks, '@' for an initial value, and an empty fifth part for none", () => {
    const picks = [
      { tid: 1, index: 1, alt: { tid: 0, index: 0, value: 1 } },
      { tid: 0, index: 3, alt: { tid: -1, index: 2, value: -5 } },
    ];
    const token = encodeToken('f', 2, [0, 1], picks);
    expect(token).toBe('pc1.f.2.ab.b1=a0:1,a3=@2:-5');
    expect(decodeToken(token)).toEqual({ fingerprint: 'f', threads: 2, schedule: [0, 1], picks });
    expect(encodeToken('f', 2, [0, 1], [])).toBe('pc1.f.2.ab.');
    expect(decodeToken('pc1.f.2.ab.')).toEqual({ fingerprint: 'f', threads: 2, schedule: [0, 1], picks: [] });
  });
});

describe('replay tokens: decoding', () => {
  it('reads counts of several digits, a zero count, and ignores surrounding blanks', () => {
    expect(decodeToken('  pc1.f.2.a10b  ').schedule).toEqual([...Array(10).fill(0), 1]);
    expect(decodeToken('pc1.f.2.a0b').schedule).toEqual([1]);
    expect(decodeToken('pc1.f.2.').schedule).toEqual([]);
  });

  it('names the type of a value that is not a string', () => {
    expect(() => decodeToken(42 as unknown as string)).toThrow(new ReplayTokenError('a replay token is a string like pc1.xxxxxxx.2.a5b3, got number'));
    expect(() => decodeToken(42 as unknown as string)).toThrow(ReplayTokenError);
  });

  it('wants four parts (five under lkmm) and the pc1 prefix', () => {
    const msg = (t: string): string =>
      `'${t}' is not a pagecheck replay token: expected four dot-separated parts starting with 'pc1.', five for a run under memoryModel lkmm (copy the whole token from the failure message)`;
    for (const t of ['pc1.f.2', 'pc1.f.2.ab.b1=a0:1.x', 'pc2.f.2.ab', 'x.f.2.ab.']) expect(() => decodeToken(t)).toThrow(new ReplayTokenError(msg(t)));
  });

  it('wants a base-36 fingerprint, with an optional identity after one dash', () => {
    const msg = (t: string, fp: string): string => `replay token '${t}': the fingerprint '${fp}' must be base-36 letters and digits (with its spec identity after a '-')`;
    for (const fp of ['', 'AB', 'a-b-c', '-a', 'a b']) {
      const t = `pc1.${fp}.2.ab`;
      expect(() => decodeToken(t)).toThrow(new ReplayTokenError(msg(t, fp)));
    }
    expect(decodeToken('pc1.0z-9y.2.ab')).toEqual({ fingerprint: '0z', identity: '9y', threads: 2, schedule: [0, 1] });
  });

  it('wants a thread count from 1 to 30 in base 36', () => {
    const msg = (t: string, n: string): string => `replay token '${t}': the thread count '${n}' is not a number from 1 to 30`;
    // ' 2' and '2!' are numbers to parseInt (leading blanks, trailing garbage): only the pattern refuses them.
    for (const n of ['0', 'v', '10', '', '-1', '2x!', 'A', ' 2', '2!']) {
      const t = `pc1.f.${n}.a`;
      expect(() => decodeToken(t)).toThrow(new ReplayTokenError(msg(t, n)));
    }
    expect(decodeToken('pc1.f.1.a').threads).toBe(1);
    expect(decodeToken('pc1.f.u.a').threads).toBe(30);
  });

  it('names the first character of the schedule it cannot read, and a thread beyond the count', () => {
    expect(() => decodeToken('pc1.f.2.ab3X')).toThrow(new ReplayTokenError("replay token 'pc1.f.2.ab3X': unexpected 'X' at position 3 of the schedule 'ab3X'"));
    expect(() => decodeToken('pc1.f.2.7a')).toThrow(new ReplayTokenError("replay token 'pc1.f.2.7a': unexpected '7' at position 0 of the schedule '7a'"));
    expect(() => decodeToken('pc1.f.2.b')).not.toThrow();
    expect(() => decodeToken('pc1.f.2.ac')).toThrow(new ReplayTokenError("replay token 'pc1.f.2.ac' names thread 2 but says the spec has 2 threads"));
  });

  it('names a memory-model choice it cannot read', () => {
    for (const entry of ['b1=a0', 'b=a0:1', 'B1=a0:1', 'b1=a0:1x', 'xb1=a0:1', 'b1=@:1']) {
      const t = `pc1.f.2.ab.a0=@0:0,${entry}`;
      expect(() => decodeToken(t)).toThrow(new ReplayTokenError(`replay token '${t}': the memory-model choice '${entry}' is not like b1=a0:1`));
    }
    expect(decodeToken('pc1.f.2.ab.b12=@3:-7').picks).toEqual([{ tid: 1, index: 12, alt: { tid: -1, index: 3, value: -7 } }]);
  });
});

describe('fingerprintOf', () => {
  it('is the 32-bit FNV-1a hash, in base 36', () => {
    // The FNV-1a test vectors: '' -> 0x811c9dc5, 'a' -> 0xe40c292c, 'foobar' -> 0xbf9cf968.
    expect(fingerprintOf('')).toBe((0x811c9dc5).toString(36));
    expect(fingerprintOf('a')).toBe((0xe40c292c).toString(36));
    expect(fingerprintOf('foobar')).toBe((0xbf9cf968).toString(36));
  });
});

describe('replay tokens carrying choices (failAlloc outcomes)', () => {
  it('round-trips the choices after the schedule, with multi-digit steps and outcomes', () => {
    const decisions = [{ tid: 1, index: 12, value: 1 }, { tid: 0, index: 7, value: 10 }, { tid: 2, index: 0, value: 0 }];
    const token = encodeToken('f00', 3, [0, 1, 1, 2], undefined, undefined, decisions);
    expect(token).toBe('pc1.f00.3.ab2c+b12=1,a7=10,c0=0');
    expect(decodeToken(token)).toEqual({ fingerprint: 'f00', threads: 3, schedule: [0, 1, 1, 2], decisions });
  });

  it('keeps the choices apart from the memory-model picks of a five-part token', () => {
    const picks = [{ tid: 1, index: 3, alt: { tid: -1, index: 0, value: 0 } }];
    const token = encodeToken('f00', 2, [0, 1], picks, 'id1', [{ tid: 0, index: 2, value: 1 }]);
    expect(token).toBe('pc1.f00-id1.2.ab+a2=1.b3=@0:0');
    expect(decodeToken(token)).toEqual({ fingerprint: 'f00', identity: 'id1', threads: 2, schedule: [0, 1], picks, decisions: [{ tid: 0, index: 2, value: 1 }] });
  });

  it('reads an empty list of choices as none', () => {
    expect(decodeToken('pc1.f00.2.ab+')).toEqual({ fingerprint: 'f00', threads: 2, schedule: [0, 1], decisions: [] });
  });

  it('rejects a choice that is not thread letter, step index, outcome, naming it', () => {
    const msg = (t: string, entry: string): string => `replay token '${t}': the choice '${entry}' is not like b2=1 (thread letter, step index, outcome)`;
    for (const entry of ['b2', 'B2=1', 'xb2=1', 'b2=1x', 'b=1', 'b2=', 'bb=1', 'b2=x', '2=1', 'b2==1']) {
      const t = `pc1.f00.3.ab+a1=0,${entry}`;
      expect(() => decodeToken(t)).toThrow(new ReplayTokenError(msg(t, entry)));
    }
  });

  it('rejects a choice naming a thread the token does not have', () => {
    const t = 'pc1.f00.2.ab+c1=1';
    expect(() => decodeToken(t)).toThrow(new ReplayTokenError(`replay token '${t}': the choice 'c1=1' names thread 2 but the token says the spec has 2 threads`));
    expect(decodeToken('pc1.f00.2.ab+b1=1').decisions).toEqual([{ tid: 1, index: 1, value: 1 }]);
  });
});

describe('replay tokens with an empty schedule', () => {
  it('reads choices right after the thread count', () => {
    expect(decodeToken('pc1.f00.2.+a1=1')).toEqual({ fingerprint: 'f00', threads: 2, schedule: [], decisions: [{ tid: 0, index: 1, value: 1 }] });
    expect(encodeToken('f00', 2, [], undefined, undefined, [{ tid: 0, index: 1, value: 1 }])).toBe('pc1.f00.2.+a1=1');
  });
});
