/**
 * Step 2: the editor in a real browser. `n8n start` on 127.0.0.1, the owner created through the REST API,
 * Debian's Chromium (headless, driven by playwright-core from the n8n cache, never a downloaded browser):
 * sign in, open the imported examples, screenshot the canvas and each of our nodes' parameter panels. The
 * reading nodes no example uses (Get Polly Synthesis Task, List Polly Synthesis Tasks, Get Speaker Search
 * Task, Fetch Aspose Audio) are shown in a workflow of their own. The credential points at the run's emulator,
 * so the panels load what they list: the Voice dropdown Polly's voices, the Task ID picker recent tasks,
 * the Chime SDK pickers of Start Speaker Search Task (in the same workflow, every ID on "From List") the
 * seeded voice connectors, voice profile domains and media insights pipelines.
 *
 * The README shows each node's panel (light theme) from `docs/panels/<node>.png`. A normal run checks that
 * each of those files exists and has the size of the panel just taken (in the output folder, `panels/`);
 * `UPDATE_SCREENSHOTS=1 npm run test:n8n` writes them (PNG bytes differ from run to run, so a normal run
 * never touches the committed files).
 */
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';

import type { Emulator } from '../emulator';
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
	REPO_ROOT,
	type Workflow,
	credentialsFor,
	packageNodes,
	readExample,
	readingNodesWorkflow,
} from './workflows';

/** The README's panel screenshots. */
export const DOCS_PANELS_DIR = path.join(REPO_ROOT, 'docs', 'panels');
/** Set to write the README's panel screenshots (`UPDATE_SCREENSHOTS=1 npm run test:n8n`). */
const UPDATE_SCREENSHOTS = process.env.UPDATE_SCREENSHOTS === '1';
/** The browser window: every panel screenshot has the NDV's middle column at this size. */
const VIEWPORT = { width: 1600, height: 1200 };

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

/** What a panel of one of our nodes must show, and what is checked in it. */
interface Panel {
	type: string;
	/** The node, when the workflow has more than one of the type. */
	node?: string;
	workflow: string;
	/** The screenshot in the run's output folder. */
	file: string;
	/** Parameters it shows with the example's values: name → label. */
	params: Record<string, string>;
	/** Collections it shows, empty: name → label (n8n gives them no input of their own). */
	collections?: Record<string, string>;
	credential?: string;
	/** The README's screenshot of the node's panel: `docs/panels/<docs>.png`. */
	docs?: string;
	/** The Voice dropdown loads Polly's voices (DescribeVoices through the credential). */
	voices?: boolean;
	/** The Task ID picker's "From List" loads recent Polly tasks (ListSpeechSynthesisTasks). */
	taskPicker?: boolean;
	/** Chime SDK ID pickers whose "From List" loads the emulator's seeded resources. */
	pickers?: IdPicker[];
}

/** A resource locator of a Chime SDK ID on "From List", and what its list must show. */
interface IdPicker {
	/** The parameter. */
	param: string;
	/** What it lists, for the messages and the screenshot (`<panel>-<what>.png`). */
	what: string;
	/** The emulator's route of the list request, and the API operation it stands for. */
	route: string;
	operation: string;
	/** The entries' names: the emulator's seeded resources as the node names them. */
	expected: (emulator: Emulator) => string[];
}

/** The emulator's names of its seeded voice connectors (`connectorName` in `test/emulator/services/chime-voice.ts`). */
const CONNECTOR_NAMES = ['Contact center', 'Sales line', 'Support escalations', 'Branch offices'];
const connectorNames = (emulator: Emulator) =>
	emulator.resources.voiceConnectorIds.map((_, i) => {
		const round = Math.floor(i / CONNECTOR_NAMES.length);
		const base = CONNECTOR_NAMES[i % CONNECTOR_NAMES.length]!;
		return round === 0 ? base : `${base} ${round + 1}`;
	});
const VOICE_CONNECTORS: Omit<IdPicker, 'param'> = {
	what: 'voice-connectors',
	route: 'chimeVoice.listConnectors',
	operation: 'ListVoiceConnectors',
	expected: connectorNames,
};
const VOICE_PROFILE_DOMAINS: Omit<IdPicker, 'param'> = {
	what: 'voice-profile-domains',
	route: 'chimeVoice.listDomains',
	operation: 'ListVoiceProfileDomains',
	expected: (emulator) => emulator.resources.voiceProfileDomains.map((d) => d.name),
};
const MEDIA_PIPELINES: Omit<IdPicker, 'param'> = {
	what: 'media-pipelines',
	route: 'chimeMediaPipeline.list',
	operation: 'ListMediaPipelines',
	// The kind is the ARN's resource type (every media pipeline of the region is listed).
	expected: (emulator) =>
		emulator.resources.mediaInsightsPipelines.map((p) => `${p.id} (media insights pipeline)`),
};

