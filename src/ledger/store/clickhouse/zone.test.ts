import { describe, expect, it } from 'vitest';
import { isKnownZone, isQuarterHourZone } from './zone.js';

describe('isQuarterHourZone', () => {
  it('accepts zones whose offsets have all been whole quarter hours since 1970', () => {
    for (const zone of [
      'UTC',
      'Asia/Tokyo',
      'Asia/Kolkata',
      'Asia/Kathmandu',
      'America/Los_Angeles',
      'Pacific/Chatham',
    ]) {
      expect(isQuarterHourZone(zone)).toBe(true);
    }
  });

  it('refuses zones with local-mean-time offsets after 1970, and unknown names', () => {
    expect(isQuarterHourZone('Africa/Monrovia')).toBe(false);
    expect(isQuarterHourZone('Not/AZone')).toBe(false);
    expect(isKnownZone("UTC'; DROP TABLE usage; --")).toBe(false);
    expect(isKnownZone('')).toBe(false);
  });
});
