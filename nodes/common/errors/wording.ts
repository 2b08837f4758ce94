/**
 * Every message a person reads when something fails, in one place: what went wrong in plain words
 * (`message`) and what to do about it (`description`). Reading answers and classifying them happens
 * elsewhere; this module only words them.
 */
import type { AwsError } from './aws-error';
import { classifyStatus, NETWORK_FAILURES } from './failure';
import type { Explanation, FailureKind } from './failure';

const NOTHING_SENT = 'Nothing was sent to the service.';

// ── Parameters ──────────────────────────────────────────────────────────────────────────────────────

/** A parameter value refused before any request. */
export function badParameter(problem: string, rule: string): Explanation {
	return { message: problem, description: `${rule} ${NOTHING_SENT}` };
}

/** `The Task ID is empty` / `Parameter "Task ID" (taskId) must be …`. */
export function badId(
	displayName: string,
	name: string,
	problem: string,
	accepted: string,
): Explanation {
	return badParameter(
		`The ${displayName} ${problem}`,
		`Parameter "${displayName}" (${name}) must be ${accepted}.`,
	);
}

export function badSwitch(displayName: string, name: string, value: unknown): Explanation {
	return badParameter(
		`The ${displayName} switch is not true or false: ${JSON.stringify(value)?.slice(0, 40)}`,
		`Parameter "${displayName}" (${name}) must be true or false.`,
	);
}

export function badChoice(
	displayName: string,
	name: string,
	value: unknown,
	allowed: readonly string[],
): Explanation {
	return badParameter(
		`The ${displayName} is not one the node knows: ${JSON.stringify(value)?.slice(0, 40)}`,
		`Parameter "${displayName}" (${name}) must be one of ${allowed.join(', ')}.`,
	);
}

export function badBaseUrl(displayName: string, name: string, problem: string): Explanation {
	return badParameter(
		`The ${displayName} ${problem}`,
		`Parameter "${displayName}" (${name}) must be an http(s) URL without user name, query or fragment, such as https://api.aspose.cloud.`,
	);
}

export function badOption(
	displayName: string,
	name: string,
	raw: unknown,
	range: [number, number],
): Explanation {
	return badParameter(
		`The ${displayName} option is not usable: ${JSON.stringify(raw)}`,
		`Options → ${displayName} (${name}) must be a number from ${range[0]} to ${range[1]}.`,
	);
}

/** A node-wide option that an expression sets differently for some item. */
export function optionDiffers(
	displayName: string,
	name: string,
	first: unknown,
	other: unknown,
	itemIndex: number,
): Explanation {
	const shown = (value: unknown) => JSON.stringify(value)?.slice(0, 40);
	return badParameter(
		`The ${displayName} option differs between items: ${shown(first)} for item 1, ${shown(other)} for item ${itemIndex + 1}`,
		`Options → ${displayName} (${name}) applies to all items together: give it one value, not an expression that depends on the item.`,
	);
}

export const badBinaryPropertyName: Explanation = {
	message: 'The Put Output File in Field name is not usable',
	description:
		'Parameter "Put Output File in Field" (binaryPropertyName) must be 1 to 100 letters, digits, ".", "-" or "_", such as data.',
};

export function taskNotRecognised(taskNodes: string): Explanation {
	return {
		message: 'This item does not look like a task the node knows',
		description: `With Service set to Auto-Detect, each input item must be the output of ${taskNodes}. Otherwise choose the Service and fill in its IDs.`,
	};
}

const CREDENTIAL_NAMES: Readonly<Record<string, string>> = {
	awsSigV4Api: 'AWS (SigV4) API',
	asposeCloudApi: 'Aspose Cloud API',
};

/** "a" or "an" before a word, by its first letter (good enough for the names used here). */
const article = (word: string) => (/^[aeiou]/i.test(word) ? 'an' : 'a');

export function credentialMissing(
	label: string,
	credentialType: string,
	hasTrial: boolean,
	reason: string,
): Explanation {
	const credential = CREDENTIAL_NAMES[credentialType] ?? credentialType;
	return {
		message: `This item is ${article(label)} ${label}, which needs ${article(credential)} ${credential} credential`,
		description: `Select ${article(credential)} ${credential} credential in the node${hasTrial ? ', or turn on Use Aspose Trial' : ''}. (${reason})`,
	};
}

// ── Transport ───────────────────────────────────────────────────────────────────────────────────────

