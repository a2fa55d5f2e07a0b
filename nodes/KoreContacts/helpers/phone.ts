/**
 * Phone numbers as Kore keeps them and as CRMs send them. Kore stores `countryCode` + digits
 * (`98765xxxxx` with `+91` comes back as `+9198765xxxxx`) and requires digits only when creating.
 *
 * Parsing rests on libphonenumber-js (Google's numbering rules): it knows which countries write a trunk
 * `0` that is not part of the number (UK `020 …` = `+44 20 …`, also when written `+44 (0)20 …`) and
 * which keep a leading `0` (Italy `06 …` = `+39 06 …`). Its default ("min") metadata is enough: it holds
 * each country's national prefix rules and number lengths, which is all that parsing and the length
 * check use (the "max" set only adds per-type patterns for validity checks, which are not used here).
 */
import { ParseError, parsePhoneNumberWithError, validatePhoneNumberLength } from 'libphonenumber-js';
import type { PhoneNumber } from 'libphonenumber-js';

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

const LENGTH_PROBLEMS: Record<string, string> = {
	TOO_SHORT: 'is too short',
	TOO_LONG: 'is too long',
	INVALID_LENGTH: 'does not have a possible length',
	NOT_A_NUMBER: 'is not a phone number',
	INVALID_COUNTRY: 'has no known country calling code',
};

/** A number typed by a person, read by the numbering rules of its country. */
export interface ParsedPhone {
	/** `+<country code><national number>`, the key numbers are matched by. */
	e164: string;
	/** `+<digits>`. */
	countryCode: string;
	/** The national number, as Kore takes it in `cellPhone.phoneNumber` (trunk prefix removed). */
	nationalNumber: string;
	/** Whether it was written with its country code (`+…` or `00…`). */
	international: boolean;
}

/**
 * Reads a typed number: separators are allowed, letters are not; a number written internationally
 * (`+…`, `00…`) carries its own country code, any other needs `rawCountryCode`. A number whose length is
 * not possible in its country is refused. Throws PhoneError with a message for people.
 */
export function parsePhone(raw: string, rawCountryCode: string | undefined): ParsedPhone {
	const text = raw.trim();
	const compact = text.replace(SEPARATORS, '');
	if (compact === '') throw new PhoneError('the phone number is empty');
	if (!/^(\+|00)?\d+$/.test(compact)) {
		throw new PhoneError(`"${raw}" contains characters other than digits (spaces, dashes and brackets are fine)`);
	}
	const international = /^(\+|00)/.test(compact);
	const countryCode = rawCountryCode === undefined ? undefined : normalizeCountryCode(rawCountryCode);
	if (!international && !countryCode) {
		throw new PhoneError(`"${raw}" has no country code: write it with one, e.g. +91 98765 43210, or fill "Country Code"`);
	}
	// `00` is read as the international prefix (libphonenumber only knows it with a country, not a calling code).
	const input = international ? text.replace(/^00/, '+') : text;
	const options = international ? undefined : { defaultCallingCode: countryCode!.slice(1) };
	const parsed = tryParse(input, options);
	if (typeof parsed === 'string') {
		if (parsed === 'INVALID_COUNTRY') {
			throw new PhoneError(
				international
					? `"${raw}" does not start with a known country calling code`
					: `"${raw}": the country calling code ${countryCode} is not known`,
			);
		}
		throw new PhoneError(`"${raw}" ${LENGTH_PROBLEMS[parsed] ?? 'is not a phone number'}`);
	}
	const phone = parsed;
	if (!phone.isPossible()) {
		const problem = validatePhoneNumberLength(input, options);
		throw new PhoneError(
			`"${raw}" ${LENGTH_PROBLEMS[problem ?? ''] ?? 'is not a possible number'} for country code +${phone.countryCallingCode}`,
		);
	}
	return {
		e164: phone.number,
		countryCode: `+${phone.countryCallingCode}`,
		nationalNumber: phone.nationalNumber,
		international,
	};
}

/**
 * libphonenumber's reading of `input`, or why it could not read it (its ParseError code; a default calling
 * code it does not know, which it reports with a plain Error, counts as INVALID_COUNTRY).
 */
