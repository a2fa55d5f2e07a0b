/**
 * Phone numbers as Kore keeps them and as CRMs send them. Kore stores `countryCode` + digits
 * (`98765xxxxx` with `+91` comes back as `+9198765xxxxx`) and requires digits only when creating.
 */

/** Characters people put in phone numbers for readability; they are dropped. */
const SEPARATORS = /[\s\-()./]/g;

export class PhoneError extends Error {}

/** `+91`, `91`, `0091` → `+91`; undefined when empty. */
export function normalizeCountryCode(raw: string): string | undefined {
	const text = raw.replace(SEPARATORS, '');
	if (text === '') return undefined;
	const digits = text.replace(/^(\+|00)/, '');
	if (!/^\d{1,4}$/.test(digits)) {
		throw new PhoneError(`"${raw}" is not a country calling code (expected e.g. +1, +44 or +91)`);
	}
	return `+${digits}`;
}

/**
 * The digits Kore wants in `cellPhone.phoneNumber`: separators dropped, letters refused. A number written
 * in international form (`+91 98765…`, `0091 98765…`) has its country code removed when it matches the
 * given one — Kore adds the country code itself.
 */
export function phoneDigitsForKore(raw: string, countryCode: string | undefined): string {
	const text = raw.replace(SEPARATORS, '');
	if (text === '') throw new PhoneError('the phone number is empty');
	if (!/^(\+|00)?\d+$/.test(text)) {
		throw new PhoneError(`"${raw}" contains characters other than digits (spaces, dashes and brackets are fine)`);
	}
	const international = /^(\+|00)/.test(text);
	let digits = text.replace(/^(\+|00)/, '');
	if (international) {
		const code = countryCode?.slice(1);
		if (!code || !digits.startsWith(code)) {
			throw new PhoneError(
				`"${raw}" is written with a country code that is not the Country Code ${countryCode ?? '(none given)'}: give the number without it, or the matching Country Code`,
			);
		}
		digits = digits.slice(code.length);
	}
	if (digits.length < 3 || digits.length > 15) throw new PhoneError(`"${raw}" is not a phone number (${digits.length} digits)`);
	return digits;
}

/**
 * The E.164-style forms (`+` and digits) a number typed by a person can stand for: international as
 * written (`+…`, `00…`), or the country code followed by the national number, with and without a
 * leading trunk `0` (national numbers are often written `0xxx`).
 */
export function phoneCandidates(raw: string, rawCountryCode: string | undefined): string[] {
	const text = raw.replace(SEPARATORS, '');
	const countryCode = rawCountryCode === undefined ? undefined : normalizeCountryCode(rawCountryCode);
	if (!/^(\+|00)?\d+$/.test(text)) {
		throw new PhoneError(`"${raw}" contains characters other than digits (spaces, dashes and brackets are fine)`);
	}
	if (/^(\+|00)/.test(text)) return [`+${text.replace(/^(\+|00)/, '')}`];
	if (!countryCode) {
		throw new PhoneError(`"${raw}" has no country code: write it as +<country code><number>, or fill "Country Code"`);
	}
	const candidates = [`${countryCode}${text}`];
	const withoutTrunk = text.replace(/^0+/, '');
	if (withoutTrunk !== text && withoutTrunk !== '') candidates.push(`${countryCode}${withoutTrunk}`);
	return candidates;
}

/** A Kore contact's number in the same E.164-style form, or undefined when it has none. */
export function storedPhone(cellPhone: unknown): string | undefined {
	if (!cellPhone || typeof cellPhone !== 'object') return undefined;
	const { phoneNumber, countryCode } = cellPhone as { phoneNumber?: unknown; countryCode?: unknown };
	if (typeof phoneNumber !== 'string' || phoneNumber.trim() === '') return undefined;
	const text = phoneNumber.replace(SEPARATORS, '');
	if (/^(\+|00)/.test(text)) return `+${text.replace(/^(\+|00)/, '')}`;
	const code = typeof countryCode === 'string' ? countryCode.replace(SEPARATORS, '').replace(/^(\+|00)/, '') : '';
	return `+${code}${text}`;
}

/** The national digits of a stored number (Kore's `+<cc><digits>` minus the country code), to send back. */
export function nationalDigits(cellPhone: { phoneNumber?: unknown; countryCode?: unknown }): string | undefined {
	const e164 = storedPhone(cellPhone);
	if (!e164) return undefined;
	const code = typeof cellPhone.countryCode === 'string' ? cellPhone.countryCode.replace(/\D/g, '') : '';
	const digits = e164.slice(1);
	return code && digits.startsWith(code) ? digits.slice(code.length) : digits;
}
