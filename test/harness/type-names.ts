/** The package's node type names as n8n registers them (`<package>.<node name>`). No imports: cheap to share. */
export const PACKAGE = 'n8n-nodes-speech-tasks';

export const TYPES = {
	getPollySynthesisTask: `${PACKAGE}.getPollySynthesisTask`,
	getSpeakerSearchTask: `${PACKAGE}.getSpeakerSearchTask`,
	fetchAsposeAudio: `${PACKAGE}.fetchAsposeAudio`,
	waitUntilComplete: `${PACKAGE}.waitUntilComplete`,
	submitAsposeTextToSpeech: `${PACKAGE}.submitAsposeTextToSpeech`,
	startSpeakerSearchTask: `${PACKAGE}.startSpeakerSearchTask`,
	startPollySynthesisTask: `${PACKAGE}.startPollySynthesisTask`,
	listPollySynthesisTasks: `${PACKAGE}.listPollySynthesisTasks`,
	synthesizePollySpeech: `${PACKAGE}.synthesizePollySpeech`,
} as const;
