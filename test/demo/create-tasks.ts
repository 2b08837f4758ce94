// Starts speech tasks the way a user's workflow or script would: Polly and Chime through the
// official AWS SDK clients, Aspose through its submit endpoint.
import {
	ChimeSDKMediaPipelinesClient,
	StartSpeakerSearchTaskCommand as StartPipelineSearch,
} from '@aws-sdk/client-chime-sdk-media-pipelines';
import {
	ChimeSDKVoiceClient,
	StartSpeakerSearchTaskCommand as StartVoiceSearch,
} from '@aws-sdk/client-chime-sdk-voice';
import { PollyClient, StartSpeechSynthesisTaskCommand } from '@aws-sdk/client-polly';
import type { OutputFormat } from '@aws-sdk/client-polly';

export interface Target {
	region: string;
	aws: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
	endpoints?: { polly?: string; chimeMediaPipeline?: string; chimeVoice?: string; aspose: string };
	pollyBucket: string;
	aspose?: { clientId: string; clientSecret: string };
	voiceConnectorId?: string;
	voiceProfileDomainId?: string;
	mediaInsightsPipelineId?: string;
	voiceProfileDomainArn?: string;
}

const clientOptions = (target: Target, endpoint?: string) => ({
	region: target.region,
	credentials: target.aws,
	...(endpoint ? { endpoint } : {}),
});

export async function startPollyTask(
	target: Target,
	text: string,
	format: OutputFormat,
	extra: Record<string, unknown> = {},
) {
	const polly = new PollyClient(clientOptions(target, target.endpoints?.polly));
	const { SynthesisTask } = await polly.send(
		new StartSpeechSynthesisTaskCommand({
			Text: text,
			VoiceId: 'Joanna',
			OutputFormat: format,
			OutputS3BucketName: target.pollyBucket,
			...extra,
		}),
	);
	return SynthesisTask!.TaskId!;
}

export async function startVoiceSpeakerSearch(target: Target) {
	const voice = new ChimeSDKVoiceClient(clientOptions(target, target.endpoints?.chimeVoice));
	const { SpeakerSearchTask } = await voice.send(
		new StartVoiceSearch({
			VoiceConnectorId: target.voiceConnectorId!,
			TransactionId: `demo-call-${Date.now()}`,
			VoiceProfileDomainId: target.voiceProfileDomainId!,
		}),
	);
	return SpeakerSearchTask!.SpeakerSearchTaskId!;
}

export async function startPipelineSpeakerSearch(target: Target) {
	const pipelines = new ChimeSDKMediaPipelinesClient(
		clientOptions(target, target.endpoints?.chimeMediaPipeline),
	);
	const { SpeakerSearchTask } = await pipelines.send(
		new StartPipelineSearch({
			Identifier: target.mediaInsightsPipelineId!,
			VoiceProfileDomainArn: target.voiceProfileDomainArn!,
		}),
	);
	return SpeakerSearchTask!.SpeakerSearchTaskId!;
}

async function asposeToken(target: Target): Promise<string> {
	const response = await fetch(`${target.endpoints!.aspose}/connect/token`, {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({
			grant_type: 'client_credentials',
			client_id: target.aspose!.clientId,
			client_secret: target.aspose!.clientSecret,
		}),
	});
	if (!response.ok) throw new Error(`Aspose token request failed: HTTP ${response.status}`);
	return ((await response.json()) as { access_token: string }).access_token;
}

/** POST ConvertTextToSpeech (or its trial twin); the answer is the task ID as plain text. */
export async function submitAsposeText(target: Target, text: string, trial: boolean) {
	const headers: Record<string, string> = {
		'content-type': 'application/json',
		accept: 'text/plain',
	};
	if (!trial) headers.authorization = `Bearer ${await asposeToken(target)}`;
	const path = trial ? 'ConvertTextToSpeechTrial' : 'ConvertTextToSpeech';
	const response = await fetch(`${target.endpoints!.aspose}/v5.0/ocr/${path}`, {
		method: 'POST',
		headers,
		body: JSON.stringify({ text, settings: { language: 'English', resultType: 'Wav' } }),
	});
	if (!response.ok) throw new Error(`Aspose ${path} failed: HTTP ${response.status}`);
	return (await response.text()).trim().replace(/^"|"$/g, '');
}