/** A request that got no HTTP answer (connection reset, timeout, DNS). */
export function networkFailure(code: string, what: string): Explanation {
	return {
		message: `Could not reach ${what} (${NETWORK_FAILURES[code]?.words ?? 'network error'})`,
		description: `The connection failed before an answer arrived [${code}]. Check the endpoint and the network of the machine running n8n, then try again.`,
	};
}

/** A request that failed in a way that is neither an answer nor a known network failure. */
export function requestFailed(error: unknown): Explanation {
	const reason = error instanceof Error && error.message ? `: ${error.message.slice(0, 200)}` : '';
	return {
		message: `The request failed${reason}`,
		description: 'Check the endpoint and the network of the machine running n8n, then try again.',
	};
}

export function notATask(label: string): Explanation {
	return {
		message: 'The service answered with something that is not a task',
		description: `The ${label} status answer is JSON, but not of the shape the service sends (a field has the wrong type). Try again; if it keeps happening, check that the endpoint in the credential is the service's.`,
	};
}

export function answerTooLarge(label: string): Explanation {
	return {
		message: 'The service sent a far larger answer than a status answer can be',
		description: `The ${label} endpoint's answer was cut off at the size limit and not used. Check that the endpoint in the credential is the service's, not a proxy that answers with something else.`,
	};
}

export function answerTimedOut(label: string): Explanation {
	return {
		message: 'The service did not send its whole answer in time',
		description: `The ${label} endpoint started to answer but did not finish within the time limit (a slow or trickling connection). Try again; if it keeps happening, check the network or proxy between n8n and the service.`,
	};
}

export function redirected(label: string, status: number): Explanation {
	return {
		message: `The service answered with a redirect (HTTP ${status}), which is not followed`,
		description: `The ${label} endpoint sent the request elsewhere. Credentials are only sent to the endpoint the credential names: correct the endpoint (region, custom endpoint or base URL) in the credential.`,
	};
}

export function notJson(label: string): Explanation {
	return {
		message: 'The service answered with something that is not JSON',
		description: `The ${label} status answer was truncated or malformed. Try again; if it keeps happening, check that the endpoint in the credential is the service's.`,
	};
}

// ── AWS ─────────────────────────────────────────────────────────────────────────────────────────────

/** What a task service's error needs to be explained. */
export interface AwsContext {
	/** "Polly synthesis task", "speaker search task", "Polly output file". */
	label: string;
	/** What to check when the service says the task does not exist. */
	notFoundHint: string;
	/** The IAM action the request needs, for access errors. */
	action: string;
}

type Rule = (error: AwsError, context: AwsContext) => Explanation;

const signature: Rule = () => ({
	message: 'AWS rejected the request signature',
	description:
		'Check the Secret Access Key in the AWS (SigV4) credential, and that its region and custom endpoints match the service.',
});
const unknownKey: Rule = () => ({
	message: 'AWS does not recognise the access key',
	description:
		'Check the Access Key ID in the AWS (SigV4) credential; the key may have been deleted or deactivated.',
});
const expired: Rule = () => ({
	message: 'The AWS session token has expired',
	description:
		'Temporary credentials last a limited time: put a fresh Access Key ID, Secret and Session Token into the credential. With Assume Role on, n8n renewed the role session and AWS still called it expired: check the clock of the machine that runs n8n.',
});
const skew: Rule = () => ({
	message: "AWS rejected the request time: this machine's clock is off",
	description:
		'Signatures are valid for 15 minutes. Synchronise the clock of the machine that runs n8n (NTP).',
});
const denied: Rule = (_e, c) => ({
	message: `AWS denied access to the ${c.label}`,
	description: `Allow ${c.action} for the IAM user or role of the AWS (SigV4) credential, in the credential's region.`,
});
const notFound: Rule = (_e, c) => ({
	message: `AWS found no such ${c.label}`,
	description: c.notFoundHint,
});
const throttled: Rule = () => ({
	message: 'AWS is throttling requests',
	description:
		'Too many requests in a short time. Run fewer items at once, or use Wait Until Complete, which slows down and retries by itself.',
});
/** A fault of the service: 503 says it is unavailable, other 5xx that it failed. */
function serviceFault(service: string, status: number): Explanation {
	return {
		message:
			status === 503
				? `${service} is unavailable at the moment`
				: `${service} could not handle the request because of a problem on its side`,
		description: `This is a fault of the service, not of the workflow. Try again in a few minutes. [HTTP ${status}]`,
	};
}
const failure: Rule = (e) => serviceFault('AWS', e.status);
const badRequest: Rule = (e, c) => ({
	message: `AWS rejected the request for the ${c.label}`,
	description: e.message ? `AWS says: ${e.message}` : 'Check the IDs of the task.',
});
const conflict: Rule = (e, c) => ({
	message: `AWS reports a conflict for the ${c.label}`,
	description: e.message
		? `AWS says: ${e.message}`
		: 'The resource is in a state that does not allow this request.',
});