const PANELS: Panel[] = [
	{
		type: NODE_TYPES.getPolly,
		workflow: READING_NODES,
		file: 'panel-1-get-polly-synthesis-task.png',
		params: { taskId: 'Task ID' },
		credential: 'AWS (SigV4) account',
		docs: 'get-polly-synthesis-task',
		taskPicker: true,
	},
	{
		type: NODE_TYPES.getSpeakerSearch,
		workflow: READING_NODES,
		file: 'panel-2-get-speaker-search-task.png',
		params: {
			source: 'Source',
			voiceConnectorId: 'Voice Connector',
			speakerSearchTaskId: 'Speaker Search Task ID',
		},
		credential: 'AWS (SigV4) account',
		docs: 'get-speaker-search-task',
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
		docs: 'fetch-aspose-audio',
	},
	{
		type: NODE_TYPES.wait,
		workflow: 'polly',
		file: 'panel-4-wait-until-complete.png',
		params: {
			service: 'Service',
			downloadAudio: 'Download Audio',
			binaryPropertyName: 'Put Output File in Field',
			timeout: 'Timeout (Seconds)',
		},
		credential: 'AWS (SigV4) account',
		docs: 'wait-until-complete',
	},
	{
		type: NODE_TYPES.submitAspose,
		workflow: 'aspose-authenticated',
		file: 'panel-5-submit-aspose-text-to-speech.png',
		params: { useTrial: 'Use Trial (No Account)', text: 'Text' },
		credential: 'Aspose Cloud account',
		docs: 'submit-aspose-text-to-speech',
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
			voiceProfileDomainArn: 'Voice Profile Domain',
		},
		credential: 'AWS (SigV4) account',
		docs: 'start-speaker-search-task',
	},
	{
		type: NODE_TYPES.startSpeakerSearch,
		node: 'Start Speaker Search (Voice Connector)',
		workflow: 'chime',
		file: 'panel-8-start-speaker-search-task-voice-connector.png',
		params: {
			source: 'Source',
			voiceConnectorId: 'Voice Connector',
			transactionId: 'Transaction ID',
			voiceProfileDomainId: 'Voice Profile Domain',
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
	{
		type: NODE_TYPES.startPolly,
		workflow: 'polly',
		file: 'panel-10-start-polly-synthesis-task.png',
		params: {
			text: 'Text',
			textType: 'Text Type',
			engine: 'Engine',
			voiceId: 'Voice Name or ID',
			outputFormat: 'Output Format',
			outputS3BucketName: 'S3 Bucket Name',
		},
		collections: { additionalFields: 'Additional Fields' },
		credential: 'AWS (SigV4) account',
		docs: 'start-polly-synthesis-task',
		voices: true,
	},
	{
		type: NODE_TYPES.synthesizePolly,
		workflow: 'polly-synthesize',
		file: 'panel-11-synthesize-polly-speech.png',
		params: {
			text: 'Text',
			textType: 'Text Type',
			engine: 'Engine',
			voiceId: 'Voice Name or ID',
			outputFormat: 'Output Format',
			binaryPropertyName: 'Put Output File in Field',
		},
		collections: { additionalFields: 'Additional Fields' },
		credential: 'AWS (SigV4) account',
		docs: 'synthesize-polly-speech',
		voices: true,
	},
	{
		type: NODE_TYPES.listPolly,
		workflow: READING_NODES,
		file: 'panel-12-list-polly-synthesis-tasks.png',
		params: { returnAll: 'Return All', limit: 'Limit' },
		collections: { filters: 'Filters' },
		credential: 'AWS (SigV4) account',
		docs: 'list-polly-synthesis-tasks',
	},
	{
		type: NODE_TYPES.wait,
		node: 'Wait Until Complete (Polly)',
		workflow: READING_NODES,
		file: 'panel-13-wait-until-complete-polly-task-picker.png',
		params: { service: 'Service', taskId: 'Task ID', downloadAudio: 'Download Audio' },
		credential: 'AWS (SigV4) account',
		taskPicker: true,
	},
	{
		type: NODE_TYPES.startSpeakerSearch,
		node: 'Start Speaker Search (Voice Connector, From List)',
		workflow: READING_NODES,
		file: 'panel-14-start-speaker-search-task-voice-connector-pickers.png',
		params: {
			source: 'Source',
			voiceConnectorId: 'Voice Connector',
			transactionId: 'Transaction ID',
			voiceProfileDomainId: 'Voice Profile Domain',
		},
		credential: 'AWS (SigV4) account',
		pickers: [
			{ param: 'voiceConnectorId', ...VOICE_CONNECTORS },
			{ param: 'voiceProfileDomainId', ...VOICE_PROFILE_DOMAINS },
		],
	},
	{
		type: NODE_TYPES.startSpeakerSearch,
		node: 'Start Speaker Search (Pipeline, From List)',
		workflow: READING_NODES,
		file: 'panel-15-start-speaker-search-task-pipeline-pickers.png',
		params: {
			source: 'Source',
			identifier: 'Media Insights Pipeline',
			voiceProfileDomainArn: 'Voice Profile Domain',
		},
		credential: 'AWS (SigV4) account',
		pickers: [
			{ param: 'identifier', ...MEDIA_PIPELINES },
			{ param: 'voiceProfileDomainArn', ...VOICE_PROFILE_DOMAINS },
		],
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
	/** The run's emulator: the credential is pointed at it, and the Task ID picker lists its tasks. */
	emulator: Emulator;
}

// Minimal shapes of the playwright-core API used here (it is loaded at run time from the n8n cache).
// The DOM members the page-side callbacks read (the test tsconfig has no DOM lib).
interface DomImage {
	complete: boolean;
	naturalWidth: number;
	getAttribute(name: string): string | null;
}
interface DomRect {
	x: number;
	y: number;
	width: number;
	height: number;
}
interface DomBox {
	parentElement: DomBox | null;
	querySelectorAll(selector: string): DomBox[];
	getAttribute(name: string): string | null;
	getBoundingClientRect(): DomRect;
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
	getByText(text: string): Locator;
	waitForURL(predicate: (url: URL) => boolean, options?: object): Promise<void>;
	waitForSelector(selector: string, options?: object): Promise<unknown>;
	waitForTimeout(ms: number): Promise<void>;
	screenshot(options: object): Promise<Buffer>;
	keyboard: { press(key: string): Promise<void> };
	mouse: { move(x: number, y: number): Promise<void> };
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
	const bogus = control.nodes.find((n) => n.type === NODE_TYPES.startPolly)!;
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

	// The credentials again, now pointed at the run's emulator (step 1's emulator is gone), and Polly tasks
	// for the Task ID picker to list: one done, one that runs for an hour.
	const imported = await n8nCliChecked(
		tools,
		instance,
		[
			'import:credentials',
			`--input=${writeJson(path.join(ctx.outDir, 'import', 'credentials-editor.json'), credentialsFor(ctx.emulator))}`,
		],
		'import-credentials-editor',
	);
	check(
		/Successfully imported 2 credentials/.test(imported.stdout + imported.stderr),
		"the credentials now point at the run's emulator (n8n import:credentials, same IDs)",
	);
	const tasks = [0, 3_600_000].map((durationMs, i) =>
		String(
			ctx.emulator.createPollyTask(
				{
					Text: `Editor check ${i + 1}: a task for the Task ID picker.`,
					OutputFormat: 'mp3',
					OutputS3BucketName: ctx.emulator.resources.buckets[0],
					VoiceId: 'Joanna',
				},
				{ durationMs },
			).TaskId,
		),
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
			await driveEditor(ctx, browser, base, tasks);
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

async function driveEditor(
	ctx: BrowserContext,
	browser: Browser,
	base: string,
	tasks: string[],
): Promise<void> {
	const { shotsDir } = ctx;
	const workflows: Record<string, string> = {
		...ctx.workflows,
		[READING_NODES]: READING_NODES_WORKFLOW_ID,
	};
	const context = await browser.newContext({
		viewport: VIEWPORT,
		deviceScaleFactor: 1,
		colorScheme: 'light',
		reducedMotion: 'reduce',
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
		[
			'polly-synthesize',
			'canvas-6-polly-synthesize-speech.png',
			readExample('polly-synthesize-speech.json'),
		],
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
		const label = `${panel.type.split('.')[1]}${panel.node ? ` "${panel.node}"` : ''} in ${panel.workflow}`;
		// The panel of that node: its name is in the panel's title (one more double-click if not).
		const nodeName = await page
			.locator(selector)
			.first()
			.evaluateAll((els) => els[0]?.getAttribute('data-node-name') ?? '');
		let title = '';
		for (let attempt = 0; attempt < 2 && title !== nodeName; attempt++) {
			if (attempt) {
				log(`  panel ${label}: "${title}" opened instead of "${nodeName}"; reloading the workflow`);
				await page.screenshot({
					path: path.join(shotsDir, panel.file.replace('.png', '-wrong.png')),
				});
				await closePanel(page);
				await page.screenshot({
					path: path.join(shotsDir, panel.file.replace('.png', '-closed.png')),
				});
				await openWorkflow(id);
			}
			await page.locator(selector).first().dblclick();
			await page.waitForSelector('[data-test-id="ndv"]', { timeout: 30000 });
			await page.mouse.move(0, 0);
			await page.waitForTimeout(1500);
			title = await panelTitle(page);
		}
		check(
			title === nodeName,
			`panel ${label}: the panel of "${nodeName}" is open`,
			() => `title "${title}"`,
		);
		if (panel.voices) await waitForVoiceLabel(page, label);
		await page.screenshot({ path: path.join(shotsDir, panel.file) });
		// The README's picture only of the right panel.
		if (panel.docs && title === nodeName) await panelScreenshot(page, shotsDir, panel.docs, label);
		const ndv = page.locator('[data-test-id="ndv"]');
		const text = await ndv.innerText();
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
		for (const displayName of Object.values(panel.collections ?? {}))
			check(
				new RegExp(`${displayName}\\s+No properties`).test(paramsText),
				`panel ${label}: the collection "${displayName}" is shown, empty`,
				() => paramsText.replace(/\s+/g, ' ').slice(0, 400),
			);
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
		if (panel.voices) await checkVoices(ctx, page, panel, label);
		if (panel.taskPicker) await checkTaskPicker(ctx, page, panel, label, tasks);
		for (const picker of panel.pickers ?? []) await checkIdPicker(ctx, page, panel, label, picker);
		await closePanel(page);
	}
	if (UPDATE_SCREENSHOTS) log(`README panel screenshots written to ${DOCS_PANELS_DIR}`);

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

/** The node name in the open panel's title bar. */
async function panelTitle(page: Page): Promise<string> {
	const text = await page.locator('[data-test-id="ndv"]').first().innerText();
	return text.split('\n')[0]?.trim() ?? '';
}

/** Closes the panel with its close button (Escape only closes a dropdown while an input has focus). */
async function closePanel(page: Page): Promise<void> {
	const ndv = page.locator('[data-test-id="ndv"]').first();
	for (let i = 0; i < 3 && (await ndv.count()) > 0 && (await ndv.isVisible()); i++) {
		const close = page.locator('[data-test-id="ndv-close-button"]').first();
		if ((await close.count()) > 0 && (await close.isVisible())) await close.click();
		else await page.keyboard.press('Escape');
		await page.waitForTimeout(500);
	}
	check((await ndv.count()) === 0 || !(await ndv.isVisible()), 'the panel closed');
}

/** The Voice field shows the chosen voice's name from the loaded list ("Joanna (Female, US English)"). */
async function waitForVoiceLabel(page: Page, label: string): Promise<void> {
	const input = page.locator('[data-test-id="parameter-input-voiceId"] input').first();
	let value = '';
	for (let waited = 0; waited < 20000; waited += 500) {
		value = await input.evaluateAll((els: Array<{ value?: string }>) => els[0]?.value ?? '');
		if (value.includes('(')) break;
		await page.waitForTimeout(500);
	}
	check(
		/^Joanna \((Female|Male), .+\)$/.test(value),
		`panel ${label}: the Voice field shows the voice from the loaded list ("${value}")`,
	);
}

/** The Voice dropdown lists the emulator's voices, each with gender and language. */
async function checkVoices(
	ctx: BrowserContext,
	page: Page,
	panel: Panel,
	label: string,
): Promise<void> {
	const mark = ctx.emulator.requests.length;
	await page.locator('[data-test-id="parameter-input-voiceId"] input').first().click();
	const items = page.locator('.el-select-dropdown__item:visible');
	try {
		await items.first().waitFor({ timeout: 30000 });
	} catch {
		fail(`panel ${label}: the Voice dropdown showed no voices`);
		return;
	}
	await page.waitForTimeout(500);
	const names = await items.evaluateAll((els) =>
		els.map((el) => (el.textContent ?? '').replace(/\s+/g, ' ').trim()),
	);
	await page.screenshot({
		path: path.join(shotsDir(ctx), panel.file.replace('.png', '-voices.png')),
	});
	const voices = names.filter((n) => /^[A-Z][A-Za-z-]+ \((Female|Male), [^)]+\)/.test(n));
	check(
		voices.length >= 5 && voices.some((n) => n.startsWith('Joanna (Female')),
		`panel ${label}: the Voice dropdown lists ${voices.length} voices with gender and language (${voices.slice(0, 4).join('; ')} …)`,
		() => JSON.stringify(names.slice(0, 20)),
	);
	const calls = ctx.emulator.requests.filter((r) => r.route === 'polly.voices');
	check(
		calls.length > 0 && calls.every((r) => r.signatureOk === true && r.status === 200),
		`panel ${label}: the voices came from DescribeVoices through the credential's custom endpoint, signed (${calls.length} calls in all, ${ctx.emulator.requests.length - mark} requests while the dropdown opened)`,
	);
	await page.keyboard.press('Escape');
	await page.waitForTimeout(300);
}

/** "From List" of the Task ID picker lists the tasks just created, with status and creation time. */
async function checkTaskPicker(
	ctx: BrowserContext,
	page: Page,
	panel: Panel,
	label: string,
	tasks: string[],
): Promise<void> {
	const mark = ctx.emulator.requests.length;
	await openFromList(page, 'taskId');
	// Each task an entry of the open list: found by the text a user reads (its ID), then the whole entry.
	const entries: string[] = [];
	for (const id of tasks) {
		const entry = page.getByText(id).first();
		try {
			await entry.waitFor({ state: 'visible', timeout: 30000 });
			entries.push((await entry.innerText()).replace(/\s+/g, ' ').trim());
		} catch {
			entries.push(`(${id} not shown)`);
		}
	}
	await page.screenshot({
		path: path.join(shotsDir(ctx), panel.file.replace('.png', '-from-list.png')),
	});
	check(
		entries.every((entry) =>
			/^[0-9a-f-]{36} \((queued|running|completed|failed), \d{4}-\d\d-\d\d \d\d:\d\d UTC\)$/.test(
				entry,
			),
		),
		`panel ${label}: "From List" shows the ${tasks.length} recent tasks with status and creation time (${entries.join('; ')})`,
		() =>
			`requests: ${JSON.stringify(ctx.emulator.requests.slice(mark).map((r) => `${r.method} ${r.path} ${r.status}`))}`,
	);
	const lists = ctx.emulator.requests.slice(mark).filter((r) => r.route === 'polly.list');
	check(
		lists.length > 0 && lists.every((r) => r.signatureOk === true && r.status === 200),
		`panel ${label}: the list came from ListSpeechSynthesisTasks through the credential, signed (${lists.length} calls)`,
	);
	await page.keyboard.press('Escape');
	await page.waitForTimeout(300);
}

/** Opens the "From List" dropdown of a resource locator parameter. */
async function openFromList(page: Page, param: string): Promise<void> {
	await page
		.locator(`[data-test-id="parameter-input-${param}"] [data-test-id="rlc-input"]`)
		.first()
		.click();
}

/**
 * "From List" of a Chime SDK ID picker lists the emulator's seeded resources by name, loaded by signed
 * list requests to the emulator.
 */
async function checkIdPicker(
	ctx: BrowserContext,
	page: Page,
	panel: Panel,
	label: string,
	picker: IdPicker,
): Promise<void> {
	const expected = picker.expected(ctx.emulator);
	const mark = ctx.emulator.requests.length;
	await openFromList(page, picker.param);
	// The open list's entries (n8n shows each entry's name), once every expected one is there.
	const items = page.locator('[data-test-id="rlc-item"]:visible');
	let entries: string[] = [];
	for (let waited = 0; waited < 30000; waited += 500) {
		entries = await items.evaluateAll((els) =>
			els.map((el) => (el.textContent ?? '').replace(/\s+/g, ' ').trim()),
		);
		if (expected.every((name) => entries.includes(name))) break;
		await page.waitForTimeout(500);
	}
	await page.screenshot({
		path: path.join(shotsDir(ctx), panel.file.replace('.png', `-${picker.what}.png`)),
	});
	const what = picker.what.replace(/-/g, ' ');
	check(
		expected.length > 0 &&
			entries.length === expected.length &&
			expected.every((name) => entries.includes(name)),
		`panel ${label}: ${picker.param} "From List" lists the emulator's ${expected.length} ${what} (${entries.join('; ')})`,
		() =>
			`expected ${JSON.stringify(expected)}, shown ${JSON.stringify(entries)}; requests: ${JSON.stringify(ctx.emulator.requests.slice(mark).map((r) => `${r.method} ${r.path} ${r.route} ${r.status}`))}`,
	);
	const lists = ctx.emulator.requests.slice(mark).filter((r) => r.route === picker.route);
	check(
		lists.length > 0 && lists.every((r) => r.signatureOk === true && r.status === 200),
		`panel ${label}: the ${what} came from ${picker.operation} (${picker.route}) through the credential, signed (${lists.length} calls)`,
		() =>
			JSON.stringify(
				lists.map((r) => ({
					status: r.status,
					signatureOk: r.signatureOk,
					failure: r.signatureFailure,
				})),
			),
	);
	await page.keyboard.press('Escape');
	await page.waitForTimeout(300);
}

const shotsDir = (ctx: BrowserContext) => ctx.shotsDir;

/** Width and height of a PNG (its IHDR chunk). */
export function pngSize(bytes: Buffer): { width: number; height: number } | undefined {
	if (bytes.length < 24 || bytes.toString('latin1', 1, 4) !== 'PNG') return undefined;
	return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/**
 * The middle column of the panel (the node's name, its parameters and settings tabs; not the input and
 * output data beside it, which hold run-specific IDs): into `panels/` of the output folder, and with
 * UPDATE_SCREENSHOTS=1 into docs/panels/ for the README. Without it, the committed file must exist and
 * have the same size.
 */
async function panelScreenshot(
	page: Page,
	dir: string,
	name: string,
	label: string,
): Promise<void> {
	const clip = await page
		.locator('[data-test-id="ndv"] [data-test-id="node-parameters"]')
		.evaluateAll((els: DomBox[]) => {
			const start = els[0];
			if (!start) return undefined;
			const inner = start.getBoundingClientRect();
			let column = start;
			// Up to the widest ancestor that is still one column (the NDV itself holds three).
			for (
				let up = start.parentElement;
				up && up.getAttribute('data-test-id') !== 'ndv';
				up = up.parentElement
			) {
				if (up.getBoundingClientRect().width > inner.width * 1.4) break;
				column = up;
			}
			// Down to the last parameter (not the empty rest of the column).
			const box = column.getBoundingClientRect();
			let bottom = inner.y;
			for (const el of start.querySelectorAll(
				'[data-test-id^="parameter-input"], [data-test-id="node-credentials-select"]',
			)) {
				const r = el.getBoundingClientRect();
				if (r.height > 0 && r.width > 0) bottom = Math.max(bottom, r.y + r.height);
			}
			bottom = Math.min(bottom + 60, box.y + box.height);
			return {
				x: Math.round(box.x),
				y: Math.round(box.y),
				width: Math.round(box.width),
				height: Math.round(bottom - box.y),
			};
		});
	if (
		!check(
			clip && clip.width > 200 && clip.height > 100,
			`panel ${label}: found the panel's parameter column`,
			() => JSON.stringify(clip),
		)
	)
		return;
	const taken = path.join(dir, 'panels', `${name}.png`);
	fs.mkdirSync(path.dirname(taken), { recursive: true });
	const bytes = await page.screenshot({
		path: taken,
		clip,
		animations: 'disabled',
		caret: 'hide',
	});
	const committed = path.join(DOCS_PANELS_DIR, `${name}.png`);
	if (UPDATE_SCREENSHOTS) {
		fs.mkdirSync(DOCS_PANELS_DIR, { recursive: true });
		fs.writeFileSync(committed, bytes);
		ok(`panel ${label}: wrote docs/panels/${name}.png (${clip!.width}×${clip!.height})`);
		return;
	}
	const existing = fs.existsSync(committed) ? pngSize(fs.readFileSync(committed)) : undefined;
	check(
		existing?.width === clip!.width && existing?.height === clip!.height,
		`panel ${label}: docs/panels/${name}.png (the README's screenshot) exists with the panel's size ${clip!.width}×${clip!.height}`,
		() =>
			`${existing ? `it is ${existing.width}×${existing.height}` : 'missing'}; refresh with UPDATE_SCREENSHOTS=1 npm run test:n8n`,
	);
}
