/**
 * The unit of extension: everything the package knows about one kind of task, as data. A service is one
 * adapter file plus one line in `./index.ts`; nodes, the credential's custom endpoints and Wait Until
 * Complete's Service options all read the list there.
 */
import type {
	IBinaryData,
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
} from 'n8n-workflow';

import type { AwsEndpoint } from '../../../credentials/common/aws/endpoints';
import type { ErrorReader } from '../errors/failure';
import type { RateSpec } from '../rate/quotas';
import type { RawResponse } from '../transport/http';

/** The IDs that locate one task, by parameter name. */
export type TaskIds = Record<string, string>;

/** Where a task is in its life; unknown status strings count as `running`, never as done. */
export type TaskPhase = 'pending' | 'running' | 'succeeded' | 'failed';

export interface TaskState {
	phase: TaskPhase;
	/** The service's own status value. */
	status: string;
	/** The service's explanation, for failed tasks. */
	reason?: string;
	/** What the status means, in plain words, when the status alone would mislead or puzzle. */
	meaning?: string;
}

// ── Protocol ────────────────────────────────────────────────────────────────────────────────────────

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/**
 * One call of a service's API, as data: the transport builds, sends and reads it. `read` takes the 2xx
 * body as a JSON object and returns the payload, or undefined when it is not what the service sends.
 */
export interface Operation<Input> {
	method: HttpMethod;
	/** Path after the base URL, with IDs already encoded. */
	path(input: Input): string;
	query?(input: Input): Record<string, string>;
	headers?(input: Input): Record<string, string>;
	/** A JSON object (sent as JSON) or text (sent as is, with the content type `headers` give). */
	body?(input: Input): IDataObject | string;
	read(body: IDataObject, input: Input): IDataObject | undefined;
	/**
	 * How the 2xx answer is read: `json` (default) gives `read` the parsed object; `text` gives it
	 * `{ text }`; `stream` hands the body on unread (a file), and `read` is not used.
	 */
	answer?: 'json' | 'text' | 'stream';
	/** The largest JSON answer accepted, in bytes (default: `ANSWER_LIMIT` of the transport). */
	maxAnswerBytes?: number;
	/** Explains and classifies a non-2xx answer. */
	error: ErrorReader;
	/**
	 * The quota the call counts against (see `../rate/quotas`); absent: an adaptive-only bucket per
	 * endpoint, slowed only once the service throttles.
	 */
	rate?(input: Input): RateSpec;
}

/** What the status operation of a task service is called with. */
export interface StatusInput<Ids extends TaskIds = TaskIds> {
	ids: Ids;
	/** Aspose: the trial endpoint, which takes no credential. */
	trial: boolean;
}

/** The credential a service's requests go out with, and where the service lives. */
export type ServiceCredential =
	| { type: 'awsSigV4Api'; endpoint: AwsEndpoint }
	| {
			type: 'asposeCloudApi';
			baseUrl(credentials: ICredentialDataDecryptedObject): string;
			/** The service also has a trial endpoint that takes no credential. */
			trialBaseUrl?: string;
	  };

export type CredentialType = ServiceCredential['type'];

// ── Editor and message text ─────────────────────────────────────────────────────────────────────────

/** A node parameter that identifies a task, with the rule its value must follow. */
export interface IdSpec {
	name: string;
	displayName: string;
	/** What is wrong with a trimmed value, or undefined when it is acceptable. */
	problem(value: string): string | undefined;
	/** The accepted form, for error descriptions. */
	accepted: string;
	/** A typical value, for placeholders. */
	example?: string;
	/** Expression that reads the ID from a task node's output item. */
	fromPreviousNode: string;
	/** Where the service lists these IDs, for the editor's "From List" picker. */
	listing?: IdListing;
}

/** One entry of a picker: what the person sees, and the ID it stands for. */
export interface ListedId {
	name: string;
	value: string;
	description?: string;
}

/**
 * A service listing the editor offers IDs from, as data: one page per request, the entries as picker
 * items, and the token of the next page.
 */
export interface IdListing {
	/** The node's `methods.listSearch` name. */
	method: string;
	page: Operation<{ nextToken?: string }>;
	entries(page: IDataObject): { entries: ListedId[]; nextToken?: string };
}

export interface ServiceText {
	/** The service as the Service parameter lists it: "Amazon Polly". */
	name: string;
	/** The Service option's description. */
	description: string;
	/** The task in plain words, for messages: "Polly synthesis task". */
	label: string;
	/** The nodes whose output Wait Until Complete recognises: ["Get Polly Synthesis Task"]. */
	taskNodes: string[];
	/** What to check when the service says the task does not exist. */
	notFoundHint: string;
}

// ── Domain rules ────────────────────────────────────────────────────────────────────────────────────

export interface TaskRules {
	/** Recognises the output item of a task node; returns the IDs that locate the task. */
	detect(json: IDataObject): TaskIds | undefined;
	state(task: IDataObject): TaskState;
	/** When the task was created (epoch ms), if it says. */
	createdAt?(task: IDataObject): number | undefined;
	/** How long the task is expected to take from creation, if the task tells enough to guess. */
	expectedDurationMs?(task: IDataObject): number | undefined;
	/**
	 * The same guess in two parts, when the service's durations have a fixed part (queue) and a part that
	 * grows with the task's size: the learning fits each part's real speed on its own.
	 */
	expectedDurationPartsMs?(task: IDataObject): { fixedMs: number; sizeMs: number } | undefined;
	/** What makes tasks run at the same speed (Polly: engine and format), for learning their durations. */
	speedClass?(task: IDataObject): string | undefined;
	/** The task as output items show it (without bulky payloads the binary data carries). */
	outputJson?(task: IDataObject): IDataObject;
	/**
	 * What a workflow needs of the task (ID, status, reason, output location, timing), for nodes' Simplify
	 * option; it keeps what `detect` reads. Absent for services whose tasks are small enough as they are.
	 */
	simplify?(task: IDataObject): IDataObject;
}

// ── Audio ───────────────────────────────────────────────────────────────────────────────────────────

/** What an audio fetcher may use: the item's connection, through the one transport. */
export interface AudioContext {
	ctx: IExecuteFunctions;
	credentials?: ICredentialDataDecryptedObject;
	itemIndex: number;
	binaryPropertyName: string;
	/** Epoch ms by which the download must be over. */
	deadline: number;
	/** Sends a request with the item's credential (signed or bearer) and returns the full response. */
	send(options: IHttpRequestOptions): Promise<RawResponse>;
	/** Where the bytes come from, for network failure messages (default: S3, the Polly output). */
	source?: string;
	/** Set once a download sent other bytes than its Content-Length said: later attempts ignore it. */
	lengthUnreliable?: boolean;
}

export interface AudioResult {
	binary: IBinaryData;
	/** Extra JSON for the output item (for example parsed speech marks). */
	json?: IDataObject;
}

export type AudioFetcher = (
	task: IDataObject,
	ids: TaskIds,
	context: AudioContext,
) => Promise<AudioResult | undefined>;

// ── The adapter ─────────────────────────────────────────────────────────────────────────────────────

export interface TaskAdapter {
	/** The one spelling of the service: Wait Until Complete's Service value, kept in saved workflows. */
	service: string;
	text: ServiceText;
	credential: ServiceCredential;
	ids: readonly IdSpec[];
	/** The status request. */
	status: Operation<StatusInput>;
	task: TaskRules;
	/** Attaches the finished audio; absent for services that produce none. */
	audio?: AudioFetcher;
}