const AWS_RULES: Record<string, Rule> = {
	InvalidSignatureException: signature,
	SignatureDoesNotMatch: signature,
	IncompleteSignature: signature,
	IncompleteSignatureException: signature,
	AuthorizationHeaderMalformed: signature,
	MissingAuthenticationTokenException: signature,
	UnrecognizedClientException: unknownKey,
	InvalidClientTokenId: unknownKey,
	InvalidAccessKeyId: unknownKey,
	InvalidToken: expired,
	ExpiredTokenException: expired,
	ExpiredToken: expired,
	RequestExpired: skew,
	RequestTimeTooSkewed: skew,
	RequestInTheFuture: skew,
	AccessDeniedException: denied,
	AccessDenied: denied,
	ForbiddenException: denied,
	Forbidden: denied,
	UnauthorizedClientException: denied,
	Unauthorized: denied,
	NotAuthorized: denied,
	OptInRequired: denied,
	NotFoundException: notFound,
	NotFound: notFound,
	SynthesisTaskNotFoundException: notFound,
	NoSuchKey: notFound,
	NoSuchBucket: notFound,
	InvalidTaskIdException: (_e, c) => ({
		message: 'Polly does not accept this task ID',
		description: `Use the task ID that Start Polly Synthesis Task or List Polly Synthesis Tasks outputs. ${c.notFoundHint}`,
	}),
	BadRequestException: badRequest,
	BadRequest: badRequest,
	ValidationError: badRequest,
	ConflictException: conflict,
	Conflict: conflict,
	ResourceLimitExceededException: (e, c) => ({
		message: `AWS refused another ${c.label}: a limit of the account is reached`,
		description: e.message
			? `AWS says: ${e.message}. Wait for running ones to end, or ask AWS for a higher quota.`
			: 'Wait for running ones to end, or ask AWS for a higher quota.',
	}),
	UnprocessableEntityException: (e, c) => ({
		message: `AWS cannot start the ${c.label} in the state the call is in`,
		description: e.message
			? `AWS says: ${e.message}. A speaker search needs a call that is still going on and a voice profile domain with voice profiles.`
			: 'A speaker search needs a call that is still going on and a voice profile domain with voice profiles.',
	}),
	GoneException: (e, c) => ({
		message: `The call of the ${c.label} is over`,
		description: e.message
			? `AWS says: ${e.message}. Start speaker searches while the call is going on.`
			: 'Start speaker searches while the call is going on.',
	}),
	InvalidObjectState: () => ({
		message: 'The Polly output object is archived',
		description: 'Restore the object from its archive storage class in S3 before downloading it.',
	}),
};

function signatureExpired(error: AwsError): boolean {
	return error.code === 'InvalidSignatureException' && /expired/i.test(error.message);
}

/** Plain-words message and what to do, for an AWS error. */
export function describeAwsError(error: AwsError, context: AwsContext): Explanation {
	if (signatureExpired(error)) return skew(error, context);
	const rule = AWS_RULES[error.code];
	if (rule) return rule(error, context);
	const kind = classifyStatus(error.status, error.code);
	if (kind === 'throttling') return throttled(error, context);
	if (kind === 'transient') return failure(error, context);
	if (error.status === 404) return notFound(error, context);
	if (error.status === 401 || error.status === 403) return denied(error, context);
	return {
		// AWS's own reason is plain words ("This voice does not support the selected engine"): lead with it.
		message: error.message
			? `AWS refused the request for the ${context.label}: ${error.message.slice(0, 200)}`
			: `AWS refused the request for the ${context.label}`,
		description: error.message
			? `Correct what AWS names, then run the node again. [HTTP ${error.status}]`
			: `AWS gave no reason; look up the error code in the AWS documentation. [HTTP ${error.status}]`,
	};
}

// ── S3 (the Polly output download) ──────────────────────────────────────────────────────────────────

export interface OutputObject {
	bucket: string;
	key: string;
	/** The object's ARN, for IAM advice. */
	arn: string;
	outputFormat: string;
}

