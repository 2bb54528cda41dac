import { describe, expect, it } from 'vitest';
import {
  contactSchema,
  describePhoneProblem,
  maskEmail,
  maskPhone,
  phoneNumberSchema,
  toContactPhone,
  toE164,
} from './contact.js';

describe('phoneNumberSchema', () => {
  it('normalises valid international numbers to E.164', () => {
    expect(phoneNumberSchema.parse('+44 20 7946 0958')).toBe('+442079460958');
    expect(phoneNumberSchema.parse(' +1 (415) 555-2671 ')).toBe('+14155552671');
    expect(phoneNumberSchema.parse('+441234567898')).toBe('+441234567898');
  });

  it('rejects numbers without + and country code', () => {
    expect(phoneNumberSchema.safeParse('020 7946 0958').error?.issues[0]?.message).toBe(
      'Phone number must be in international format: + and the country code, e.g. +442079460958',
    );
  });

  it("rejects the seed's +4412345678987: 11 national digits is too long for the UK", () => {
    expect(toE164('+4412345678987')).toBeNull();
    expect(phoneNumberSchema.safeParse('+4412345678987').error?.issues[0]?.message).toBe(
      'Phone number is too long for its country code',
    );
  });

  it('names the problem for short, unknown-country and non-numeric input', () => {
    expect(describePhoneProblem('+44 20')).toBe('Phone number is too short');
    expect(describePhoneProblem('+999 1234 5678')).toBe('Phone number has an unknown country code');
    expect(describePhoneProblem('+hello')).not.toBeNull();
    expect(describePhoneProblem(`+44${'1'.repeat(50)}`)).toBe('Phone number must be at most 40 characters');
  });

  it('rejects a number of valid length whose digits no numbering plan uses', () => {
    // US area codes never start with 0 or 1: isPossible() would accept this, isValid() does not.
    expect(toE164('+1 015 555 2671')).toBeNull();
  });
});

describe('contactSchema', () => {
  it('accepts a partial update and leaves the other fields out', () => {
    expect(contactSchema.parse({ city: '  Manchester ' })).toEqual({ city: 'Manchester' });
  });

  it('accepts the seed contact (with a valid phone) and normalises the phone', () => {
    const contact = {
      country: 'England',
      state: 'Manchester',
      city: 'Manchester',
      address: '30, alice bob blvd.',
      phone: '+44 1234 567898',
    };
    expect(contactSchema.parse(contact)).toEqual({ ...contact, phone: '+441234567898' });
  });

  it("keeps the seed's exact contact phone: E.164 in shape though not valid in today's UK plan", () => {
    expect(contactSchema.parse({ phone: '+4412345678987' })).toEqual({ phone: '+4412345678987' });
    expect(toContactPhone('+44 1234-567 8987')).toBe('+4412345678987');
  });

  it('rejects contact phones that are not E.164 in shape', () => {
    for (const phone of ['+0123456789', '+1234567', '+1234567890123456', '4412345678987', '+44abc5678987']) {
      expect(contactSchema.safeParse({ phone }).success, phone).toBe(false);
    }
  });

  it('clears fields with null or an empty string', () => {
    expect(contactSchema.parse({ country: null, phone: null, address: '', city: '  ' })).toEqual({
      country: null,
      phone: null,
      address: null,
      city: null,
    });
  });

  it('enforces 100 characters for country, state and city and 200 for the address', () => {
    expect(contactSchema.safeParse({ country: 'c'.repeat(100) }).success).toBe(true);
    expect(contactSchema.safeParse({ country: 'c'.repeat(101) }).error?.issues[0]?.message).toBe(
      'Country must be at most 100 characters',
    );
    expect(contactSchema.safeParse({ state: 's'.repeat(101) }).success).toBe(false);
    expect(contactSchema.safeParse({ city: 'c'.repeat(101) }).success).toBe(false);
    expect(contactSchema.safeParse({ address: 'a'.repeat(200) }).success).toBe(true);
    expect(contactSchema.safeParse({ address: 'a'.repeat(201) }).success).toBe(false);
  });

  it('reports an invalid phone at contact path phone', () => {
    const result = contactSchema.safeParse({ phone: '12345' });
    expect(result.error?.issues[0]?.path).toEqual(['phone']);
  });

  it('rejects unknown keys', () => {
    expect(contactSchema.safeParse({ zip: '12345' }).success).toBe(false);
  });
});

describe('maskPhone', () => {
  it('keeps the first two and last three digits', () => {
    expect(maskPhone('+442079460987')).toBe('+44*******987');
    expect(maskPhone('+14155552671')).toBe('+14******671');
  });

  it('hides everything when the number is too short to mask partially', () => {
    expect(maskPhone('+12345')).toBe('+*****');
  });
});

describe('maskEmail', () => {
  it('shows min(3, max(1, length - 2)) characters of the local part', () => {
    expect(maskEmail('john@example.com')).toBe('jo***@example.com');
    expect(maskEmail('alexander@example.com')).toBe('ale***@example.com');
    expect(maskEmail('bob@example.com')).toBe('b***@example.com');
    expect(maskEmail('al@example.com')).toBe('a***@example.com');
    expect(maskEmail('a@example.com')).toBe('a***@example.com');
    expect(maskEmail('john.doe@example.com')).toBe('joh***@example.com');
  });

  it('never shows a whole local part longer than one character', () => {
    for (const local of ['ab', 'abc', 'abcd', 'abcde']) {
      expect(maskEmail(`${local}@x.io`).startsWith(`${local}***`)).toBe(false);
    }
  });

  it('masks a string without @ completely', () => {
    expect(maskEmail('not-an-email')).toBe('***');
  });
});
