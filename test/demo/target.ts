// Where the demo runs: the emulator or the real services, and the settings its workflows need.

export interface Target {
	region: string;
	aws: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
	endpoints?: { polly?: string; aspose: string };
	/** The bucket Start Polly Synthesis Task has Polly write to (what a user fills in in the example). */
	pollyBucket: string;
	aspose?: { clientId: string; clientSecret: string };
	/** The speaker search example's resources (what a user fills in in its Set node). */
	voiceConnectorId?: string;
	transactionId?: string;
	voiceProfileDomainId?: string;
	mediaInsightsPipelineId?: string;
	voiceProfileDomainArn?: string;
}
