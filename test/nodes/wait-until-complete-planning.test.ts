/**
 * What Wait Until Complete checks before the first request (n8n's real engine, the emulator): each item's
 * credential, in Auto-Detect mode too, and options that must be the same for every item.
 */
import type { IDataObject, INode, INodeParameters } from 'n8n-workflow';

import type { Emulator } from '../emulator';
import { emulatorCredentials } from '../e2e/emulator-credentials';
import { node } from '../harness/fixtures';
import { credentialTypes, nodeTypes, TYPES } from '../harness/package';
import { runWorkflow } from '../harness/run-workflow';
import { fastEmulator } from '../reliability/support/emulator-env';

let emulator: Emulator;
beforeAll(async () => {
	emulator = await fastEmulator();
});
afterAll(async () => await emulator.close());
beforeEach(() => emulator.reset());

const FAST = { strategy: 'fixed', interval: 0.2, timeout: 20 };

/** Wait Until Complete with only the credentials named selected in the node. */
function wait(parameters: INodeParameters, selected: string[], extra: Partial<INode> = {}): INode {
	const all = node(TYPES.waitUntilComplete, { downloadAudio: false, options: FAST, ...parameters });
	const credentials = Object.fromEntries(
		Object.entries(all.credentials ?? {}).filter(([type]) => selected.includes(type)),
	);
	return { ...all, credentials, ...extra };
}

function pollyItem(): IDataObject {
	return emulator.createPollyTask(
		{
			OutputFormat: 'mp3',
			OutputS3BucketName: 'speech-tasks-output',
			Text: 'Hi.',
			VoiceId: 'Joanna',
		},
		{ durationMs: 0 },
	) as IDataObject;
}

const asposeItem = (): IDataObject => ({
	id: emulator.createAsposeTask('Hi.'),
	taskStatus: 'Pending',
});

async function run(n: INode, items: IDataObject[]) {
	return await runWorkflow({
		nodeTypes,
		credentialTypes,
		credentials: emulatorCredentials(emulator),
		nodes: [n],
		input: items.map((json) => ({ json })),
	});
}

describe('Wait Until Complete: credentials', () => {
	it('Auto-Detect: an item whose service has no credential selected is refused before any request', async () => {
		const items = [pollyItem(), asposeItem()];
		emulator.reset();
		const { error } = await run(wait({ service: 'auto' }, ['awsSigV4Api']), items);
		expect(error?.message).toBe(
			'This item is an Aspose text-to-speech task, which needs an Aspose Cloud API credential',
		);
		expect(error?.description).toMatch(/Select an Aspose Cloud API credential in the node/);
		expect(emulator.requests).toEqual([]);
	});

	it('Auto-Detect with Continue On Fail: that item is an error item, the others still complete', async () => {
		const items = [pollyItem(), asposeItem()];
		const { outputs, error } = await run(
			wait({ service: 'auto' }, ['awsSigV4Api'], { continueOnFail: true, name: 'W' }),
			items,
		);
		expect(error).toBeUndefined();
		const [completed] = outputs.W;
		expect(completed).toHaveLength(2);
		expect(completed[0].json.TaskStatus).toBe('completed');
		expect(String(completed[1].json.error)).toContain('needs an Aspose Cloud API credential');
		expect(emulator.requests.some((r) => r.service === 'aspose')).toBe(false);
	});

	it('a chosen service: its credential missing is refused before any request', async () => {
		const taskId = String(pollyItem().TaskId);
		emulator.reset();
		const { error } = await run(wait({ service: 'polly', taskId }, []), [{}]);
		expect(error?.message).toBe(
			'This item is a Polly synthesis task, which needs an AWS (SigV4) API credential',
		);
		expect(emulator.requests).toEqual([]);
	});

	it('Aspose on the trial needs no credential', async () => {
		const id = emulator.createAsposeTask('Hi.', { trial: true } as never);
		const { outputs, error } = await run(
			wait(
				{
					service: 'aspose',
					useTrial: true,
					taskId: id,
					options: { ...FAST, trialBaseUrl: emulator.endpoints.aspose },
				},
				[],
				{ name: 'W' },
			),
			[{}],
		);
		expect(error).toBeUndefined();
		expect(outputs.W[0].map((i) => i.json.id)).toEqual([id]);
	});
});

describe('Wait Until Complete: options are node-wide', () => {
	it('an option an expression sets differently per item is refused before any request', async () => {
		const items = [pollyItem(), pollyItem()].map((json, i) => ({ ...json, limit: 10 + i }));
		emulator.reset();
		const { error } = await run(
			wait({ service: 'auto', options: { ...FAST, timeout: '={{ $json.limit }}' } }, [
				'awsSigV4Api',
			]),
			items,
		);
		expect(error?.message).toBe(
			'The Timeout (Seconds) option differs between items: 10 for item 1, 11 for item 2',
		);
		expect(error?.description).toMatch(/applies to all items together/);
		expect(emulator.requests).toEqual([]);
	});

	it('an expression that gives every item the same value is fine', async () => {
		const items = [pollyItem(), pollyItem()].map((json) => ({ ...json, limit: 20 }));
		const { outputs, error } = await run(
			wait(
				{ service: 'auto', options: { ...FAST, timeout: '={{ $json.limit }}' } },
				['awsSigV4Api'],
				{
					name: 'W',
				},
			),
			items,
		);
		expect(error).toBeUndefined();
		expect(outputs.W[0]).toHaveLength(2);
	});
});
