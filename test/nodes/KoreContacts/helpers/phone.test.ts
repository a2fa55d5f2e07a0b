import { PhoneError, phoneCandidates, phoneDigitsForKore, storedPhone } from '../../../../nodes/KoreContacts/helpers/phone';

describe('phone numbers, by the real numbering rules', () => {
	test.each([
		['+44 (0)20 7946 0958', undefined, '+442079460958'], // the usual UK form, trunk 0 in brackets
		['020 7946 0958', '+44', '+442079460958'],
		['0044 20 7946 0958', undefined, '+442079460958'],
		['06 1234 5678', '+39', '+390612345678'], // Italy: the leading 0 is part of the number
		['+39 06 1234 5678', '', '+390612345678'],
		['+91 98765-43210', '+91', '+919876543210'],
		['0091 9876543210', undefined, '+919876543210'],
		['(0) 98765 43210', '91', '+919876543210'],
		['9876543210', '0091', '+919876543210'],
		['+919876543210', '+44', '+919876543210'], // written internationally: its own country code wins
	])('%p (Country Code %p) stands for exactly %p', (raw, countryCode, e164) => {
		expect(phoneCandidates(raw, countryCode)).toEqual([e164]);
	});

	test('an Italian number is never also tried without its leading 0 (that is another number)', () => {
		expect(phoneCandidates('06 1234 5678', '+39')).not.toContain('+39612345678');
	});

	test.each([
		['call me', '+91', /contains characters other than digits/],
		['98765-CALL-ME', '+91', /contains characters other than digits/],
		['', '+91', /empty/],
		['12', '+91', /too short/],
		['98765432101234567', '+91', /too long/],
		['9876543210', undefined, /^"9876543210" has no country code: write it with one, e\.g\. \+91 98765 43210, or fill "Country Code"$/],
		['9876543210', '+999', /country calling code \+999 is not known/],
		['India', undefined, /contains characters other than digits/],
	])('%p (Country Code %p) is refused', (raw, countryCode, message) => {
		expect(() => phoneCandidates(raw, countryCode)).toThrow(PhoneError);
		expect(() => phoneCandidates(raw, countryCode)).toThrow(message);
	});

	test.each([
		['+44 (0)20 7946 0958', '+44', '2079460958'],
		['020 7946 0958', '+44', '2079460958'],
		['06 1234 5678', '+39', '0612345678'],
		['(0)98765 43210', '+91', '9876543210'],
		['+91 (98765) 43210', '+91', '9876543210'],
	])('Kore is sent the national number: %p with %p → %p', (raw, countryCode, digits) => {
		expect(phoneDigitsForKore(raw, countryCode)).toBe(digits);
	});

	test('a number in another country\'s international form is refused for Kore', () => {
		expect(() => phoneDigitsForKore('+44 7700 900123', '+91')).toThrow(/written with a country code that is not the Country Code \+91/);
	});

	test.each([
		[{ phoneNumber: '+442079460958', countryCode: '+44' }, '+442079460958'],
		[{ phoneNumber: '2079460958', countryCode: '+44' }, '+442079460958'],
		[{ phoneNumber: '+390612345678', countryCode: '+39' }, '+390612345678'],
		[{ phoneNumber: '+919876543210', countryCode: '+91' }, '+919876543210'],
		// no country code stored: the number cannot be known, so it never matches an international one
		[{ phoneNumber: '41446681800', countryCode: '' }, undefined],
		[{ phoneNumber: '41446681800' }, undefined],
		[{ phoneNumber: '', countryCode: '+91' }, undefined],
		[undefined, undefined],
	])('a stored %p is %p', (cellPhone, e164) => {
		expect(storedPhone(cellPhone)).toBe(e164);
	});

	test('a stored number without a country code never matches a number given internationally', () => {
		const stored = storedPhone({ phoneNumber: '41446681800', countryCode: '' });
		expect(phoneCandidates('+41 44 668 18 00', undefined)).not.toContain(stored);
	});
});
