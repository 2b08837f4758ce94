/**
 * Step 2: the editor in a real browser. `n8n start` on 127.0.0.1, the owner created through the REST API,
 * Debian's Chromium (headless, driven by playwright-core from the n8n cache, never a downloaded browser):
 * sign in, open the imported examples, screenshot the canvas and each of our nodes' parameter panels. The two
 * reading nodes no example uses any more (Get Speaker Search Task, Fetch Aspose Audio) are shown in a workflow
 * of their own.
 */
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';

import {
	type Instance,
	OWNER,
	RestClient,
	instanceEnv,
	n8nCliChecked,
	setupOwner,
	startN8n,
	writeJson,
} from './n8n';
import { freePort, httpOk, waitFor } from './processes';
import { ImpossibleStep, check, fail, log, note, ok, timing } from './report';
import type { SystemTools, Toolchain } from './toolchain';
import {
	NODE_TYPES,
	PACKAGE,
	type Workflow,
	packageNodes,
	readExample,
	readingNodesWorkflow,
} from './workflows';

/** The Chromium flags a container that runs as root needs (no sandbox, no GPU, shared memory in /tmp). */
export const CHROMIUM_ARGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--disable-dev-shm-usage',
];

/** The workflow of the two reading nodes (imported by this step), by its key among the workflows. */
const READING_NODES = 'reading-nodes';
const READING_NODES_WORKFLOW_ID = 'e2eReadingNodes1';

/** Parameters each node shows with the example's values: name → label. */
const PANELS: Array<{
	type: string;
	/** The node, when the workflow has more than one of the type. */
	node?: string;
	workflow: string;
	file: string;
	params: Record<string, string>;
	credential?: string;
}> = [
	{
		type: NODE_TYPES.getPolly,
		workflow: 'polly',
		file: 'panel-1-get-polly-synthesis-task.png',
		params: { taskId: 'Task ID' },
		credential: 'AWS (SigV4) account',
	},
	{
		type: NODE_TYPES.getSpeakerSearch,
		workflow: READING_NODES,
		file: 'panel-2-get-speaker-search-task.png',
		params: {
			source: 'Source',
			voiceConnectorId: 'Voice Connector ID',
			speakerSearchTaskId: 'Speaker Search Task ID',
		},
		credential: 'AWS (SigV4) account',
	},
	{
		type: NODE_TYPES.fetchAspose,
		workflow: READING_NODES,
		file: 'panel-3-fetch-aspose-audio.png',
		params: {
			useTrial: 'Use Trial (No Account)',
			taskId: 'Task ID',
			binaryPropertyName: 'Put Output File in Field',
		},
		credential: 'Aspose Cloud account',
	},
	{
		type: NODE_TYPES.wait,
		workflow: 'polly',
		file: 'panel-4-wait-until-complete.png',
		params: {
			service: 'Service',
			useTrial: 'Use Aspose Trial (No Account)',
			downloadAudio: 'Download Audio',
			binaryPropertyName: 'Put Output File in Field',
			timeout: 'Timeout (Seconds)',
		},
		credential: 'AWS (SigV4) account',
	},
	{
		type: NODE_TYPES.submitAspose,
		workflow: 'aspose-authenticated',
		file: 'panel-5-submit-aspose-text-to-speech.png',
		params: { useTrial: 'Use Trial (No Account)', text: 'Text' },
		credential: 'Aspose Cloud account',
	},
	{
		type: NODE_TYPES.submitAspose,
		workflow: 'aspose-trial',
		file: 'panel-6-submit-aspose-text-to-speech-trial.png',
		params: { useTrial: 'Use Trial (No Account)', text: 'Text', trialBaseUrl: 'Trial Base URL' },
	},
	{
		type: NODE_TYPES.startSpeakerSearch,
		node: 'Start Speaker Search (Pipeline)',
		workflow: 'chime',
		file: 'panel-7-start-speaker-search-task-pipeline.png',
		params: {
			source: 'Source',
			identifier: 'Media Insights Pipeline',
			voiceProfileDomainArn: 'Voice Profile Domain ARN',
		},
		credential: 'AWS (SigV4) account',
	},
	{
		type: NODE_TYPES.startSpeakerSearch,
		node: 'Start Speaker Search (Voice Connector)',
		workflow: 'chime',
		file: 'panel-8-start-speaker-search-task-voice-connector.png',
		params: {
			source: 'Source',
			voiceConnectorId: 'Voice Connector ID',
			transactionId: 'Transaction ID',
			voiceProfileDomainId: 'Voice Profile Domain ID',
		},
		credential: 'AWS (SigV4) account',
	},
	{
		type: NODE_TYPES.wait,
		node: 'Wait Until Complete',
		workflow: 'aspose-trial',
		file: 'panel-9-wait-until-complete-aspose-trial.png',
		params: {
			service: 'Service',
			useTrial: 'Use Aspose Trial (No Account)',
			downloadAudio: 'Download Audio',
			trialBaseUrl: 'Aspose Trial Base URL',
		},
	},
];