function tryParse(input: string, options?: { defaultCallingCode: string }): PhoneNumber | string {
	try {
		return parsePhoneNumberWithError(input, options);
	} catch (error) {
		if (error instanceof ParseError) return error.message;
		return /unknown calling code/i.test((error as Error).message) ? 'INVALID_COUNTRY' : 'NOT_A_NUMBER';
	}
}

/**
 * The digits Kore wants in `cellPhone.phoneNumber`: the national number, by the country's rules (a trunk
 * `0` is dropped where it is not part of the number: UK `020 7946 0958` → `2079460958`; Italy's `06…`
 * keeps it). A number written internationally must carry the given Country Code.
 */
export function phoneDigitsForKore(raw: string, countryCode: string | undefined): string {
	const phone = parsePhone(raw, countryCode);
	const expected = countryCode === undefined ? undefined : normalizeCountryCode(countryCode);
	if (phone.international && phone.countryCode !== expected) {
		throw new PhoneError(
			`"${raw}" is written with a country code that is not the Country Code ${expected ?? '(none given)'}: give the number without it, or the matching Country Code`,
		);
	}
	return phone.nationalNumber;
}

/**
 * The E.164 keys (`+` and digits) a number typed by a person can stand for. Read by the numbering rules
 * there is exactly one: a number written internationally keeps its own country code, any other takes
 * `countryCode`. Throws PhoneError on bad input.
 */
export function phoneCandidates(raw: string, countryCode: string | undefined): string[] {
	return [parsePhone(raw, countryCode).e164];
}

/** Stored numbers already read, by `phoneNumber\ncountryCode` (parsing is ~40 µs; a stream is read per lookup). */
const storedCache = new Map<string, string | undefined>();
const STORED_CACHE_SIZE = 100_000;

/**
 * A Kore contact's number as its E.164 key, or undefined when it cannot be known: no number, or a
 * national number stored without a country code (which must never match a number given internationally).
 */
export function storedPhone(cellPhone: unknown): string | undefined {
	if (!cellPhone || typeof cellPhone !== 'object') return undefined;
	const { phoneNumber, countryCode } = cellPhone as { phoneNumber?: unknown; countryCode?: unknown };
	if (typeof phoneNumber !== 'string' && typeof phoneNumber !== 'number') return undefined;
	const number = String(phoneNumber);
	const code = typeof countryCode === 'string' || typeof countryCode === 'number' ? String(countryCode) : '';
	const key = `${number}\n${code}`;
	if (storedCache.has(key)) return storedCache.get(key);
	const value = readStored(number, code);
	if (storedCache.size >= STORED_CACHE_SIZE) storedCache.clear();
	storedCache.set(key, value);
	return value;
}

function readStored(phoneNumber: string, countryCode: string): string | undefined {
	const compact = phoneNumber.replace(SEPARATORS, '');
	if (!/^(\+|00)?\d+$/.test(compact)) return undefined;
	const international = /^(\+|00)/.test(compact);
	let code: string | undefined;
	try {
		code = normalizeCountryCode(countryCode);
	} catch {
		code = undefined;
	}
	if (!international && !code) return undefined;
	const parsed = international
		? tryParse(`+${compact.replace(/^(\+|00)/, '')}`)
		: tryParse(compact, { defaultCallingCode: code!.slice(1) });
	return typeof parsed === 'string' ? undefined : parsed.number;
}

/** The national digits of a stored number (Kore's `+<cc><digits>` minus the country code), to send back as stored. */
export function nationalDigits(cellPhone: { phoneNumber?: unknown; countryCode?: unknown }): string | undefined {
	const { phoneNumber, countryCode } = cellPhone;
	if (typeof phoneNumber !== 'string' || phoneNumber.trim() === '') return undefined;
	const digits = phoneNumber.replace(/\D/g, '').replace(/^00/, '');
	const code = typeof countryCode === 'string' ? countryCode.replace(/\D/g, '').replace(/^00/, '') : '';
	const international = /^\s*(\+|00)/.test(phoneNumber);
	return international && code && digits.startsWith(code) ? digits.slice(code.length) : digits;
}