const START_AGAIN = 'Start the synthesis task again to get a new file.';

function outputFile(object: OutputObject): string {
	return object.outputFormat ? `Polly output file (${object.outputFormat})` : 'Polly output file';
}

/** An S3 error answer to the download of a Polly output object. */
export function describeS3Error(error: AwsError, object: OutputObject): Explanation {
	const where = `s3://${object.bucket}/${object.key}`;
	const what = outputFile(object);
	switch (error.code) {
		case 'NoSuchKey':
			return {
				message: `The ${what} is no longer in S3`,
				description: `Polly wrote ${where}, but the object was deleted or moved since (check the bucket's lifecycle rules and whatever cleans it up). ${START_AGAIN}`,
			};
		case 'NoSuchBucket':
			return {
				message: `The bucket of the ${what} no longer exists`,
				description: `Bucket "${object.bucket}" was deleted after Polly wrote ${where}. ${START_AGAIN}`,
			};
		case 'AccessDenied':
		case 'AllAccessDisabled':
			return {
				message: `AWS denied access to the ${what}`,
				description: `Allow s3:GetObject on ${object.arn} for the IAM user or role of the AWS (SigV4) credential (and kms:Decrypt if the bucket uses SSE-KMS). Without s3:ListBucket on the bucket, S3 also answers AccessDenied when the object does not exist.`,
			};
		case 'SlowDown':
			return {
				message: 'S3 is asking for fewer downloads at once',
				description:
					'Too many requests to this bucket in a short time. Wait Until Complete retries after a pause by itself; otherwise run fewer items at once and try again. [SlowDown]',
			};
		default:
			break;
	}
	if (error.status === 404) {
		return {
			message: `The ${what} is no longer in S3`,
			description: `S3 found nothing at ${where}. ${START_AGAIN}`,
		};
	}
	return describeAwsError(error, {
		label: what,
		notFoundHint: `S3 found nothing at ${where}. ${START_AGAIN}`,
		action: `s3:GetObject on ${object.arn}`,
	});
}

export function bucketInOtherRegion(
	bucket: string,
	region: string,
	home: string,
	custom: boolean,
	askedRegion: string,
): Explanation {
	const endpoint = custom
		? "Requests to the custom S3 endpoint are signed for the credential's region."
		: `The request to the S3 endpoint of ${askedRegion} was refused as well.`;
	return {
		message: `The Polly output bucket is in region ${region}, not ${home}`,
		description: `S3 says bucket "${bucket}" is in ${region} and refused the download. ${endpoint} Set the Region of the AWS (SigV4) credential to ${region}, or have Polly write to a bucket in ${home}.`,
	};
}

export function refusedRegionFollow(reason: string, home: string): Explanation {
	return {
		message: 'Refused to follow S3 to another region',
		description: `${reason}. Download the file yourself or have Polly write to a bucket in ${home}.`,
	};
}

export function downloadBrokeOff(reason: string): Explanation {
	return {
		message: `Downloading the Polly output failed${reason ? `: ${reason.slice(0, 200)}` : ''}`,
		description:
			'The download from S3 broke off or did not match what S3 announced. Run the node again; if it keeps failing, check the network of the machine running n8n.',
	};
}

export const downloadTimedOut: Explanation = {
	message: 'The Polly output download did not finish before the Timeout',
	description:
		'S3 sent the file too slowly to finish in time. Raise Options → Timeout (Seconds) of Wait Until Complete, or check the network between n8n and S3.',
};

export const missingOutputUri: Explanation = {
	message: 'The Polly task names no output file',
	description:
		'The completed task has no output file location (OutputUri), so there is no audio to download. Check that the task was started with an S3 bucket for its output.',
};

export function refusedOutputUri(reason: string): Explanation {
	return {
		message: 'Refused to download the Polly output',
		description: `${reason.replace(/^Refused the Polly output location: /, '')}. The audio is only downloaded from an Amazon S3 endpoint of the credential's partition or from the custom S3 endpoint set in the AWS (SigV4) credential; check the task's OutputUri.`,
	};
}

export function malformedSpeechMarks(reason: string): Explanation {
	return {
		message: 'The Polly speech marks file is malformed',
		description: `The file Polly wrote is not newline-delimited JSON (${reason}). Start the synthesis task again; if it persists, check that nothing else writes to the output bucket.`,
	};
}

// ── Aspose ──────────────────────────────────────────────────────────────────────────────────────────

