import type {
	IBinaryData,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	ICredentialDataDecryptedObject,
} from 'n8n-workflow';

import type { ErrorReader } from '../errors/service-error';

export type ServiceName = 'polly' | 'chimeMediaPipeline' | 'chimeVoice' | 'aspose';

/** Where a task is in its life; unknown status strings count as `running`, never as done. */
export type TaskPhase = 'pending' | 'running' | 'succeeded' | 'failed';

export interface TaskState {
	phase: TaskPhase;
	/** The service's own status value. */
	status: string;
	/** The service's explanation, for failed tasks. */
	reason?: string;
}

/** A node parameter that identifies a task, with the rule its value must follow. */
export interface IdSpec {
	name: string;
	displayName: string;
	/** What is wrong with a trimmed value, or undefined when it is acceptable. */
	problem(value: string): string | undefined;
	/** The accepted form, for error descriptions. */
	accepted: string;
	/** Expression that reads the ID from a task node's output item. */
	fromPreviousNode: string;
}

export type TaskIds = Record<string, string>;

/** The ways a task request can be sent: with a credential, or anonymously (Aspose trial). */
export interface Connection {
	credentialType?: 'awsSigV4Api' | 'asposeCloudApi';
	credentials?: ICredentialDataDecryptedObject;
	/** Base URL of the service, no trailing slash. */
	baseUrl: string;
	/**
	 * For credentials that fetch a token on first use: the first request, which all others wait
	 * for, so that parallel items share one token instead of each fetching their own.
	 */
	firstRequest?: Promise<void>;
}

export interface AudioContext {
	ctx: IExecuteFunctions;
	connection: Connection;
	itemIndex: number;
	binaryPropertyName: string;
	deadline: number;
	/** Sends a request with the item's credential (signed or bearer) and returns the full response. */
	send(options: IHttpRequestOptions): Promise<{ statusCode: number; headers: IDataObject; body: unknown }>;
}

export interface AudioResult {
	binary: IBinaryData;
	/** Extra JSON for the output item (for example parsed speech marks). */
	json?: IDataObject;
}

export interface TaskAdapter {
	service: ServiceName;
	/** Plain-words name, for messages: "Polly synthesis task". */
	label: string;
	/** The service as the Service parameter lists it. */
	serviceName: string;
	serviceDescription: string;
	credentialType: 'awsSigV4Api' | 'asposeCloudApi';
	ids: IdSpec[];
	/** Recognises the output item of a task node; returns the IDs that locate the task. */
	detect(json: IDataObject): TaskIds | undefined;
	baseUrl(credentials: ICredentialDataDecryptedObject | undefined, trial?: boolean): string;
	/** Path and query of the status request for these (already validated) IDs. */
	statusPath(ids: TaskIds, trial?: boolean): string;
	/** The task object inside a successful response body. */
	unwrap(body: unknown): IDataObject;
	/** The task as output items show it (without bulky payloads the binary data carries). */
	outputJson?(task: IDataObject): IDataObject;
	/** Adds what the task object lacks to be found again (for Wait Until Complete's auto mode). */
	withContext?(task: IDataObject, ids: TaskIds): IDataObject;
	state(task: IDataObject): TaskState;
	/** How long the task is expected to take from creation, if the task tells enough to guess. */
	expectedDurationMs?(task: IDataObject): number | undefined;
	/** When the task was created (epoch ms), if it says. */
	createdAt?(task: IDataObject): number | undefined;
	/** Attaches the finished audio; absent for services that produce none. */
	audio?(task: IDataObject, ids: TaskIds, context: AudioContext): Promise<AudioResult | undefined>;
	/** Hint for the error description when the service says the task does not exist. */
	notFoundHint: string;
	/** Explains and classifies a non-2xx answer of the status request. */
	readError: ErrorReader;
}
