import { asposeAdapter } from './aspose';
import { chimeMediaPipelineAdapter } from './chime-media-pipeline';
import { chimeVoiceAdapter } from './chime-voice';
import { pollyAdapter } from './polly';
import type { TaskAdapter } from './types';

/**
 * Every supported service, in the order Wait Until Complete's auto-detection tries them. A new service
 * is one adapter file plus one line here; everything else is derived (see `./lookup.ts`).
 */
export const ADAPTERS: readonly TaskAdapter[] = [
	pollyAdapter,
	chimeMediaPipelineAdapter,
	chimeVoiceAdapter,
	asposeAdapter,
];