const CONTROL_WORKFLOW_ID = 'e2eUnknownNode01';

export interface BrowserContext {
	tools: Toolchain;
	system: SystemTools;
	instance: Instance;
	outDir: string;
	shotsDir: string;
	/** Imported workflow ids by example key (step 1). */
	workflows: Record<string, string>;
}

// Minimal shapes of the playwright-core API used here (it is loaded at run time from the n8n cache).
// The DOM members the page-side callbacks read (the test tsconfig has no DOM lib).
interface DomImage {
	complete: boolean;
	naturalWidth: number;
	getAttribute(name: string): string | null;
}
interface DomElement {
	textContent: string | null;
	getAttribute(name: string): string | null;
	querySelector(selector: 'img'): DomImage | null;
	querySelector(selector: 'input'): { value: string } | null;
	querySelector(selector: string): DomElement | null;
}
interface ConsoleMessage {
	type(): string;
	text(): string;
	location(): { url: string };
}
interface PageResponse {
	status(): number;
	url(): string;
}
interface Locator {
	count(): Promise<number>;
	first(): Locator;
	nth(i: number): Locator;
	locator(selector: string): Locator;
	isVisible(): Promise<boolean>;
	innerText(): Promise<string>;
	dblclick(options?: object): Promise<void>;
	fill(value: string): Promise<void>;
	click(options?: object): Promise<void>;
	waitFor(options?: object): Promise<void>;
	evaluateAll<T, E = DomElement>(fn: (els: E[]) => T): Promise<T>;
	screenshot(options: object): Promise<Buffer>;
}
interface Page {
	goto(url: string, options?: object): Promise<unknown>;
	locator(selector: string): Locator;
	getByRole(role: string, options: object): Locator;
	waitForURL(predicate: (url: URL) => boolean, options?: object): Promise<void>;
	waitForSelector(selector: string, options?: object): Promise<unknown>;
	waitForTimeout(ms: number): Promise<void>;
	screenshot(options: object): Promise<Buffer>;
	keyboard: { press(key: string): Promise<void> };
	on(event: 'console', handler: (message: ConsoleMessage) => void): void;
	on(event: 'pageerror', handler: (error: Error) => void): void;
	on(event: 'response', handler: (response: PageResponse) => void): void;
	url(): string;
}
interface Browser {
	newContext(options: object): Promise<{ newPage(): Promise<Page>; close(): Promise<void> }>;
	close(): Promise<void>;
	version(): string;
}

