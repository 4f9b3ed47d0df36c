// guest_form.mjs - browser test of the guest portal: registration form
// (errors beside fields, then a valid visit with an ID photo), the
// confirmation page (access number, QR image, PDF) and the look-up page.
//
// Runs the system Chromium through playwright-core against AG_BASE_URL
// (e.g. http://127.0.0.1:8081). Prints "browser: N passed, N failed" and
// exits 1 when any check failed; screenshots of failures go to a temp dir.
import { chromium } from 'playwright-core';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BASE = (process.env.AG_BASE_URL || '').replace(/\/+$/, '');
const CHROMIUM = process.env.AG_CHROMIUM || '/usr/bin/chromium';
const STEP_TIMEOUT_MS = 15000;

// A 1x1 PNG for the identity photo upload.
const TINY_PNG = Buffer.from(
	'89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489' +
	'0000000d49444154789c63f8cfc0f01f0005000101ff89993d1d0000000049454e44ae426082',
	'hex');

// The date `days` after today in Asia/Jakarta (UTC+7, no DST).
function jakartaDate(days) {
	return new Date(Date.now() + (7 * 3600 + days * 86400) * 1000)
		.toISOString().slice(0, 10);
}

function assert(cond, message) {
	if (!cond)
		throw new Error(message);
}

const results = [];
const workDir = mkdtempSync(join(tmpdir(), 'autogate-browser-'));
let page;
let shots = 0;

// Runs one named check; a failure is recorded with a screenshot and
// returns false so dependent checks can be skipped (and counted failed).
async function check(name, fn) {
	try {
		await fn();
		results.push({ name, ok: true });
		console.log(`ok      ${name}`);
		return true;
	} catch (err) {
		results.push({ name, ok: false });
		console.log(`FAILED  ${name}: ${err && err.message ? err.message : err}`);
		if (page) {
			const file = join(workDir, `failure-${++shots}.png`);
			try {
				await page.screenshot({ path: file, fullPage: true });
				console.log(`        screenshot: ${file} (page ${page.url()})`);
			} catch (e) {
				console.log(`        no screenshot: ${e.message}`);
			}
		}
		return false;
	}
}

function notRun(names, why) {
	for (const name of names) {
		results.push({ name, ok: false });
		console.log(`FAILED  ${name}: not run (${why})`);
	}
}

// Submits the form the button belongs to and waits for the next page.
async function submit(selector) {
	const [response] = await Promise.all([
		page.waitForNavigation({ waitUntil: 'load' }),
		page.click(selector),
	]);
	return response;
}