/** A non-2xx Aspose answer; `detail` is what its ProblemDetails body says, if anything. */
export function describeAsposeError(
	status: number,
	kind: FailureKind,
	detail: string | undefined,
	check = 'Check the Task ID and the Base URL.',
): Explanation {
	const says = detail !== undefined ? ` Aspose says: ${detail}` : '';
	if (status === 401 || status === 403) {
		return {
			message: 'Aspose rejected the access token',
			description: `A new token was requested once and still refused. Check the Client ID and Client Secret (or the pasted token) of the Aspose Cloud credential.${says}`,
		};
	}
	if (kind === 'throttling') {
		return {
			message: 'Aspose is limiting requests',
			description:
				'Too many requests: the trial allows 10 calls a day per IP address and the free plan 150 a month. Wait, or use a paid plan.',
		};
	}
	if (kind === 'transient') {
		return serviceFault('Aspose', status);
	}
	return {
		message: 'Aspose refused the request',
		description: `${check}${says} [HTTP ${status}]`,
	};
}

/** A fetched Aspose task that ended in Error or NotExist. */
export function asposeTaskEnded(status: string, reason: string | undefined): Explanation {
	return status === 'NotExist'
		? {
				message: 'Aspose has no such text-to-speech task',
				description: `${reason}. Submit the text again to get a new task. [${status}]`,
			}
		: {
				message: 'The Aspose text-to-speech task failed',
				description: `Aspose says: ${reason}. Submit the text again; if it keeps failing, shorten or simplify it. [${status}]`,
			};
}

function fetchAgain(taskId: string): string {
	return `Fetch the result again (Aspose keeps it for 24 hours after submission); if it persists, contact Aspose support and quote task ID ${taskId}.`;
}

export function asposeNoAudio(taskId: string): Explanation {
	return {
		message: 'Aspose reported the task complete but sent no audio',
		description: `The answer has no results entry with data. ${fetchAgain(taskId)}`,
	};
}

export function asposeCorruptAudio(reason: string, taskId: string): Explanation {
	return {
		message: 'The audio Aspose sent is corrupt or empty',
		description: `${reason}. ${fetchAgain(taskId)}`,
	};
}

// ── The Aspose token endpoint ───────────────────────────────────────────────────────────────────────

export const tokenSecretsMissing = 'Aspose credential: enter both Client ID and Client Secret';

export function tokenUnreachable(code: string): string {
	return `Could not reach the Aspose token endpoint (${code}): check the Base URL and the network`;
}

export function tokenRefused(status: number): string {
	return `Aspose refused the Client ID and Client Secret (HTTP ${status}): check them at dashboard.aspose.cloud → Applications`;
}

export function tokenEndpointFailed(status: number): string {
	return `The Aspose token endpoint answered HTTP ${status}: try again later`;
}

export const tokenMissing =
	'The Aspose token endpoint answered without an access_token: check the Base URL';

/** A token failure met by a node's request; `description` when the credential said what to do. */
export function tokenProblem(
	message: string,
	kind: FailureKind,
	description?: string,
): Explanation {
	return {
		message,
		description:
			description !== undefined
				? description
				: kind === 'fatal'
					? 'Check the Client ID and Client Secret of the Aspose Cloud credential.'
					: 'The token endpoint did not answer usefully. Wait Until Complete tries again while time remains.',
	};
}

// ── Wait outcomes ───────────────────────────────────────────────────────────────────────────────────

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** What happened to a waited-for task, in one sentence for the item's `waitOutcome.summary`. */
export function waitSummary(
	outcome: 'completed' | 'failed' | 'timedOut',
	facts: {
		label: string;
		status: string;
		waitedSeconds: number;
		checks: number;
		reason?: string;
		binaryPropertyName?: string;
	},
): string {
	const { label, status, waitedSeconds, checks } = facts;
	const waited = `after ${waitedSeconds} s and ${checks} status ${checks === 1 ? 'check' : 'checks'}`;
	if (outcome === 'failed')
		return `${capitalised(label)} failed (${status}) ${waited}: ${facts.reason ?? 'no reason given'}`;
	if (outcome === 'timedOut') {
		return `${capitalised(label)} was still running (${status || 'no status yet'}) when the timeout ended, ${waited}.`;
	}
	const audio = facts.binaryPropertyName
		? `; the audio is in the binary field "${facts.binaryPropertyName}"`
		: '';
	return `${capitalised(label)} finished (${status}) ${waited}${audio}.`;
}