export async function browserStep(ctx: BrowserContext): Promise<void> {
	const { tools, system, instance, shotsDir } = ctx;
	if (!system.chromium)
		throw new ImpossibleStep(
			`no Chromium: ${system.missing.chromium ?? '/usr/bin/chromium is missing'}`,
		);
	fs.mkdirSync(shotsDir, { recursive: true });

	// A negative control: a workflow with a node type that does not exist, which n8n must mark as not installed.
	const control = readExample('polly-task-to-audio.json') as Workflow;
	control.id = CONTROL_WORKFLOW_ID;
	control.name = 'Control: unknown node type';
	const bogus = control.nodes.find((n) => n.type === NODE_TYPES.getPolly)!;
	bogus.type = `${PACKAGE}.doesNotExist`;
	await n8nCliChecked(
		tools,
		instance,
		[
			'import:workflow',
			`--input=${writeJson(path.join(ctx.outDir, 'import', 'control-unknown-node.json'), control)}`,
		],
		'import-control',
	);
	await n8nCliChecked(
		tools,
		instance,
		[
			'import:workflow',
			`--input=${writeJson(path.join(ctx.outDir, 'import', 'reading-nodes.json'), readingNodesWorkflow(READING_NODES_WORKFLOW_ID))}`,
		],
		'import-reading-nodes',
	);

	const port = await freePort();
	const base = `http://127.0.0.1:${port}`;
	const env = await instanceEnv(tools, instance.userFolder, { N8N_PORT: String(port) });
	const started = Date.now();
	const server = startN8n(tools, { ...instance, env }, 'start', [], 'n8n-start-editor');
	try {
		await waitFor(
			'n8n start (/healthz/readiness)',
			() => httpOk(`${base}/healthz/readiness`),
			180000,
			server,
		);
		timing('n8n start until /healthz/readiness', Date.now() - started);

		const client = new RestClient(base);
		await setupOwner(client);
		ok(`owner ${OWNER.email} created with POST /rest/owner/setup, REST login works`);
		const types = await client.request('GET', '/types/nodes.json');
		const ours = (Array.isArray(types.json) ? types.json : []).filter((t: { name: string }) =>
			t.name.startsWith(`${PACKAGE}.`),
		);
		for (const type of Object.values(NODE_TYPES)) {
			const description = ours.find((t: { name: string }) => t.name === type);
			check(description?.iconUrl, `n8n serves the description of ${type} with an icon URL`, () =>
				JSON.stringify(description?.iconUrl ?? 'missing'),
			);
		}
		log(
			`  node types of ${PACKAGE} known to n8n: ${ours.map((t: { name: string }) => t.name.split('.')[1]).join(', ')}`,
		);

		const playwright = createRequire(path.join(tools.n8nDir, 'package.json'))(
			'playwright-core',
		) as {
			chromium: { launch(options: object): Promise<Browser> };
		};
		const launched = Date.now();
		const browser = await playwright.chromium.launch({
			executablePath: system.chromium,
			headless: true,
			args: CHROMIUM_ARGS,
			timeout: 120000,
		});
		timing(`Chromium ${browser.version()} launch`, Date.now() - launched);
		try {
			await driveEditor(ctx, browser, base);
		} finally {
			await browser.close().catch(() => undefined);
		}
	} finally {
		await server.stop();
	}
}

interface ConsoleEntry {
	kind: string;
	text: string;
	url: string;
}