async function main() {
	if (!BASE) {
		console.log('AG_BASE_URL is not set: the browser test needs a running stack; skipped');
		console.log('browser: 0 passed, 0 failed');
		return 0;
	}
	const browser = await chromium.launch({
		executablePath: CHROMIUM,
		args: ['--no-sandbox', '--disable-gpu', '--no-first-run',
			'--disable-background-networking', '--disable-component-update',
			'--disable-sync', '--disable-quic'],
	});
	const problems = [];
	try {
		const context = await browser.newContext({ acceptDownloads: true, locale: 'id-ID' });
		page = await context.newPage();
		page.setDefaultTimeout(STEP_TIMEOUT_MS);
		page.setDefaultNavigationTimeout(STEP_TIMEOUT_MS);
		page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
		page.on('console', (msg) => {
			if (msg.type() === 'error')
				problems.push(`console: ${msg.text()}`);
		});

		const photo = join(workDir, 'ktp.png');
		writeFileSync(photo, TINY_PNG);
		const name = `Tamu Peramban ${Math.random().toString(36).slice(2, 8)}`;
		const date = jakartaDate(1);
		let number = null;
		let ticketUrl = null;

		const formOk = await check('registration form opens', async () => {
			const res = await page.goto(`${BASE}/tamu/daftar`);
			assert(res && res.status() === 200, `status ${res && res.status()}`);
			for (const id of ['f-name', 'f-identity_number', 'f-phone', 'f-email',
				'f-origin', 'f-destination_id', 'f-request_at', 'f-purpose',
				'f-police_number', 'f-identity_photo'])
				assert(await page.locator(`#${id}`).count() === 1, `no #${id}`);
			assert(await page.locator('input[name="csrf_token"]').count() === 1,
				'no CSRF token in the form');
		});
		if (!formOk) {
			notRun(['empty form shows errors beside fields', 'valid form is accepted',
				'confirmation shows access number and QR', 'PDF link gives a PDF',
				'look-up finds the ticket', 'unknown number is reported',
				'no script errors or CSP violations'], 'the form did not open');
			return 1;
		}

		await check('empty form shows errors beside fields', async () => {
			const res = await submit('form[action="/tamu/daftar"] button[type="submit"]');
			assert(res && res.status() === 422, `status ${res && res.status()}`);
			const errors = await page.locator('.field-error').count();
			assert(errors >= 5, `only ${errors} .field-error elements`);
			for (const field of ['name', 'identity_number', 'phone', 'destination_id',
				'request_at', 'purpose']) {
				const beside = page.locator(`.field:has(#f-${field}) .field-error`);
				assert(await beside.count() === 1, `no error beside #f-${field}`);
				assert(await beside.first().isVisible(), `error beside #f-${field} hidden`);
				const text = (await beside.first().textContent()).trim();
				assert(text.length > 0, `empty error beside #f-${field}`);
			}
			// Optional fields left empty are fine.
			assert(await page.locator('.field:has(#f-email) .field-error').count() === 0,
				'error beside the optional email');
		});

		const created = await check('valid form is accepted', async () => {
			await page.goto(`${BASE}/tamu/daftar`);
			await page.fill('#f-name', name);
			await page.fill('#f-identity_number', '3578012345670001');
			await page.fill('#f-phone', '081234567890');
			await page.fill('#f-email', 'peramban@example.com');
			await page.fill('#f-origin', 'PT Uji Peramban');
			const values = await page.$$eval('#f-destination_id option',
				(opts) => opts.map((o) => o.value).filter((v) => v !== ''));
			assert(values.length > 0, 'no destinations to choose');
			await page.selectOption('#f-destination_id', values[0]);
			await page.fill('#f-request_at', date);
			await page.fill('#f-purpose', 'Kunjungan uji dari peramban');
			await page.fill('#f-police_number', 'L 1234 AB');
			await page.setInputFiles('#f-identity_photo', photo);
			const res = await submit('form[action="/tamu/daftar"] button[type="submit"]');
			assert(res && res.status() === 200, `status ${res && res.status()}`);
			const path = new URL(page.url()).pathname;
			const m = path.match(/^\/tamu\/tiket\/(TKT-[0-9]{8})$/);
			assert(m, `not on a ticket page: ${page.url()}`);
			number = m[1];
			ticketUrl = page.url();
		});

		if (created) {
			await check('confirmation shows access number and QR', async () => {
				const shown = (await page.locator('#access-number').textContent()).trim();
				assert(shown === number, `#access-number "${shown}", URL ${number}`);
				assert(/^TKT-[0-9]{8}$/.test(shown), `bad number ${shown}`);
				const body = await page.locator('body').textContent();
				assert(body.includes(name), 'the guest name is not shown');
				assert(!body.includes('3578012345670001'), 'the full NIK is shown');
				await page.waitForFunction(() => {
					const img = document.querySelector('img#qr');
					return img && img.complete && img.naturalWidth > 0;
				}, null, { timeout: STEP_TIMEOUT_MS });
			});

			await check('PDF link gives a PDF', async () => {
				const [response, download] = await Promise.all([
					page.waitForResponse((r) => /\/pdf$/.test(new URL(r.url()).pathname)),
					page.waitForEvent('download'),
					page.click('#pdf-link'),
				]);
				assert(response.status() === 200, `status ${response.status()}`);
				const type = response.headers()['content-type'] || '';
				assert(type.startsWith('application/pdf'), `content-type ${type}`);
				const file = join(workDir, 'ticket.pdf');
				await download.saveAs(file);
				const head = readFileSync(file).subarray(0, 5).toString('latin1');
				assert(head === '%PDF-', `not a PDF: ${JSON.stringify(head)}`);
			});

			await check('look-up finds the ticket', async () => {
				const res = await page.goto(`${BASE}/tamu/cek`);
				assert(res && res.status() === 200, `status ${res && res.status()}`);
				await page.fill('#f-nomor', number);
				const after = await submit('#lookup');
				assert(after && after.status() === 200, `status ${after && after.status()}`);
				assert(page.url() === ticketUrl, `landed on ${page.url()}`);
				const shown = (await page.locator('#access-number').textContent()).trim();
				assert(shown === number, `#access-number "${shown}"`);
			});
		} else {
			notRun(['confirmation shows access number and QR', 'PDF link gives a PDF',
				'look-up finds the ticket'], 'no ticket was created');
		}

		await check('unknown number is reported', async () => {
			await page.goto(`${BASE}/tamu/cek`);
			await page.fill('#f-nomor', 'TKT-00000000');
			const res = await submit('#lookup');
			assert(res && res.status() === 404, `status ${res && res.status()}`);
			assert(new URL(page.url()).pathname === '/tamu/cek', `landed on ${page.url()}`);
			assert(await page.locator('#f-nomor').inputValue() === 'TKT-00000000',
				'the typed number is not kept');
		});

		await check('no script errors or CSP violations', async () => {
			// The 404 and 422 answers above are expected console noise.
			const real = problems.filter((p) => !/status of (404|422)/.test(p));
			assert(real.length === 0, real.join('; '));
		});
		return 0;
	} finally {
		await browser.close();
	}
}

let code;
try {
	code = await main();
} catch (err) {
	console.log(`FAILED  browser test aborted: ${err && err.stack ? err.stack : err}`);
	results.push({ name: 'aborted', ok: false });
}
const passed = results.filter((r) => r.ok).length;
const failed = results.length - passed;
console.log(`browser: ${passed} passed, ${failed} failed`);
if (shots > 0)
	console.log(`screenshots in ${workDir}`);
process.exit(failed > 0 || code ? 1 : 0);
