// Starts Polly tasks the way a user's script would, through the official AWS SDK client. (The Aspose
// and Chime examples start their own tasks: Submit Aspose Text to Speech, Start Speaker Search Task.)
import { PollyClient, StartSpeechSynthesisTaskCommand } from '@aws-sdk/client-polly';
import type { OutputFormat } from '@aws-sdk/client-polly';

/** Where the demo runs and the settings its workflows need. */
export interface Target {
	region: string;
	aws: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
	endpoints?: { polly?: string; aspose: string };
	pollyBucket: string;
	aspose?: { clientId: string; clientSecret: string };
	/** The speaker search example's resources (what a user fills in in its Set node). */
	voiceConnectorId?: string;
	transactionId?: string;
	voiceProfileDomainId?: string;
	mediaInsightsPipelineId?: string;
	voiceProfileDomainArn?: string;
}

export async function startPollyTask(
	target: Target,
	text: string,
	format: OutputFormat,
	extra: Record<string, unknown> = {},
) {
	const polly = new PollyClient({
		region: target.region,
		credentials: target.aws,
		...(target.endpoints?.polly ? { endpoint: target.endpoints.polly } : {}),
	});
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
