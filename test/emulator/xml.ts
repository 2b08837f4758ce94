export function xmlEscape(value: string): string {
	return value
		.replace(/&/g, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;')
		.replace(/"/g, '&quot;')
		.replace(/'/g, '&apos;');
}

/** `<Name>value</Name>` for each entry (values escaped). */
export function xmlElements(entries: Array<[string, string | number | undefined]>): string {
	return entries
		.filter(([, v]) => v !== undefined)
		.map(([k, v]) => `<${k}>${xmlEscape(String(v))}</${k}>`)
		.join('');
}
