/**
 * An exact in-memory set of the ledger's 64-bit keys (`id_hash`, `message_hash`), each given as its
 * two 32-bit halves. It answers "might this key be stored?" so that a commit whose keys are all new
 * can skip scanning a whole key column. It may only ever err towards "maybe": a key that is stored
 * but missing here would let a copy in twice.
 * @module
 */

/** Slots start at this count (a power of two) and double as keys are added. */
const INITIAL_SLOTS = 1 << 12;

/*
 * Linear probing stays short up to 3/4 full (about 8.5 slots read for a key that is absent, 2.5 for
 * one that is present): 11–21 bytes a key, two thirds of what a table kept at most half full takes.
 */
const MAX_LOAD = 0.75;

export class KeyFilter {
  /** Pairs of (high, low) halves; (0, 0) marks an empty slot, so the key 0 is held by `holdsZero`. */
  private slots: Uint32Array;
  private mask: number;
  private count = 0;
  private holdsZero = false;
  private full = false;

  /**
   * `maxKeys` bounds the memory: once more keys than that were added, the filter lets its table go
   * and answers "maybe" for every key, which makes its owner scan as it would without one.
   */
  constructor(
    private readonly maxKeys: number,
    /** Keys about to be added: the table is sized for them at once, not grown step by step. */
    expected = 0,
  ) {
    if (!Number.isInteger(maxKeys) || maxKeys < 0)
      throw new Error(`maxKeys must be a whole number, got ${maxKeys}`);
    let slots = INITIAL_SLOTS;
    while (slots * MAX_LOAD < Math.min(expected, maxKeys)) slots *= 2;
    this.slots = new Uint32Array(slots * 2);
    this.mask = slots - 1;
  }

  /** Keys held; 0 once over `maxKeys`. */
  get size(): number {
    return this.count;
  }

  /** Whether the filter gave up on `maxKeys` and now answers "maybe" to everything. */
  get overflowed(): boolean {
    return this.full;
  }

  /** False only when the key was never added (`hi`, `lo`: its high and low 32 bits, unsigned). */
  mightHold(hi: number, lo: number): boolean {
    if (this.full) return true;
    hi >>>= 0;
    lo >>>= 0;
    if (hi === 0 && lo === 0) return this.holdsZero;
    return this.occupied(this.slotOf(hi, lo));
  }

  add(hi: number, lo: number): void {
    if (this.full) return;
    if (hi === 0 && lo === 0) {
      if (!this.holdsZero) this.countOne();
      this.holdsZero = true;
      return;
    }
    if (this.insert(hi >>> 0, lo >>> 0)) this.countOne();
  }

  /** Places a non-zero key; false if it was there already. */
  private insert(hi: number, lo: number): boolean {
    const i = this.slotOf(hi, lo);
    if (this.occupied(i)) return false;
    this.slots[2 * i] = hi;
    this.slots[2 * i + 1] = lo;
    return true;
  }

  /** The slot holding a non-zero key, or the empty slot where it would go. */
  private slotOf(hi: number, lo: number): number {
    const slots = this.slots;
    // The keys are MD5 bits, so their low half is already uniform: it is the hash.
    for (let i = lo & this.mask; ; i = (i + 1) & this.mask) {
      const h = slots[2 * i] as number;
      const l = slots[2 * i + 1] as number;
      if ((h === hi && l === lo) || (h === 0 && l === 0)) return i;
    }
  }

  private occupied(slot: number): boolean {
    return this.slots[2 * slot] !== 0 || this.slots[2 * slot + 1] !== 0;
  }

  private countOne(): void {
    this.count += 1;
    if (this.count > this.maxKeys) this.giveUp();
    else if (this.count > (this.mask + 1) * MAX_LOAD) this.grow();
  }

  /** Lets the table go: from now on every key "might" be held. */
  giveUp(): void {
    this.full = true;
    this.count = 0;
    this.slots = new Uint32Array(0);
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Uint32Array(old.length * 2);
    this.mask = this.slots.length / 2 - 1;
    for (let i = 0; i < old.length; i += 2) {
      const h = old[i] as number;
      const l = old[i + 1] as number;
      if (h !== 0 || l !== 0) this.insert(h, l);
    }
  }
}