async function driveEditor(ctx: BrowserContext, browser: Browser, base: string): Promise<void> {
	const { shotsDir } = ctx;
	const workflows: Record<string, string> = {
		...ctx.workflows,
		[READING_NODES]: READING_NODES_WORKFLOW_ID,
	};
	const context = await browser.newContext({
		viewport: { width: 1600, height: 1000 },
		deviceScaleFactor: 1,
	});
	const page = await context.newPage();
	const problems: ConsoleEntry[] = [];
	page.on('console', (message: ConsoleMessage) => {
		if (message.type() === 'error')
			problems.push({
				kind: 'console',
				text: String(message.text()),
				url: String(message.location()?.url ?? ''),
			});
	});
	page.on('pageerror', (error: Error) =>
		problems.push({ kind: 'pageerror', text: `${error.message}\n${error.stack ?? ''}`, url: '' }),
	);
	page.on('response', (response: PageResponse) => {
		if (response.status() >= 400)
			problems.push({ kind: `http ${response.status()}`, text: '', url: String(response.url()) });
	});

	// Sign in through the form, as a user does.
	const signIn = Date.now();
	await page.goto(`${base}/signin`, { waitUntil: 'domcontentloaded', timeout: 120000 });
	await page.locator('input[name="emailOrLdapLoginId"]').fill(OWNER.email);
	await page.locator('input[name="password"]').fill(OWNER.password);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await page.waitForURL((url) => !url.pathname.startsWith('/signin'), { timeout: 60000 });
	timing('editor: sign-in page → signed in', Date.now() - signIn);

	const openWorkflow = async (id: string) => {
		await page.goto(`${base}/workflow/${id}`, { waitUntil: 'domcontentloaded', timeout: 120000 });
		await page.waitForSelector('[data-test-id="canvas-node"]', { timeout: 120000 });
		// Icons and the fit-to-view animation.
		await page.waitForTimeout(2000);
	};

	// The control first: proves the "not installed" detection below can see a missing node.
	await openWorkflow(CONTROL_WORKFLOW_ID);
	const controlMarked = await page
		.locator(
			`[data-test-id="canvas-node"][data-node-type="${PACKAGE}.doesNotExist"] [data-test-id="node-not-installed"]`,
		)
		.count();
	check(
		controlMarked === 1,
		'control: n8n marks a node of an unknown type as not installed (the check below can see it)',
	);
	await page.screenshot({ path: path.join(shotsDir, 'control-unknown-node.png') });
	const controlProblems = problems.length;

	// [workflow key, screenshot, the workflow as imported (for the package nodes it must show)]
	const canvases: Array<[string, string, Workflow]> = [
		['polly', 'canvas-1-polly-task-to-audio.png', readExample('polly-task-to-audio.json')],
		['chime', 'canvas-2-chime-speaker-search.png', readExample('chime-speaker-search.json')],
		[
			'aspose-authenticated',
			'canvas-3-aspose-authenticated-to-audio.png',
			readExample('aspose-authenticated-to-audio.json'),
		],
		[
			'aspose-trial',
			'canvas-4-aspose-trial-to-audio.png',
			readExample('aspose-trial-to-audio.json'),
		],
		[READING_NODES, 'canvas-5-reading-nodes.png', readingNodesWorkflow(READING_NODES_WORKFLOW_ID)],
	];
	const seenTypes = new Set<string>();
	for (const [key, file, workflow] of canvases) {
		const id = workflows[key];
		if (!id) {
			fail(`canvas ${key}: the workflow was not imported in step 1`);
			continue;
		}
		await openWorkflow(id);
		await page.screenshot({ path: path.join(shotsDir, file) });
		const nodes = await page
			.locator(`[data-test-id="canvas-node"][data-node-type^="${PACKAGE}."]`)
			.evaluateAll((els) =>
				els.map((el) => {
					const img = el.querySelector('img');
					return {
						name: el.getAttribute('data-node-name'),
						type: el.getAttribute('data-node-type'),
						notInstalled: !!el.querySelector('[data-test-id="node-not-installed"]'),
						placeholder: !!el.querySelector('[class*="nodeIconPlaceholder"]'),
						icon: img
							? {
									src: img.getAttribute('src'),
									loaded: img.complete && img.naturalWidth > 0,
									width: img.naturalWidth,
								}
							: null,
						text: (el.textContent || '').trim().slice(0, 200),
					};
				}),
			);
		const expected = packageNodes(workflow).map((n) => n.name);
		check(
			nodes.length === expected.length && expected.every((n) => nodes.some((m) => m.name === n)),
			`canvas ${key}: all ${expected.length} of our nodes are on the canvas (${nodes.map((n) => n.name).join(', ')})`,
			() => `expected ${expected.join(', ')}`,
		);
		for (const node of nodes) {
			seenTypes.add(String(node.type));
			check(
				!node.notInstalled && !/install this node/i.test(node.text),
				`canvas ${key}: "${node.name}" is not marked as not installed`,
			);
			check(
				node.icon &&
					node.icon.loaded &&
					String(node.icon.src).includes(`/icons/${PACKAGE}/`) &&
					!node.placeholder,
				`canvas ${key}: "${node.name}" shows its icon ${node.icon?.src} (loaded, ${node.icon?.width}px)`,
				() => JSON.stringify(node.icon),
			);
		}
	}
	check(
		Object.values(NODE_TYPES).every((t) => seenTypes.has(t)),
		`all ${Object.keys(NODE_TYPES).length} node types rendered on the canvases`,
	);

	for (const panel of PANELS) {
		const id = workflows[panel.workflow];
		if (!id) {
			fail(`panel ${panel.type}: the workflow was not imported`);
			continue;
		}
		await openWorkflow(id);
		const selector = panel.node
			? `[data-test-id="canvas-node"][data-node-name="${panel.node}"]`
			: `[data-test-id="canvas-node"][data-node-type="${panel.type}"]`;
		await page.locator(selector).first().dblclick();
		await page.waitForSelector('[data-test-id="ndv"]', { timeout: 30000 });
		await page.waitForTimeout(1500);
		await page.screenshot({ path: path.join(shotsDir, panel.file) });
		const ndv = page.locator('[data-test-id="ndv"]');
		const text = await ndv.innerText();
		const label = `${panel.type.split('.')[1]}${panel.node ? ` "${panel.node}"` : ''} in ${panel.workflow}`;
		check(
			!/install this node|not currently installed/i.test(text),
			`panel ${label}: no "install this node" placeholder`,
		);
		const headerIcon = await ndv
			.locator(`img[src*="/icons/${PACKAGE}/"]`)
			.evaluateAll((els: DomImage[]) => els.map((el) => el.complete && el.naturalWidth > 0));
		check(
			headerIcon.length > 0 && headerIcon.every(Boolean),
			`panel ${label}: the node icon in the panel loaded`,
		);
		const params = page.locator('[data-test-id="ndv"] [data-test-id="node-parameters"]');
		const paramsText = await params.innerText();
		for (const [name, displayName] of Object.entries(panel.params)) {
			const visible =
				(await params.locator(`[data-test-id="parameter-input-${name}"]`).count()) > 0;
			check(
				visible && paramsText.includes(displayName),
				`panel ${label}: parameter "${displayName}" is shown`,
				() =>
					visible
						? `label "${displayName}" not found in the panel text`
						: `no input for "${name}"; the panel shows: ${paramsText.replace(/\s+/g, ' ').slice(0, 300)}`,
			);
		}
		if (panel.credential) {
			const selected = await params
				.locator('[data-test-id="node-credentials-select"]')
				.evaluateAll((els) =>
					els.map((el) =>
						`${el.querySelector('input')?.value ?? ''} ${el.textContent ?? ''}`.trim(),
					),
				);
			check(
				selected.some((s) => s.includes(panel.credential!)),
				`panel ${label}: credential "${panel.credential}" is selected`,
				() => JSON.stringify(selected),
			);
		}
		await page.keyboard.press('Escape');
		await page.waitForTimeout(500);
	}

	const ourProblems = problems
		.slice(controlProblems)
		.filter((p) => `${p.text} ${p.url}`.includes(PACKAGE));
	// n8n asks for /schemas/<node type>/<version>.json of the nodes a panel previews (its own Set node too) and
	// gets 404 when the package ships no output schema: not an error of the package.
	const schema404 = ourProblems.filter(
		(p) =>
			/\/schemas\/n8n-nodes-speech-tasks\.[A-Za-z]+\/[\d.]+\.json$/.test(p.url) &&
			/404|Failed to load resource/.test(`${p.kind} ${p.text}`),
	);
	const real = ourProblems.filter((p) => !schema404.includes(p));
	check(real.length === 0, `no console errors or failed requests mentioning ${PACKAGE}`, () =>
		real.map((p) => `[${p.kind}] ${p.text} ${p.url}`.trim()).join('\n'),
	);
	if (schema404.length) {
		const urls = [...new Set(schema404.map((p) => new URL(p.url).pathname))];
		note(
			`the editor asked for output schemas the package does not ship (404, as for n8n's own Set node): ${urls.join(', ')}`,
		);
	}
	const others = problems.slice(controlProblems).filter((p) => !ourProblems.includes(p));
	if (others.length)
		log(
			`  (${others.length} console errors / failed requests not about the package, e.g. ${others
				.slice(0, 3)
				.map((p) => `[${p.kind}] ${p.url || p.text.slice(0, 80)}`)
				.join('; ')})`,
		);
	await context.close();
	log(`screenshots: ${shotsDir}`);
}
