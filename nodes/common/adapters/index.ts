import type { IDataObject } from 'n8n-workflow';

import { asposeAdapter } from './aspose';
import { chimeMediaPipelineAdapter } from './chime-media-pipeline';
import { chimeVoiceAdapter } from './chime-voice';
import { pollyAdapter } from './polly';
import type { ServiceName, TaskAdapter, TaskIds } from './types';

/** Every supported service. A new service is one new adapter file plus one line here. */
export const ADAPTERS: Record<ServiceName, TaskAdapter> = {
	polly: pollyAdapter,
	chimeMediaPipeline: chimeMediaPipelineAdapter,
	chimeVoice: chimeVoiceAdapter,
	aspose: asposeAdapter,
};

/** Finds the service of a task node's output item. */
export function detectTask(json: IDataObject): { adapter: TaskAdapter; ids: TaskIds } | undefined {
	for (const adapter of Object.values(ADAPTERS)) {
		const ids = adapter.detect(json);
		if (ids) return { adapter, ids };
	}
	return undefined;
}
