'use strict';

/**
 * Minimal multipart/form-data (RFC 7578) and CSV (RFC 4180) parsing for the Import CSV endpoint.
 * Whole-buffer parsing: bodies are size-capped before they get here.
 */

/**
 * @typedef {{ name: string, filename?: string, contentType?: string, data: Buffer }} Part
 */

/**
 * The boundary of a multipart/form-data content type, or null when the type is something else.
 * @param {string|undefined} contentType
 * @returns {string|null}
 */
function multipartBoundary(contentType) {
	if (!contentType) return null;
	const [type, ...params] = contentType.split(';');
	if (type.trim().toLowerCase() !== 'multipart/form-data') return null;
	for (const p of params) {
		const eq = p.indexOf('=');
		if (eq < 0) continue;
		if (p.slice(0, eq).trim().toLowerCase() !== 'boundary') continue;
		let v = p.slice(eq + 1).trim();
		if (v.startsWith('"') && v.endsWith('"') && v.length >= 2) v = v.slice(1, -1);
		return v.length > 0 && v.length <= 200 ? v : null;
	}
	return null;
}

/**
 * Reads a parameter (name="…", filename="…") out of a Content-Disposition header value.
 * @param {string} header
 * @param {string} key
 * @returns {string|undefined}
 */
function dispositionParam(header, key) {
	const re = new RegExp(`(?:^|;)\\s*${key}\\s*=\\s*(?:"((?:[^"\\\\]|\\\\.)*)"|([^;\\s]*))`, 'i');
	const m = re.exec(header);
	if (!m) return undefined;
	return m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2];
}

/**
 * Splits a multipart body into parts. Throws an Error with a readable message on malformed input.
 * @param {Buffer} body
 * @param {string} boundary
 * @returns {Part[]}
 */
function parseMultipart(body, boundary) {
	const delim = Buffer.from(`--${boundary}`);
	const crlfDelim = Buffer.from(`\r\n--${boundary}`);
	const lfDelim = Buffer.from(`\n--${boundary}`);
	/** @type {Part[]} */
	const parts = [];
	let pos = body.indexOf(delim);
	if (pos < 0) throw new Error('multipart boundary not found in body');
	for (;;) {
		pos += delim.length;
		// "--" after a delimiter closes the body
		if (body[pos] === 0x2d && body[pos + 1] === 0x2d) break;
		// skip transport padding and the CRLF after the delimiter
		while (body[pos] === 0x20 || body[pos] === 0x09) pos++;
		if (body[pos] === 0x0d && body[pos + 1] === 0x0a) pos += 2;
		else if (body[pos] === 0x0a) pos += 1;
		else throw new Error('malformed multipart delimiter line');

		let headerEnd = body.indexOf('\r\n\r\n', pos);
		let sepLen = 4;
		const lfEnd = body.indexOf('\n\n', pos);
		if (headerEnd < 0 || (lfEnd >= 0 && lfEnd < headerEnd)) {
			headerEnd = lfEnd;
			sepLen = 2;
		}
		if (headerEnd < 0) throw new Error('multipart part without header terminator');
		const headerText = body.subarray(pos, headerEnd).toString('utf8');
		/** @type {Record<string, string>} */
		const headers = {};
		for (const line of headerText.split(/\r?\n/)) {
			const c = line.indexOf(':');
			if (c > 0) headers[line.slice(0, c).trim().toLowerCase()] = line.slice(c + 1).trim();
		}
		const dataStart = headerEnd + sepLen;
		// a delimiter inside the body is always preceded by a line break (CRLF; a bare LF is tolerated)
		let dataEnd = body.indexOf(crlfDelim, dataStart);
		let next = dataEnd + 2;
		if (dataEnd < 0) {
			dataEnd = body.indexOf(lfDelim, dataStart);
			next = dataEnd + 1;
		}
		if (dataEnd < 0) throw new Error('multipart body is not terminated');
		const disposition = headers['content-disposition'] || '';
		const name = dispositionParam(disposition, 'name');
		if (name === undefined) throw new Error('multipart part without a name');
		parts.push({
			name,
			filename: dispositionParam(disposition, 'filename'),
			contentType: headers['content-type'],
			data: body.subarray(dataStart, dataEnd),
		});
		pos = next;
	}
	return parts;
}

/**
 * Parses CSV text into rows of cells. Handles quoted cells ("" escapes, embedded commas and newlines),
 * CRLF / LF line ends, a UTF-8 BOM, and skips blank lines. Throws on an unterminated quote.
 * @param {string} text
 * @returns {string[][]}
 */
function parseCsv(text) {
	if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
	/** @type {string[][]} */
	const rows = [];
	/** @type {string[]} */
	let row = [];
	let cell = '';
	let quoted = false;
	let i = 0;
	const n = text.length;
	const endRow = () => {
		row.push(cell);
		cell = '';
		if (!(row.length === 1 && row[0].trim() === '')) rows.push(row);
		row = [];
	};
	while (i < n) {
		const ch = text[i];
		if (quoted) {
			if (ch === '"') {
				if (text[i + 1] === '"') {
					cell += '"';
					i += 2;
					continue;
				}
				quoted = false;
				i++;
				continue;
			}
			cell += ch;
			i++;
			continue;
		}
		if (ch === '"' && cell.trim() === '') {
			cell = '';
			quoted = true;
			i++;
		} else if (ch === ',') {
			row.push(cell);
			cell = '';
			i++;
		} else if (ch === '\r' || ch === '\n') {
			endRow();
			i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
		} else {
			cell += ch;
			i++;
		}
	}
	if (quoted) throw new Error('unterminated quoted cell in CSV');
	if (cell !== '' || row.length > 0) endRow();
	return rows;
}

module.exports = { multipartBoundary, parseMultipart, parseCsv, dispositionParam };
