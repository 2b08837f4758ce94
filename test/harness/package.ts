// The package's node and credential types, as n8n registers them (`<package>.<node name>`).
import type { ICredentialType, INodeType } from 'n8n-workflow';

import { AsposeCloudApi } from '../../credentials/AsposeCloudApi.credentials';
import { AwsSigV4Api } from '../../credentials/AwsSigV4Api.credentials';
import { FetchAsposeAudio } from '../../nodes/FetchAsposeAudio/FetchAsposeAudio.node';
import { GetPollySynthesisTask } from '../../nodes/GetPollySynthesisTask/GetPollySynthesisTask.node';
import { GetSpeakerSearchTask } from '../../nodes/GetSpeakerSearchTask/GetSpeakerSearchTask.node';
import { StartSpeakerSearchTask } from '../../nodes/StartSpeakerSearchTask/StartSpeakerSearchTask.node';
import { SubmitAsposeTextToSpeech } from '../../nodes/SubmitAsposeTextToSpeech/SubmitAsposeTextToSpeech.node';
import { ListPollySynthesisTasks } from '../../nodes/ListPollySynthesisTasks/ListPollySynthesisTasks.node';
import { StartPollySynthesisTask } from '../../nodes/StartPollySynthesisTask/StartPollySynthesisTask.node';
import { SynthesizePollySpeech } from '../../nodes/SynthesizePollySpeech/SynthesizePollySpeech.node';
import { WaitUntilComplete } from '../../nodes/WaitUntilComplete/WaitUntilComplete.node';
import { PACKAGE, TYPES } from './type-names';

export { PACKAGE, TYPES };

export const nodeTypes: Record<string, INodeType> = {
	[TYPES.getPollySynthesisTask]: new GetPollySynthesisTask(),
	[TYPES.getSpeakerSearchTask]: new GetSpeakerSearchTask(),
	[TYPES.fetchAsposeAudio]: new FetchAsposeAudio(),
	[TYPES.waitUntilComplete]: new WaitUntilComplete(),
	[TYPES.submitAsposeTextToSpeech]: new SubmitAsposeTextToSpeech(),
	[TYPES.startSpeakerSearchTask]: new StartSpeakerSearchTask(),
	[TYPES.startPollySynthesisTask]: new StartPollySynthesisTask(),
	[TYPES.listPollySynthesisTasks]: new ListPollySynthesisTasks(),
	[TYPES.synthesizePollySpeech]: new SynthesizePollySpeech(),
};

export const credentialTypes: Record<string, ICredentialType> = {
	awsSigV4Api: new AwsSigV4Api(),
	asposeCloudApi: new AsposeCloudApi(),
};
